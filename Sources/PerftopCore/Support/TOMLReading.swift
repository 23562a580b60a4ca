import TOMLKit

/// Reads TOML text with TOMLKit, for the config and tracker files, after checking its syntax here.
///
/// TOMLKit 0.6.0 bundles toml++ 3.4.0, whose parser asserts, and so aborts the process (SwiftPM builds C++
/// without `NDEBUG`, release builds included), on several kinds of malformed text: `[` alone on a line, `[&`
/// (https://github.com/marzer/tomlplusplus/issues/294), `a = [}`, `a = 2026-11-23T:`. So the text is first
/// checked against the TOML 1.0 grammar (``TOMLSyntax``) and only well-formed text reaches TOMLKit, which
/// still checks what the grammar cannot: a key or table defined twice.
package enum TOMLReading {
    /// Why TOML text could not be read: the syntax check's reason or TOMLKit's.
    package struct SyntaxError: Error, Sendable {
        /// The reason, e.g. `expected '=' after the key`.
        package var message: String
        /// The 1-based line, when known.
        package var line: Int?
    }

    /// The root table of `text`. Cost: one pass over the text, then TOMLKit's parse.
    ///
    /// - Throws: ``SyntaxError``.
    package static func table(from text: String) throws(SyntaxError) -> TOMLTable {
        do {
            try TOMLSyntax.check(text)
        } catch {
            throw SyntaxError(message: error.message, line: error.line)
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

/// A check of TOML 1.0 syntax (https://toml.io/en/v1.0.0): every statement, key, string, number, date and
/// time, array and inline table, without building any value.
///
/// It refuses what the grammar refuses and accepts the rest, except arrays and inline tables nested more than
/// ``maximumDepth`` deep. Cost: one pass over the UTF-8 bytes; recursion at most ``maximumDepth`` deep.
package struct TOMLSyntax {
    /// Where and why the text is not TOML.
    package struct Failure: Error, Equatable {
        /// What was expected or found, lower case.
        package var message: String
        /// The 1-based line.
        package var line: Int
    }

    /// The deepest nesting of arrays and inline tables accepted (toml++ allows 256).
    package static let maximumDepth = 64

    /// Checks `text`.
    ///
    /// - Throws: ``Failure`` at the first thing that is not TOML 1.0.
    package static func check(_ text: String) throws(Failure) {
        var syntax = TOMLSyntax(bytes: Array(text.utf8))
        try syntax.document()
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var depth = 0

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            self.index = 3
        }
    }

    // MARK: Statements

    private mutating func document() throws(Failure) {
        while true {
            self.skipBlanks()
            guard let byte = self.peek() else {
                return
            }
            switch byte {
            case .newline, .carriageReturn:
                try self.lineBreak()
            case .hash:
                try self.comment()
            case .openBracket:
                try self.tableHeader()
                try self.endOfLine()
            default:
                try self.keyValue()
                try self.endOfLine()
            }
        }
    }

    /// `[key]` or `[[key]]`, the brackets of the second form written together.
    private mutating func tableHeader() throws(Failure) {
        self.index += 1
        let isArray = self.consume(.openBracket)
        self.skipBlanks()
        try self.key(in: "table header")
        self.skipBlanks()
        guard self.consume(.closeBracket), !isArray || self.consume(.closeBracket) else {
            throw self.failure(
                isArray ? "expected ']]' to close the table header" : "expected ']' to close the table header"
            )
        }
    }

    private mutating func keyValue() throws(Failure) {
        try self.key(in: "key-value pair")
        self.skipBlanks()
        guard self.consume(.equals) else {
            throw self.failure("expected '=' after the key")
        }
        self.skipBlanks()
        try self.value()
    }

    /// After a statement: blanks, an optional comment, then a line break or the end.
    private mutating func endOfLine() throws(Failure) {
        self.skipBlanks()
        if self.peek() == .hash {
            try self.comment()
        }
        guard self.peek() != nil else {
            return
        }
        guard self.peek() == .newline || self.peek() == .carriageReturn else {
            throw self.failure("expected the end of the line, found \(self.describeCurrent())")
        }
        try self.lineBreak()
    }

    private mutating func comment() throws(Failure) {
        self.index += 1
        while let byte = self.peek(), byte != .newline, byte != .carriageReturn {
            guard !byte.isControl || byte == .tab else {
                throw self.failure("control character in a comment")
            }
            self.index += 1
        }
    }

    /// `\n` or `\r\n`.
    private mutating func lineBreak() throws(Failure) {
        if self.consume(.carriageReturn), self.peek() != .newline {
            throw self.failure("a carriage return must be followed by a line feed")
        }
        self.index += 1
        self.line += 1
    }

    // MARK: Keys

    /// A bare, quoted or dotted key.
    private mutating func key(in context: String) throws(Failure) {
        while true {
            switch self.peek() {
            case .quote?:
                guard !self.starts(with: [.quote, .quote, .quote]) else {
                    throw self.failure("a key cannot be a multi-line string")
                }
                try self.basicString()
            case .apostrophe?:
                guard !self.starts(with: [.apostrophe, .apostrophe, .apostrophe]) else {
                    throw self.failure("a key cannot be a multi-line string")
                }
                try self.literalString()
            case let byte? where byte.isBareKeyByte:
                while let byte = self.peek(), byte.isBareKeyByte {
                    self.index += 1
                }
            default:
                throw self.failure("expected a key in the \(context), found \(self.describeCurrent())")
            }
            self.skipBlanks()
            guard self.consume(.dot) else {
                return
            }
            self.skipBlanks()
        }
    }

    // MARK: Values

    private mutating func value() throws(Failure) {
        guard let byte = self.peek() else {
            throw self.failure("expected a value, found the end")
        }
        switch byte {
        case .quote:
            try self.starts(with: [.quote, .quote, .quote]) ? self.multiLineString(quote: .quote) : self.basicString()
        case .apostrophe:
            try self.starts(with: [.apostrophe, .apostrophe, .apostrophe])
                ? self.multiLineString(quote: .apostrophe) : self.literalString()
        case .openBracket:
            try self.nested { (syntax) throws(Failure) in try syntax.array() }
        case .openBrace:
            try self.nested { (syntax) throws(Failure) in try syntax.inlineTable() }
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            guard self.consumeWord("true") || self.consumeWord("false") else {
                throw self.failure("expected a value, found \(self.describeCurrent())")
            }
        default:
            try self.scalar()
        }
    }

    private mutating func nested(_ body: (inout TOMLSyntax) throws(Failure) -> Void) throws(Failure) {
        guard self.depth < Self.maximumDepth else {
            throw self.failure("arrays and inline tables nested more than \(Self.maximumDepth) deep")
        }
        self.depth += 1
        try body(&self)
        self.depth -= 1
    }

    private mutating func array() throws(Failure) {
        self.index += 1
        while true {
            try self.skipBlanksCommentsAndLineBreaks()
            if self.consume(.closeBracket) {
                return
            }
            try self.value()
            try self.skipBlanksCommentsAndLineBreaks()
            if self.consume(.comma) {
                continue
            }
            guard self.consume(.closeBracket) else {
                throw self.failure("expected ',' or ']' in an array, found \(self.describeCurrent())")
            }
            return
        }
    }

    /// `{ key = value, … }` on one line, without a trailing comma.
    private mutating func inlineTable() throws(Failure) {
        self.index += 1
        self.skipBlanks()
        if self.consume(.closeBrace) {
            return
        }
        while true {
            try self.keyValue()
            self.skipBlanks()
            if self.consume(.closeBrace) {
                return
            }
            guard self.consume(.comma) else {
                throw self.failure("expected ',' or '}' in an inline table, found \(self.describeCurrent())")
            }
            self.skipBlanks()
        }
    }

    /// A number, a date, a time or a date-time: the run of bytes up to the next separator.
    private mutating func scalar() throws(Failure) {
        let start = self.index
        while let byte = self.peek(), byte.isScalarByte {
            self.index += 1
        }
        // A date and a time may be separated by a space: `1979-05-27 07:32:00Z`.
        if TOMLScalar.isDate(self.bytes[start..<self.index]), self.peek() == .space,
            self.index + 3 < self.bytes.count, self.bytes[self.index + 1].isDigit, self.bytes[self.index + 2].isDigit,
            self.bytes[self.index + 3] == UInt8(ascii: ":")
        {
            self.index += 1
            while let byte = self.peek(), byte.isScalarByte {
                self.index += 1
            }
        }
        let token = self.bytes[start..<self.index]
        guard !token.isEmpty else {
            throw self.failure("expected a value, found \(self.describeCurrent())")
        }
        guard TOMLScalar.isValid(token) else {
            throw self.failure("'\(String(decoding: token.prefix(40), as: UTF8.self))' is not a TOML value")
        }
    }

    // MARK: Strings

    private mutating func basicString() throws(Failure) {
        self.index += 1
        while let byte = self.peek() {
            switch byte {
            case .quote:
                self.index += 1
                return
            case .backslash:
                try self.escape()
            case .newline, .carriageReturn:
                throw self.failure("unterminated string")
            default:
                guard !byte.isControl || byte == .tab else {
                    throw self.failure("control character in a string (write it as an escape)")
                }
                self.index += 1
            }
        }
        throw self.failure("unterminated string")
    }

    private mutating func literalString() throws(Failure) {
        self.index += 1
        while let byte = self.peek() {
            switch byte {
            case .apostrophe:
                self.index += 1
                return
            case .newline, .carriageReturn:
                throw self.failure("unterminated string")
            default:
                guard !byte.isControl || byte == .tab else {
                    throw self.failure("control character in a string")
                }
                self.index += 1
            }
        }
        throw self.failure("unterminated string")
    }

    /// `"""…"""` or `'''…'''`: line breaks allowed, and up to two quotes of its kind together; escapes and
    /// line-ending backslashes in the basic form.
    private mutating func multiLineString(quote: UInt8) throws(Failure) {
        self.index += 3
        while let byte = self.peek() {
            switch byte {
            case quote:
                var run = 0
                while self.peek() == quote {
                    self.index += 1
                    run += 1
                }
                if run >= 3 {
                    guard run <= 5 else {
                        throw self.failure("too many quotes at the end of a multi-line string")
                    }
                    return
                }
            case .backslash where quote == .quote:
                if self.isLineEndingBackslash() {
                    self.index += 1
                    try self.skipBlanksAndLineBreaks()
                } else {
                    try self.escape()
                }
            case .newline, .carriageReturn:
                try self.lineBreak()
            default:
                guard !byte.isControl || byte == .tab else {
                    throw self.failure("control character in a string")
                }
                self.index += 1
            }
        }
        throw self.failure("unterminated multi-line string")
    }

    /// Whether the backslash here is followed by blanks, then a line break.
    private func isLineEndingBackslash() -> Bool {
        var position = self.index + 1
        while position < self.bytes.count, self.bytes[position] == .space || self.bytes[position] == .tab {
            position += 1
        }
        return position < self.bytes.count
            && (self.bytes[position] == .newline || self.bytes[position] == .carriageReturn)
    }

    /// `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`, the last two a Unicode scalar.
    private mutating func escape() throws(Failure) {
        self.index += 1
        guard let byte = self.peek() else {
            throw self.failure("unterminated string")
        }
        self.index += 1
        switch byte {
        case UInt8(ascii: "b"), UInt8(ascii: "t"), UInt8(ascii: "n"), UInt8(ascii: "f"), UInt8(ascii: "r"), .quote,
            .backslash:
            return
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            guard self.index + count <= self.bytes.count,
                let value = UInt32(
                    String(decoding: self.bytes[self.index..<self.index + count], as: UTF8.self),
                    radix: 16
                ),
                self.bytes[self.index..<self.index + count].allSatisfy(\.isHexDigit),
                Unicode.Scalar(value) != nil
            else {
                throw self.failure(
                    "invalid \\\(Character(Unicode.Scalar(byte))) escape: expected \(count) hex digits of a Unicode scalar"
                )
            }
            self.index += count
        default:
            throw self.failure("invalid escape '\\\(byte.isControl ? "?" : String(decoding: [byte], as: UTF8.self))'")
        }
    }

    // MARK: Bytes

    private func peek() -> UInt8? {
        self.index < self.bytes.count ? self.bytes[self.index] : nil
    }

    private func starts(with prefix: [UInt8]) -> Bool {
        self.bytes[self.index...].starts(with: prefix)
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard self.peek() == byte else {
            return false
        }
        self.index += 1
        return true
    }

    /// Consumes `word` when it is not followed by more of a bare value.
    private mutating func consumeWord(_ word: String) -> Bool {
        let end = self.index + word.utf8.count
        guard self.starts(with: Array(word.utf8)), end == self.bytes.count || !self.bytes[end].isScalarByte else {
            return false
        }
        self.index = end
        return true
    }

    private mutating func skipBlanks() {
        while self.peek() == .space || self.peek() == .tab {
            self.index += 1
        }
    }

    private mutating func skipBlanksAndLineBreaks() throws(Failure) {
        while let byte = self.peek() {
            switch byte {
            case .space, .tab: self.index += 1
            case .newline, .carriageReturn: try self.lineBreak()
            default: return
            }
        }
    }

    private mutating func skipBlanksCommentsAndLineBreaks() throws(Failure) {
        while true {
            try self.skipBlanksAndLineBreaks()
            guard self.peek() == .hash else {
                return
            }
            try self.comment()
        }
    }

    private func describeCurrent() -> String {
        guard let byte = self.peek() else {
            return "the end"
        }
        if byte.isControl {
            return byte == .newline || byte == .carriageReturn ? "the end of the line" : "a control character"
        }
        // The whole character, not a byte of it.
        let end = self.bytes[(self.index + 1)...].firstIndex { $0 & 0xC0 != 0x80 } ?? self.bytes.count
        return "'\(String(decoding: self.bytes[self.index..<end], as: UTF8.self))'"
    }

    private func failure(_ message: String) -> Failure {
        Failure(message: message, line: self.line)
    }
}

// MARK: - Numbers, dates and times

/// The grammar of TOML's unquoted scalars: integers, floats, dates, times and date-times.
private enum TOMLScalar {
    static func isValid(_ token: ArraySlice<UInt8>) -> Bool {
        self.isInteger(token) || self.isFloat(token) || self.isDateTime(token)
    }

    // MARK: Numbers

    /// `[+-]?(0|[1-9](_?[0-9])*)`, or `0x`/`0o`/`0b` digits without a sign; within 64 bits, signed.
    static func isInteger(_ token: ArraySlice<UInt8>) -> Bool {
        var digits = token
        let negative = digits.first == UInt8(ascii: "-")
        if digits.first == UInt8(ascii: "+") || negative {
            digits = digits.dropFirst()
        }
        let radix: Int
        switch (digits.first, digits.dropFirst().first) {
        case (UInt8(ascii: "0")?, UInt8(ascii: "x")?): radix = 16
        case (UInt8(ascii: "0")?, UInt8(ascii: "o")?): radix = 8
        case (UInt8(ascii: "0")?, UInt8(ascii: "b")?): radix = 2
        default: radix = 10
        }
        if radix != 10 {
            guard digits.count == token.count else {
                return false
            }
            digits = digits.dropFirst(2)
        } else if digits.first == UInt8(ascii: "0"), digits.count > 1 {
            return false
        }
        guard self.isDigitRun(digits, radix: radix) else {
            return false
        }
        let text = String(decoding: digits.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        return Int64((negative ? "-" : "") + text, radix: radix) != nil
    }

    /// `[+-]?(inf|nan)`, or a decimal integer with a fraction, an exponent or both.
    static func isFloat(_ token: ArraySlice<UInt8>) -> Bool {
        var rest = token
        if rest.first == UInt8(ascii: "+") || rest.first == UInt8(ascii: "-") {
            rest = rest.dropFirst()
        }
        if rest.elementsEqual("inf".utf8) || rest.elementsEqual("nan".utf8) {
            return true
        }
        let integerEnd = rest.firstIndex {
            $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E")
        }
        guard let integerEnd else {
            return false
        }
        let integer = rest[..<integerEnd]
        guard self.isDigitRun(integer, radix: 10), integer.first != UInt8(ascii: "0") || integer.count == 1 else {
            return false
        }
        var tail = rest[integerEnd...]
        if tail.first == UInt8(ascii: ".") {
            let end = tail.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } ?? tail.endIndex
            guard self.isDigitRun(tail[(tail.startIndex + 1)..<end], radix: 10) else {
                return false
            }
            tail = tail[end...]
        }
        guard !tail.isEmpty else {
            return true
        }
        var exponent = tail.dropFirst()
        if exponent.first == UInt8(ascii: "+") || exponent.first == UInt8(ascii: "-") {
            exponent = exponent.dropFirst()
        }
        return self.isDigitRun(exponent, radix: 10)
    }

    /// One or more digits of `radix`, single underscores only between two digits.
    private static func isDigitRun(_ digits: ArraySlice<UInt8>, radix: Int) -> Bool {
        var previousIsDigit = false
        for byte in digits {
            if byte == UInt8(ascii: "_") {
                guard previousIsDigit else {
                    return false
                }
                previousIsDigit = false
            } else {
                guard let value = byte.hexValue, value < radix else {
                    return false
                }
                previousIsDigit = true
            }
        }
        return previousIsDigit
    }

    // MARK: Dates and times

    /// `YYYY-MM-DD`, with a real day of that month.
    static func isDate(_ token: ArraySlice<UInt8>) -> Bool {
        guard token.count == 10, let year = self.number(token, at: 0, digits: 4),
            token[token.startIndex + 4] == UInt8(ascii: "-"), let month = self.number(token, at: 5, digits: 2),
            token[token.startIndex + 7] == UInt8(ascii: "-"), let day = self.number(token, at: 8, digits: 2),
            (1...12).contains(month)
        else {
            return false
        }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }

    /// A date, a time (`HH:MM:SS[.fraction]`), or a date and a time separated by `T`, `t` or a space, the time
    /// then optionally followed by `Z`, `z` or `±HH:MM`.
    static func isDateTime(_ token: ArraySlice<UInt8>) -> Bool {
        if self.isDate(token) {
            return true
        }
        guard token.count > 10, self.isDate(token.prefix(10)) else {
            return self.timeLength(token) == token.count
        }
        let separator = token[token.startIndex + 10]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else {
            return false
        }
        let time = token.dropFirst(11)
        guard let length = self.timeLength(time) else {
            return false
        }
        let offset = time.dropFirst(length)
        if offset.elementsEqual("Z".utf8) || offset.elementsEqual("z".utf8) || offset.isEmpty {
            return true
        }
        guard offset.count == 6, offset.first == UInt8(ascii: "+") || offset.first == UInt8(ascii: "-"),
            let hours = self.number(offset, at: 1, digits: 2), offset[offset.startIndex + 3] == UInt8(ascii: ":"),
            let minutes = self.number(offset, at: 4, digits: 2)
        else {
            return false
        }
        return hours <= 23 && minutes <= 59
    }

    /// The length of the `HH:MM:SS[.fraction]` at the start of `token`, or nil.
    private static func timeLength(_ token: ArraySlice<UInt8>) -> Int? {
        guard token.count >= 8, let hours = self.number(token, at: 0, digits: 2),
            token[token.startIndex + 2] == UInt8(ascii: ":"), let minutes = self.number(token, at: 3, digits: 2),
            token[token.startIndex + 5] == UInt8(ascii: ":"), let seconds = self.number(token, at: 6, digits: 2),
            hours <= 23, minutes <= 59, seconds <= 60
        else {
            return nil
        }
        guard token.count > 8, token[token.startIndex + 8] == UInt8(ascii: ".") else {
            return 8
        }
        let fraction = token.dropFirst(9).prefix { $0.isDigit }
        // toml++ reads at most 64 digits of a fraction.
        return fraction.isEmpty || fraction.count > 60 ? nil : 9 + fraction.count
    }

    /// The decimal number of `digits` digits at `offset`, or nil.
    private static func number(_ token: ArraySlice<UInt8>, at offset: Int, digits: Int) -> Int? {
        let start = token.startIndex + offset
        guard start + digits <= token.endIndex else {
            return nil
        }
        var value = 0
        for byte in token[start..<start + digits] {
            guard byte.isDigit else {
                return nil
            }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

// MARK: - Bytes

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
    fileprivate static let comma = UInt8(ascii: ",")

    /// U+0000 to U+001F and U+007F; TOML allows only the tab of them in strings and comments.
    fileprivate var isControl: Bool {
        self < 0x20 || self == 0x7F
    }

    fileprivate var isDigit: Bool {
        self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9")
    }

    fileprivate var isHexDigit: Bool {
        self.hexValue != nil
    }

    fileprivate var hexValue: Int? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(self - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(self - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(self - UInt8(ascii: "A")) + 10
        default: nil
        }
    }

    /// `A-Za-z0-9_-`.
    fileprivate var isBareKeyByte: Bool {
        (self | 0x20 >= UInt8(ascii: "a") && self | 0x20 <= UInt8(ascii: "z")) || self.isDigit
            || self == UInt8(ascii: "_") || self == UInt8(ascii: "-")
    }

    /// What a number, date or time is made of: letters, digits, `_ + - . :`.
    fileprivate var isScalarByte: Bool {
        self.isBareKeyByte || self == UInt8(ascii: "+") || self == UInt8(ascii: ".") || self == UInt8(ascii: ":")
    }
}
