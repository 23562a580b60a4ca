/// Reads TOML 1.0 (https://toml.io/en/v1.0.0) for the config and tracker files: every statement, key,
/// string, number, date and time, array and inline table, and the rules on defining keys and tables.
///
/// perftop used TOMLKit (toml++ 3.4.0 inside) before: toml++ asserted, and so aborted the process, on several
/// kinds of malformed text (`[` alone on a line, `a = [}`, `a = 2026-11-23T:`), TOMLKit leaked the C strings
/// behind every key, ended strings at a NUL, and imported full Foundation, which linked ICU into perftop
/// (about 6 MiB of resident memory). This parser reads what perftop's files need: UTF-8 text of a few
/// kilobytes, once per run.
///
/// It refuses what TOML 1.0 refuses and accepts the rest, except arrays and inline tables nested more than
/// ``maximumDepth`` deep. Cost: one pass over the UTF-8 bytes; recursion at most ``maximumDepth`` deep.
package struct TOMLParser {
    /// Where and why the text is not TOML.
    package struct Failure: Error, Equatable {
        /// What was expected or found, lower case.
        package var message: String
        /// The 1-based line.
        package var line: Int
    }

    /// The deepest nesting of arrays and inline tables accepted (toml++ allows 256).
    package static let maximumDepth = 64

    /// The root table of `text`.
    ///
    /// - Throws: ``Failure`` at the first thing that is not TOML 1.0.
    package static func parse(_ text: String) throws(Failure) -> TOMLTable {
        var parser = TOMLParser(bytes: Array(text.utf8))
        try parser.document()
        return parser.root.table()
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var depth = 0
    private let root = TableBuilder(origin: .header)

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            self.index = 3
        }
    }

    // MARK: Statements

    private mutating func document() throws(Failure) {
        var current = self.root
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
                current = try self.tableHeader()
                try self.endOfLine()
            default:
                try self.keyValue(in: current)
                try self.endOfLine()
            }
        }
    }

    /// `[key]` or `[[key]]`, the brackets of the second form written together; returns the table it opens.
    private mutating func tableHeader() throws(Failure) -> TableBuilder {
        let line = self.line
        self.index += 1
        let isArray = self.consume(.openBracket)
        self.skipBlanks()
        let path = try self.key(in: "table header")
        self.skipBlanks()
        guard self.consume(.closeBracket), !isArray || self.consume(.closeBracket) else {
            throw self.failure(
                isArray ? "expected ']]' to close the table header" : "expected ']' to close the table header"
            )
        }
        return try self.root.open(path, isArray: isArray, line: line)
    }

    private mutating func keyValue(in table: TableBuilder) throws(Failure) {
        let line = self.line
        let path = try self.key(in: "key-value pair")
        self.skipBlanks()
        guard self.consume(.equals) else {
            throw self.failure("expected '=' after the key")
        }
        self.skipBlanks()
        let value = try self.value()
        try table.assign(value, to: path, line: line)
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

    /// A bare, quoted or dotted key: its parts.
    private mutating func key(in context: String) throws(Failure) -> [String] {
        var path: [String] = []
        while true {
            switch self.peek() {
            case .quote?:
                guard !self.starts(with: [.quote, .quote, .quote]) else {
                    throw self.failure("a key cannot be a multi-line string")
                }
                path.append(try self.basicString())
            case .apostrophe?:
                guard !self.starts(with: [.apostrophe, .apostrophe, .apostrophe]) else {
                    throw self.failure("a key cannot be a multi-line string")
                }
                path.append(try self.literalString())
            case let byte? where byte.isBareKeyByte:
                let start = self.index
                while let byte = self.peek(), byte.isBareKeyByte {
                    self.index += 1
                }
                path.append(String(decoding: self.bytes[start..<self.index], as: UTF8.self))
            default:
                throw self.failure("expected a key in the \(context), found \(self.describeCurrent())")
            }
            self.skipBlanks()
            guard self.consume(.dot) else {
                return path
            }
            self.skipBlanks()
        }
    }

    // MARK: Values

    private mutating func value() throws(Failure) -> TOMLValue {
        guard let byte = self.peek() else {
            throw self.failure("expected a value, found the end")
        }
        switch byte {
        case .quote:
            let isMultiLine = self.starts(with: [.quote, .quote, .quote])
            return .string(try isMultiLine ? self.multiLineString(quote: .quote) : self.basicString())
        case .apostrophe:
            let isMultiLine = self.starts(with: [.apostrophe, .apostrophe, .apostrophe])
            return .string(try isMultiLine ? self.multiLineString(quote: .apostrophe) : self.literalString())
        case .openBracket:
            return try self.nested { (parser) throws(Failure) in try parser.array() }
        case .openBrace:
            return try self.nested { (parser) throws(Failure) in try parser.inlineTable() }
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            if self.consumeWord("true") {
                return .boolean(true)
            }
            guard self.consumeWord("false") else {
                throw self.failure("expected a value, found \(self.describeCurrent())")
            }
            return .boolean(false)
        default:
            return try self.scalar()
        }
    }

    private mutating func nested(
        _ body: (inout TOMLParser) throws(Failure) -> TOMLValue
    ) throws(Failure) -> TOMLValue {
        guard self.depth < Self.maximumDepth else {
            throw self.failure("arrays and inline tables nested more than \(Self.maximumDepth) deep")
        }
        self.depth += 1
        let value = try body(&self)
        self.depth -= 1
        return value
    }

    private mutating func array() throws(Failure) -> TOMLValue {
        self.index += 1
        var elements: [TOMLValue] = []
        while true {
            try self.skipBlanksCommentsAndLineBreaks()
            if self.consume(.closeBracket) {
                return .array(elements)
            }
            elements.append(try self.value())
            try self.skipBlanksCommentsAndLineBreaks()
            if self.consume(.comma) {
                continue
            }
            guard self.consume(.closeBracket) else {
                throw self.failure("expected ',' or ']' in an array, found \(self.describeCurrent())")
            }
            return .array(elements)
        }
    }

    /// `{ key = value, … }` on one line, without a trailing comma; nothing can be added to it later.
    private mutating func inlineTable() throws(Failure) -> TOMLValue {
        self.index += 1
        self.skipBlanks()
        let table = TableBuilder(origin: .header)
        if self.consume(.closeBrace) {
            return .table(table.table())
        }
        while true {
            try self.keyValue(in: table)
            self.skipBlanks()
            if self.consume(.closeBrace) {
                return .table(table.table())
            }
            guard self.consume(.comma) else {
                throw self.failure("expected ',' or '}' in an inline table, found \(self.describeCurrent())")
            }
            self.skipBlanks()
        }
    }

    /// A number, a date, a time or a date-time: the run of bytes up to the next separator.
    private mutating func scalar() throws(Failure) -> TOMLValue {
        let start = self.index
        while let byte = self.peek(), byte.isScalarByte {
            self.index += 1
        }
        // A date and a time may be separated by a space: `1979-05-27 07:32:00Z`.
        if TOMLScalar.date(self.bytes[start..<self.index]) != nil, self.peek() == .space,
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
        guard let value = TOMLScalar.value(token) else {
            throw self.failure("'\(String(decoding: token.prefix(40), as: UTF8.self))' is not a TOML value")
        }
        return value
    }

    // MARK: Strings

    private mutating func basicString() throws(Failure) -> String {
        self.index += 1
        var text: [UInt8] = []
        while let byte = self.peek() {
            switch byte {
            case .quote:
                self.index += 1
                return String(decoding: text, as: UTF8.self)
            case .backslash:
                try self.escape(into: &text)
            case .newline, .carriageReturn:
                throw self.failure("unterminated string")
            default:
                guard !byte.isControl || byte == .tab else {
                    throw self.failure("control character in a string (write it as an escape)")
                }
                text.append(byte)
                self.index += 1
            }
        }
        throw self.failure("unterminated string")
    }

    private mutating func literalString() throws(Failure) -> String {
        self.index += 1
        let start = self.index
        while let byte = self.peek() {
            switch byte {
            case .apostrophe:
                self.index += 1
                return String(decoding: self.bytes[start..<self.index - 1], as: UTF8.self)
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

    /// `"""…"""` or `'''…'''`: line breaks allowed (each read as `\n`; one right after the opening quotes is
    /// dropped), and up to two quotes of its kind together; escapes and line-ending backslashes in the basic
    /// form.
    private mutating func multiLineString(quote: UInt8) throws(Failure) -> String {
        self.index += 3
        if self.peek() == .newline || self.starts(with: [.carriageReturn, .newline]) {
            try self.lineBreak()
        }
        var text: [UInt8] = []
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
                    text += repeatElement(quote, count: run - 3)
                    return String(decoding: text, as: UTF8.self)
                }
                text += repeatElement(quote, count: run)
            case .backslash where quote == .quote:
                if self.isLineEndingBackslash() {
                    self.index += 1
                    try self.skipBlanksAndLineBreaks()
                } else {
                    try self.escape(into: &text)
                }
            case .newline, .carriageReturn:
                try self.lineBreak()
                text.append(.newline)
            default:
                guard !byte.isControl || byte == .tab else {
                    throw self.failure("control character in a string")
                }
                text.append(byte)
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

    /// `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`, the last two a Unicode scalar: appends what it stands for.
    private mutating func escape(into text: inout [UInt8]) throws(Failure) {
        self.index += 1
        guard let byte = self.peek() else {
            throw self.failure("unterminated string")
        }
        self.index += 1
        switch byte {
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "t"): text.append(.tab)
        case UInt8(ascii: "n"): text.append(.newline)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "r"): text.append(.carriageReturn)
        case .quote, .backslash: text.append(byte)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            guard self.index + count <= self.bytes.count,
                self.bytes[self.index..<self.index + count].allSatisfy(\.isHexDigit),
                let value = UInt32(
                    String(decoding: self.bytes[self.index..<self.index + count], as: UTF8.self),
                    radix: 16
                ),
                let scalar = Unicode.Scalar(value)
            else {
                throw self.failure(
                    "invalid \\\(Character(Unicode.Scalar(byte))) escape: expected \(count) hex digits of a Unicode scalar"
                )
            }
            text += Array(String(Character(scalar)).utf8)
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

// MARK: - Tables

/// A table while the text is read, and what may still be defined in it.
private final class TableBuilder {
    /// How the table came to be, which decides what may add to it (TOML 1.0, "Table").
    enum Origin {
        /// Named on the way to a header's table (`a` of `[a.b]`): a `[a]` header may still define it.
        case implicit
        /// Defined by a `[header]`, a `[[header]]`, an inline table or the document: defined once.
        case header
        /// Made by a dotted key (`a.b = 1` makes `a`): more dotted keys may add to it, no header may.
        case dotted
    }

    enum Entry {
        case value(TOMLValue)
        case table(TableBuilder)
        /// `[[name]]` tables, in order; a header `[name.x]` goes into the last one.
        case tables([TableBuilder])
    }

    var origin: Origin
    private var keys: [String] = []
    private var entries: [String: Entry] = [:]

    init(origin: Origin) {
        self.origin = origin
    }

    /// The table `[path]` or a new element of `[[path]]`, from the root: the table to read key-value pairs into.
    func open(_ path: [String], isArray: Bool, line: Int) throws(TOMLParser.Failure) -> TableBuilder {
        var table = self
        for (position, key) in path.dropLast().enumerated() {
            switch table.entries[key] {
            case nil:
                table = table.add(key, origin: .implicit)
            case .table(let next):
                table = next
            case .tables(let elements):
                table = elements[elements.count - 1]
            case .value:
                let name = Self.name(path.prefix(position + 1))
                throw Self.failure("\(name) is already a value, so [\(Self.name(path))] cannot be a table in it", line)
            }
        }
        let key = path[path.count - 1]
        switch (table.entries[key], isArray) {
        case (nil, false):
            return table.add(key, origin: .header)
        case (nil, true):
            let element = TableBuilder(origin: .header)
            table.insert(key, .tables([element]))
            return element
        case (.table(let existing), false) where existing.origin == .implicit:
            existing.origin = .header
            return existing
        case (.tables(let elements), true):
            let element = TableBuilder(origin: .header)
            table.entries[key] = .tables(elements + [element])
            return element
        case (.value, _):
            throw Self.failure("\(Self.name(path)) is already a value", line)
        default:
            throw Self.failure(
                isArray
                    ? "\(Self.name(path)) is already a table, so [[\(Self.name(path))]] cannot add to it"
                    : "table [\(Self.name(path))] is defined twice",
                line
            )
        }
    }

    /// `path = value` in this table; a dotted path makes or extends the tables on its way.
    func assign(_ value: TOMLValue, to path: [String], line: Int) throws(TOMLParser.Failure) {
        var table = self
        for (position, key) in path.dropLast().enumerated() {
            switch table.entries[key] {
            case nil:
                table = table.add(key, origin: .dotted)
            case .table(let next) where next.origin == .dotted:
                table = next
            default:
                let name = Self.name(path.prefix(position + 1))
                throw Self.failure("\(name) is already defined, so \(Self.name(path)) cannot be added to it", line)
            }
        }
        let key = path[path.count - 1]
        guard table.entries[key] == nil else {
            throw Self.failure("\(Self.name(path)) is defined twice", line)
        }
        table.insert(key, .value(value))
    }

    /// The table as read.
    func table() -> TOMLTable {
        var table = TOMLTable()
        for key in self.keys {
            switch self.entries[key] {
            case .value(let value)?: table.set(value, for: key)
            case .table(let builder)?: table.set(.table(builder.table()), for: key)
            case .tables(let builders)?: table.set(.array(builders.map { .table($0.table()) }), for: key)
            case nil: break
            }
        }
        return table
    }

    private func add(_ key: String, origin: Origin) -> TableBuilder {
        let table = TableBuilder(origin: origin)
        self.insert(key, .table(table))
        return table
    }

    private func insert(_ key: String, _ entry: Entry) {
        self.keys.append(key)
        self.entries[key] = entry
    }

    /// A dotted key as written in a message: bare parts as they are, others quoted.
    private static func name(_ path: some Collection<String>) -> String {
        path.map { key in
            !key.isEmpty && key.utf8.allSatisfy(\.isBareKeyByte) ? key : TOMLWriting.string(key)
        }.joined(separator: ".")
    }

    private static func failure(_ message: String, _ line: Int) -> TOMLParser.Failure {
        TOMLParser.Failure(message: message, line: line)
    }
}

// MARK: - Numbers, dates and times

/// TOML's unquoted scalars: integers, floats, dates, times and date-times.
private enum TOMLScalar {
    /// The value `token` spells, or nil when it is none of them.
    static func value(_ token: ArraySlice<UInt8>) -> TOMLValue? {
        if let integer = self.integer(token) {
            return .integer(integer)
        }
        if let float = self.float(token) {
            return .float(float)
        }
        return self.dateTime(token)
    }

    // MARK: Numbers

    /// `[+-]?(0|[1-9](_?[0-9])*)`, or `0x`/`0o`/`0b` digits without a sign; within 64 bits, signed.
    static func integer(_ token: ArraySlice<UInt8>) -> Int? {
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
                return nil
            }
            digits = digits.dropFirst(2)
        } else if digits.first == UInt8(ascii: "0"), digits.count > 1 {
            return nil
        }
        guard self.isDigitRun(digits, radix: radix) else {
            return nil
        }
        let text = String(decoding: digits.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        return Int64((negative ? "-" : "") + text, radix: radix).map(Int.init)
    }

    /// `[+-]?(inf|nan)`, or a decimal integer with a fraction, an exponent or both.
    static func float(_ token: ArraySlice<UInt8>) -> Double? {
        var rest = token
        let sign: Double = rest.first == UInt8(ascii: "-") ? -1 : 1
        if rest.first == UInt8(ascii: "+") || rest.first == UInt8(ascii: "-") {
            rest = rest.dropFirst()
        }
        if rest.elementsEqual("inf".utf8) {
            return sign * .infinity
        }
        if rest.elementsEqual("nan".utf8) {
            return .nan
        }
        let integerEnd = rest.firstIndex {
            $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E")
        }
        guard let integerEnd else {
            return nil
        }
        let integer = rest[..<integerEnd]
        guard self.isDigitRun(integer, radix: 10), integer.first != UInt8(ascii: "0") || integer.count == 1 else {
            return nil
        }
        var tail = rest[integerEnd...]
        if tail.first == UInt8(ascii: ".") {
            let end = tail.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } ?? tail.endIndex
            guard self.isDigitRun(tail[(tail.startIndex + 1)..<end], radix: 10) else {
                return nil
            }
            tail = tail[end...]
        }
        if !tail.isEmpty {
            var exponent = tail.dropFirst()
            if exponent.first == UInt8(ascii: "+") || exponent.first == UInt8(ascii: "-") {
                exponent = exponent.dropFirst()
            }
            guard self.isDigitRun(exponent, radix: 10) else {
                return nil
            }
        }
        return Double(String(decoding: rest.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)).map { sign * $0 }
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
    static func date(_ token: ArraySlice<UInt8>) -> TOMLDate? {
        guard token.count == 10, let year = self.number(token, at: 0, digits: 4),
            token[token.startIndex + 4] == UInt8(ascii: "-"), let month = self.number(token, at: 5, digits: 2),
            token[token.startIndex + 7] == UInt8(ascii: "-"), let day = self.number(token, at: 8, digits: 2),
            (1...12).contains(month)
        else {
            return nil
        }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day) ? TOMLDate(year: year, month: month, day: day) : nil
    }

    /// A date, a time (`HH:MM:SS[.fraction]`), or a date and a time separated by `T`, `t` or a space, the time
    /// then optionally followed by `Z`, `z` or `±HH:MM`.
    static func dateTime(_ token: ArraySlice<UInt8>) -> TOMLValue? {
        if let date = self.date(token) {
            return .date(date)
        }
        guard token.count > 10, let date = self.date(token.prefix(10)) else {
            guard let (time, length) = self.time(token), length == token.count else {
                return nil
            }
            return .time(time)
        }
        let separator = token[token.startIndex + 10]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else {
            return nil
        }
        let rest = token.dropFirst(11)
        guard let (time, length) = self.time(rest) else {
            return nil
        }
        let offset = rest.dropFirst(length)
        if offset.isEmpty {
            return .dateTime(TOMLDateTime(date: date, time: time, offsetMinutes: nil))
        }
        if offset.elementsEqual("Z".utf8) || offset.elementsEqual("z".utf8) {
            return .dateTime(TOMLDateTime(date: date, time: time, offsetMinutes: 0))
        }
        guard offset.count == 6, offset.first == UInt8(ascii: "+") || offset.first == UInt8(ascii: "-"),
            let hours = self.number(offset, at: 1, digits: 2), offset[offset.startIndex + 3] == UInt8(ascii: ":"),
            let minutes = self.number(offset, at: 4, digits: 2), hours <= 23, minutes <= 59
        else {
            return nil
        }
        let sign = offset.first == UInt8(ascii: "-") ? -1 : 1
        return .dateTime(TOMLDateTime(date: date, time: time, offsetMinutes: sign * (hours * 60 + minutes)))
    }

    /// The `HH:MM:SS[.fraction]` at the start of `token` and its length, or nil.
    private static func time(_ token: ArraySlice<UInt8>) -> (TOMLTime, length: Int)? {
        guard token.count >= 8, let hour = self.number(token, at: 0, digits: 2),
            token[token.startIndex + 2] == UInt8(ascii: ":"), let minute = self.number(token, at: 3, digits: 2),
            token[token.startIndex + 5] == UInt8(ascii: ":"), let second = self.number(token, at: 6, digits: 2),
            hour <= 23, minute <= 59, second <= 60
        else {
            return nil
        }
        var time = TOMLTime(hour: hour, minute: minute, second: second, nanosecond: 0)
        guard token.count > 8, token[token.startIndex + 8] == UInt8(ascii: ".") else {
            return (time, 8)
        }
        let fraction = token.dropFirst(9).prefix { $0.isDigit }
        guard !fraction.isEmpty else {
            return nil
        }
        for (place, byte) in fraction.prefix(9).enumerated() {
            time.nanosecond +=
                Int(byte - UInt8(ascii: "0"))
                * [
                    100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1000, 100, 10, 1,
                ][place]
        }
        return (time, 9 + fraction.count)
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
