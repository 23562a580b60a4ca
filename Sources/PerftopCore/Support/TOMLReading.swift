import TOMLKit

/// Reads TOML text with TOMLKit, for the config and tracker files, after refusing what would make its parser
/// abort the process.
///
/// TOMLKit 0.6.0 bundles toml++ 3.4.0, whose parser asserts (and aborts: SwiftPM builds C++ without `NDEBUG`)
/// on a table header whose key starts with a character that can neither start a key nor close the header:
/// `[` alone on a line, `[[=`, `[&` (https://github.com/marzer/tomlplusplus/issues/294, fixed upstream by
/// marzer/tomlplusplus#301, not in a TOMLKit release). Such a header is refused here first, with its line.
package enum TOMLReading {
    /// Why TOML text could not be read: TOMLKit's reason, or the unreadable header's.
    package struct SyntaxError: Error, Sendable {
        /// The reason, e.g. `Error while parsing key-value pair: expected '=', saw '\n'`.
        package var message: String
        /// The 1-based line, when known.
        package var line: Int?
    }

    /// The root table of `text`. Cost: TOMLKit's parse plus one pass over the text.
    ///
    /// - Throws: ``SyntaxError``.
    package static func table(from text: String) throws(SyntaxError) -> TOMLTable {
        var scanner = HeaderScanner(bytes: Array(text.utf8))
        if let line = scanner.lineOfUnreadableHeader() {
            throw SyntaxError(message: "expected a key or ']' after '[' in a table header", line: line)
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw SyntaxError(message: error.description, line: error.source.begin.line)
        } catch {
            throw SyntaxError(message: "\(error)", line: nil)
        }
    }
}

/// Follows TOML statements as toml++ does, to find the first table header it would abort on.
///
/// Headers are only where toml++ looks for them, at the start of a statement: not inside a multi-line array or
/// string, a comment or a key. The scanner stops (finding nothing) at the first thing that is not TOML, where
/// toml++ stops with its own error before reaching a later header.
private struct HeaderScanner {
    let bytes: [UInt8]
    private var index = 0
    private var line = 1

    init(bytes: [UInt8]) {
        self.bytes = bytes
        // toml++ skips a byte order mark.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            self.index = 3
        }
    }

    mutating func lineOfUnreadableHeader() -> Int? {
        while let byte = self.peek() {
            switch byte {
            case .space, .tab, .newline:
                self.advance()
            case .carriageReturn:
                guard self.peek(at: 1) == .newline else {
                    return nil
                }
                self.advance()
            case .hash:
                self.skipToLineEnd()
            case .openBracket:
                if self.headerIsUnreadable() {
                    return self.line
                }
                self.skipToLineEnd()
            default:
                guard self.keyValue() else {
                    return nil
                }
            }
        }
        return nil
    }

    /// Whether the header at `index` has, after `[` or `[[` and blanks, a character toml++'s `parse_key`
    /// asserts on; a blank between `[` and `[`, or the end of the text, is an error it reports itself.
    private func headerIsUnreadable() -> Bool {
        var position = self.index + 1
        let afterOne = position
        while position < self.bytes.count, self.bytes[position] == .space || self.bytes[position] == .tab {
            position += 1
        }
        if position < self.bytes.count, self.bytes[position] == .openBracket {
            guard position == afterOne else {
                return false
            }
            position += 1
            while position < self.bytes.count, self.bytes[position] == .space || self.bytes[position] == .tab {
                position += 1
            }
        }
        guard position < self.bytes.count else {
            return false
        }
        let byte = self.bytes[position]
        return !(byte.isBareKeyByte || byte == .quote || byte == .apostrophe || byte == .closeBracket)
    }

    /// Skips a `key = value` statement through its value; false when it is not one.
    private mutating func keyValue() -> Bool {
        while let byte = self.peek(), byte != .equals {
            switch byte {
            case .quote, .apostrophe:
                guard self.skipString() else {
                    return false
                }
            case .dot, .space, .tab:
                self.advance()
            default:
                guard byte.isBareKeyByte else {
                    return false
                }
                self.advance()
            }
        }
        guard self.peek() == .equals else {
            return false
        }
        self.advance()
        // The value, through the line break that ends it outside every array and inline table.
        var depth = 0
        while let byte = self.peek() {
            switch byte {
            case .quote, .apostrophe:
                guard self.skipString() else {
                    return false
                }
            case .openBracket, .openBrace:
                depth += 1
                self.advance()
            case .closeBracket, .closeBrace:
                depth -= 1
                guard depth >= 0 else {
                    return false
                }
                self.advance()
            case .hash:
                self.skipToLineEnd()
            case .newline where depth == 0:
                return true
            default:
                self.advance()
            }
        }
        return true
    }

    /// Skips a basic or literal string, single- or multi-line, from its opening quote; false when unterminated.
    private mutating func skipString() -> Bool {
        guard let quote = self.peek() else {
            return false
        }
        let isMultiLine = self.peek(at: 1) == quote && self.peek(at: 2) == quote
        self.advance(by: isMultiLine ? 3 : 1)
        while let byte = self.peek() {
            if byte == .backslash, quote == .quote {
                self.advance(by: 2)
            } else if byte == quote, !isMultiLine {
                self.advance()
                return true
            } else if byte == quote, self.peek(at: 1) == quote, self.peek(at: 2) == quote {
                // Up to two more quotes belong to the string's text: `"""a""""` ends with `a"`.
                var run = 0
                while self.peek() == quote, run < 5 {
                    self.advance()
                    run += 1
                }
                return true
            } else if byte == .newline, !isMultiLine {
                return false
            } else {
                self.advance()
            }
        }
        return false
    }

    /// Skips a comment, or what follows a header on its line.
    private mutating func skipToLineEnd() {
        while let byte = self.peek(), byte != .newline {
            self.advance()
        }
    }

    private func peek(at offset: Int = 0) -> UInt8? {
        self.index + offset < self.bytes.count ? self.bytes[self.index + offset] : nil
    }

    /// Moves on `count` bytes, counting the line breaks passed.
    private mutating func advance(by count: Int = 1) {
        for _ in 0..<count where self.index < self.bytes.count {
            if self.bytes[self.index] == .newline {
                self.line += 1
            }
            self.index += 1
        }
    }
}

extension UInt8 {
    fileprivate static let space = UInt8(ascii: " ")
    fileprivate static let tab = UInt8(ascii: "\t")
    fileprivate static let newline = UInt8(ascii: "\n")
    fileprivate static let carriageReturn = UInt8(ascii: "\r")
    fileprivate static let hash = UInt8(ascii: "#")
    fileprivate static let openBracket = UInt8(ascii: "[")
    fileprivate static let closeBracket = UInt8(ascii: "]")
    fileprivate static let openBrace = UInt8(ascii: "{")
    fileprivate static let closeBrace = UInt8(ascii: "}")
    fileprivate static let quote = UInt8(ascii: "\"")
    fileprivate static let apostrophe = UInt8(ascii: "'")
    fileprivate static let backslash = UInt8(ascii: "\\")
    fileprivate static let equals = UInt8(ascii: "=")
    fileprivate static let dot = UInt8(ascii: ".")

    /// `A-Za-z0-9_-`, what toml++ 3.4.0 accepts in a bare key.
    fileprivate var isBareKeyByte: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
            || (self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9")) || self == UInt8(ascii: "_")
            || self == UInt8(ascii: "-")
    }
}
