import FuzzSupport
import PerftopCore

/// A tracker file (`perftop tracker check FILE`) through ``Tracker/init(toml:fileName:)``: what it accepts must
/// survive ``Tracker/tomlText()`` and reading back, as that method promises, and the same file with `\r\n` line
/// endings must read the same, errors at the same place.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = Fuzz.text(data, size)
    let tracker = parse(text)
    if let windows = Fuzz.withCRLF(text) {
        switch (tracker, parse(windows)) {
        case (.success(let unix), .success(let windows)):
            Fuzz.check(windows == unix, "with CRLF: \(Fuzz.difference(unix, windows))")
        case (.failure(let unix), .failure(let windows)):
            Fuzz.check(
                Fuzz.location(of: windows.text) == Fuzz.location(of: unix.text),
                "with CRLF: \(windows), with LF: \(unix)"
            )
        case (let unix, let windows):
            Fuzz.check(false, "with CRLF: \(windows), with LF: \(unix)")
        }
    }
    guard case .success(let tracker) = tracker else {
        return 0
    }
    let written = tracker.tomlText()
    switch parse(written) {
    case .success(let again):
        Fuzz.check(again == tracker, "tomlText() reads back otherwise: \(Fuzz.difference(tracker, again))")
    case .failure(let reason):
        Fuzz.check(false, "tomlText() does not read back: \(reason)\n\(written)")
    }
    return 0
}

/// The tracker, or the text of the error (the initializer throws untyped errors).
private func parse(_ text: String) -> Result<Tracker, Reason> {
    do {
        return .success(try Tracker(toml: text))
    } catch {
        return .failure(Reason(text: "\(error)"))
    }
}

private struct Reason: Error, CustomStringConvertible {
    var text: String
    var description: String { self.text }
}
