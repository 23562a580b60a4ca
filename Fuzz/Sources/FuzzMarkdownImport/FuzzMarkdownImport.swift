import FuzzSupport
import PerftopCore

/// A markdown tracker document (`perftop tracker import FILE`) through ``MarkdownTrackerImporter``, mis-decoded
/// Windows-1252 repair included: the tracker it makes must survive ``Tracker/tomlText()`` and reading back (when
/// its text is at most 2 kB), and the same document with `\r\n` line endings must make the same tracker.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let importer = MarkdownTrackerImporter()
    let text = Fuzz.text(data, size)
    let tracker = importer.tracker(fromMarkdown: text)
    if let windows = Fuzz.withCRLF(text) {
        let again = importer.tracker(fromMarkdown: windows)
        Fuzz.check(again == tracker, "with CRLF: \(again.targets.count) targets, with LF: \(tracker.targets.count)")
    }
    // Reading TOML back is costly under AddressSanitizer, so only small trackers make the round trip; every
    // row goes through the same code whatever the size.
    let written = tracker.tomlText()
    guard written.utf8.count <= 2_048 else {
        return 0
    }
    do {
        let again = try Tracker(toml: written)
        Fuzz.check(again == tracker, "tomlText() reads back otherwise: \(Fuzz.difference(tracker, again))")
    } catch {
        Fuzz.check(false, "tomlText() does not read back: \(error)\n\(written)")
    }
    return 0
}
