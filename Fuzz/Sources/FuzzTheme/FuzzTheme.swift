import FuzzSupport
import PerftopTUI

/// A theme file (`--theme PATH`, btop's format) through ``Theme/init(parsing:name:fileName:)``; the same file
/// with `\r\n` line endings must read the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = Fuzz.text(data, size)
    let theme = parse(text)
    if case .failure(let error) = theme {
        Fuzz.check("\(error)".hasPrefix("fuzz.theme:"), "reason \("\(error)".debugDescription) does not name the file")
    }
    if let windows = Fuzz.withCRLF(text) {
        let again = parse(windows)
        Fuzz.check(again == theme, "with CRLF: \(again), with LF: \(theme)")
    }
    return 0
}

private func parse(_ text: String) -> Result<Theme, ThemeError> {
    Result { () throws(ThemeError) in try Theme(parsing: text, name: "fuzz", fileName: "fuzz.theme") }
}
