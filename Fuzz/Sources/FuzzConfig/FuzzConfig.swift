import FuzzSupport
import PerftopCore

/// A config file (`~/.config/perftop/config.toml`) through ``PerftopConfig/init(toml:fileName:)``, the TOML
/// parser included; the same file with `\r\n` line endings must read the same, errors at the same place.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = Fuzz.text(data, size)
    let config = parse(text)
    if case .failure(let error) = config {
        Fuzz.check(error.file == "config.toml", "reason \("\(error)".debugDescription) does not name the file")
    }
    if let windows = Fuzz.withCRLF(text) {
        switch (config, parse(windows)) {
        case (.success(let unix), .success(let windows)):
            Fuzz.check(windows == unix, "with CRLF: \(Fuzz.difference(unix, windows))")
        case (.failure(let unix), .failure(let windows)):
            Fuzz.check(windows.line == unix.line, "with CRLF: \(windows), with LF: \(unix)")
        case (let unix, let windows):
            Fuzz.check(false, "with CRLF: \(windows), with LF: \(unix)")
        }
    }
    return 0
}

private func parse(_ text: String) -> Result<PerftopConfig, ConfigError> {
    Result { () throws(ConfigError) in try PerftopConfig(toml: text, fileName: "config.toml") }
}
