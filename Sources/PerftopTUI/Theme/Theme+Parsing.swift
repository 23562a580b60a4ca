import FoundationEssentials
import PerfKit
import PerftopCore

/// A theme file that could not be read; the description is one line naming the file and line.
public typealias ThemeError = FileError

// MARK: - Parsing

extension Theme {
    /// Reads a theme from the text of a file in btop's theme format.
    ///
    /// Each line is empty, a `#` comment, or `theme[key]="value"` where the value is `#RRGGBB`,
    /// `#GG` (the grey `#GGGGGG`), `R G B` in decimal (0–255 each), or empty (the terminal's
    /// default: the key is unset). For btop compatibility a value may also be six hex digits without
    /// `#`, and the quotes may be left out. A later line for the same key wins; keys perftop does
    /// not know are ignored. Cost: O(length of the text).
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - name: the theme's name.
    ///   - fileName: the name errors start with, e.g. `nord.theme`.
    /// - Throws: ``ThemeError`` for the first malformed line, e.g.
    ///   `nord.theme:12: theme[title]: "#12345" is not a color (use "#RRGGBB", "#GG" or "R G B")`.
    public init(parsing text: String, name: String, fileName: String) throws(ThemeError) {
        var values: [String: RGB] = [:]
        for (index, rawLine) in text.fileLines().enumerated() {
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") {
                continue
            }
            let (key, value) = try Self.entry(line, file: fileName, line: index + 1)
            guard Self.knownKeys.contains(key) else {
                continue
            }
            if value.isEmpty {
                values[key] = nil
                continue
            }
            guard let color = Self.color(value) else {
                throw ThemeError(
                    "theme[\(key)]: \"\(value)\" is not a color (use \"#RRGGBB\", \"#GG\" or \"R G B\")",
                    file: fileName,
                    line: index + 1
                )
            }
            values[key] = color
        }
        self.init(name: name, values: values)
    }

    /// Reads the theme file at `path`; the theme is named after the file, without `.theme`.
    ///
    /// - Throws: ``ThemeError`` when the file cannot be read or has a malformed line.
    public static func load(path: String) throws(ThemeError) -> Theme {
        let text = try FileError.text(ofFileAt: path, unreadable: "cannot read the theme file")
        let fileName = URL(fileURLWithPath: path).lastPathComponent
        let name = fileName.hasSuffix(".theme") ? String(fileName.dropLast(".theme".count)) : fileName
        return try Theme(parsing: text, name: name, fileName: path)
    }

    /// The key and the unquoted value of a `theme[key]="value"` line.
    private static func entry(_ line: String, file: String, line number: Int) throws(ThemeError) -> (String, String) {
        let expected = "expected theme[key]=\"color\", got: \(line)"
        guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]") else {
            throw ThemeError(expected, file: file, line: number)
        }
        let key = String(line[line.index(line.startIndex, offsetBy: 6)..<close])
        guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw ThemeError("theme[\(key)]: a key is letters, digits and _", file: file, line: number)
        }
        let rest = line[line.index(after: close)...].drop { $0 == " " || $0 == "\t" }
        guard rest.first == "=" else {
            throw ThemeError(expected, file: file, line: number)
        }
        let value = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        guard let quote = value.first, quote == "\"" || quote == "'" else {
            let text = value.firstRange(of: " #").map { value[..<$0.lowerBound] } ?? value
            return (key, text.trimmingWhitespace())
        }
        let body = value.dropFirst()
        guard let end = body.firstIndex(of: quote) else {
            throw ThemeError("theme[\(key)]: the value has no closing \(quote)", file: file, line: number)
        }
        let after = body[body.index(after: end)...].trimmingWhitespace()
        guard after.isEmpty || after.hasPrefix("#") else {
            throw ThemeError("theme[\(key)]: unexpected text after the value: \(after)", file: file, line: number)
        }
        return (key, String(body[..<end]).trimmingWhitespace())
    }

    /// The color a value names: `#RRGGBB`, `RRGGBB`, `#GG` or `R G B`; nil otherwise.
    static func color(_ value: String) -> RGB? {
        let hex = value.hasPrefix("#") ? value.dropFirst() : Substring(value)
        if hex.count == 6 || (hex.count == 2 && value.hasPrefix("#")), let number = UInt32(hex, radix: 16),
            hex.allSatisfy(\.isHexDigit)
        {
            if hex.count == 2 {
                return RGB(grey: UInt8(number))
            }
            return RGB(UInt8(number >> 16), UInt8((number >> 8) & 0xFF), UInt8(number & 0xFF))
        }
        let parts = value.split(whereSeparator: \.isWhitespace)
        guard parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return nil
        }
        let components = parts.compactMap { UInt8($0) }
        return components.count == 3 ? RGB(components[0], components[1], components[2]) : nil
    }
}
