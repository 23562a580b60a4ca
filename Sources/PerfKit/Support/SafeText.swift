/// Text from outside perftop made safe to print: what a source sends (names, label values, the
/// bytes an error quotes) and what a file holds (tracker names, notes, config values) never reaches
/// a terminal, a CSV cell, a JSON line or a log as a control sequence.
///
/// One rule decides what is unsafe (``isUnsafe(_:)``): C0 controls (tab and line feed included),
/// DEL, C1 controls, line and paragraph separators, and format characters (general category Cf:
/// the bidi overrides and isolates that reorder text, zero-width characters, the byte order mark,
/// tags). Every text that leaves perftop goes through ``escaped(_:limit:)`` (terminal, CSV, logs)
/// or has those scalars spelled as JSON escapes (`ExportText` in perftop). The escape is visible and says
/// which scalar it was: ESC prints as `\u{1B}`, a right-to-left override as `\u{202E}`. Backslashes
/// are kept as they are, so an escape can be told from text that spells one only by context.
public enum SafeText {
    /// The most characters of a source's or a file's text that a reason quotes; the rest is cut
    /// with `…`. Reasons (a source that is down, a bad line) are one line on screen and in logs.
    public static let maximumReasonLength = 240

    /// Whether `scalar` must never leave perftop as it is. Cost: O(1); ASCII needs no property lookup.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F:
            return true
        case 0x20..<0x7F, 0xA0..<0xAD, 0xAE..<0x600:
            return false
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator:
                return true
            default:
                return false
            }
        }
    }

    /// `text` with every unsafe scalar replaced by its visible escape (`\u{1B}`), and, given a
    /// `limit`, cut to that many characters with a trailing `…` when it is longer (escapes
    /// included, so the result is never longer than `limit`).
    ///
    /// Cost: linear in the text, or in `limit` when one is given; printable ASCII is returned as
    /// it is without copying scalars.
    /// - Parameters:
    ///   - text: The text from outside.
    ///   - limit: The most characters returned, at least 1; nil keeps all.
    public static func escaped(_ text: some StringProtocol, limit: Int? = nil) -> String {
        guard let limit else {
            if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
                return String(text)
            }
            return self.escapedScalars(text.unicodeScalars)
        }
        let head = text.prefix(max(1, limit))
        let escaped = self.escapedScalars(head.unicodeScalars)
        guard head.endIndex < text.endIndex || escaped.count > limit else {
            return escaped
        }
        return escaped.prefix(max(0, limit - 1)) + "…"
    }

    /// `text` escaped line by line: line feeds are kept, so a report of several lines stays one,
    /// and every other unsafe scalar (a carriage return too) is escaped as by ``escaped(_:limit:)``.
    public static func escapedKeepingLines(_ text: some StringProtocol) -> String {
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { self.escapedScalars($0) }
            .joined(separator: "\n")
    }

    /// The scalars with the unsafe ones escaped.
    private static func escapedScalars(_ scalars: some Collection<Unicode.Scalar>) -> String {
        var result = String.UnicodeScalarView()
        for scalar in scalars {
            if self.isUnsafe(scalar) {
                result.append(contentsOf: self.escape(scalar).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// The longest piece of outside text a reason quotes by default, e.g. the value a parser could
    /// not read: enough to recognise it, short enough that the reason stays one line.
    public static let maximumQuoteLength = 24

    /// `text` in single quotes for a one-line reason: escaped, and cut to `limit` characters with a
    /// trailing `…`, e.g. `'\u{1B}]52;c;cm0gLXJm…'`. Cost: O(`limit`).
    public static func quoted(_ text: some StringProtocol, limit: Int = SafeText.maximumQuoteLength) -> String {
        "'" + self.escaped(text, limit: limit) + "'"
    }

    /// The visible escape of one scalar: `\u{1B}`.
    static func escape(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }
}
