/// What every fuzz target needs: its input as bytes or text, a check that stops the run with a message, and
/// the rules the parsers' output must keep, written again here as an independent oracle.
public enum Fuzz {
    /// The input as a buffer; valid only during the call to `LLVMFuzzerTestOneInput`.
    public static func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: data, count: size)
    }

    /// The input as text, invalid UTF-8 replaced by U+FFFD, as `String(decoding:as:)` makes it.
    public static func text(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
        String(decoding: Self.bytes(data, size), as: UTF8.self)
    }

    /// Stops the run (libFuzzer records the input as a crash) when `condition` is false.
    public static func check(
        _ condition: @autoclosure () -> Bool,
        _ message: @autoclosure () -> String,
        file: StaticString = #fileID,
        line: UInt = #line
    ) {
        if !condition() {
            fatalError("fuzz check failed: \(message())", file: file, line: line)
        }
    }

    /// `text` with every line ending `\r\n` instead of `\n`, or nil when it holds a `\r` already: a file saved on
    /// Windows, which every line-based parser must read as it reads the original.
    public static func withCRLF(_ text: String) -> String? {
        guard !text.unicodeScalars.contains("\r") else {
            return nil
        }
        return text.replacing("\n", with: "\r\n")
    }

    /// The `file:line` (or `file`) an error reason of a file parser starts with: what must not change when only
    /// the line endings do (a parser's message may quote the character it saw, `\n` or `\r`).
    public static func location(of reason: String) -> Substring {
        reason.prefix { $0 != " " }
    }

    /// Where two values of the same type first differ, found by reflection: `targets[2].goal: Optional(<
    /// 50ms) vs nil`; for the message of a failed round trip.
    public static func difference(_ a: Any, _ b: Any, path: String = "") -> String {
        let (left, right) = (Mirror(reflecting: a), Mirror(reflecting: b))
        let leftChildren = Array(left.children)
        let rightChildren = Array(right.children)
        guard !leftChildren.isEmpty || !rightChildren.isEmpty else {
            return "\(path): \(String(reflecting: a)) vs \(String(reflecting: b))"
        }
        guard leftChildren.count == rightChildren.count else {
            return "\(path): \(leftChildren.count) vs \(rightChildren.count) elements"
        }
        for (index, (l, r)) in zip(leftChildren, rightChildren).enumerated() {
            let label = l.label.map { ".\($0)" } ?? "[\(index)]"
            if String(reflecting: l.value) != String(reflecting: r.value) {
                return Self.difference(l.value, r.value, path: path + label)
            }
        }
        return "\(path): equal by reflection, unequal by =="
    }

    // MARK: - Oracles

    /// Whether `name` matches `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    public static func isMetricName(_ name: String) -> Bool {
        Self.matches(name, colon: true)
    }

    /// Whether `name` matches `[a-zA-Z_][a-zA-Z0-9_]*`.
    public static func isLabelName(_ name: String) -> Bool {
        Self.matches(name, colon: false)
    }

    private static func matches(_ name: String, colon: Bool) -> Bool {
        var isFirst = true
        for byte in name.utf8 {
            let letter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard letter || byte == UInt8(ascii: "_") || (colon && byte == UInt8(ascii: ":")) || (digit && !isFirst)
            else {
                return false
            }
            isFirst = false
        }
        return !isFirst
    }

    /// Whether `text` is safe for one line of a terminal: no control or format characters, at most
    /// `maximumLength` Unicode scalars.
    public static func isOneSafeLine(_ text: String, maximumLength: Int) -> Bool {
        text.unicodeScalars.count <= maximumLength
            && !text.unicodeScalars.contains {
                [.control, .format, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory)
            }
    }
}
