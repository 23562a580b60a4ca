/// Reads a snapshot line (RFC 8259 JSON in UTF-8) straight from its bytes into a ``Snapshot``, for
/// ``Snapshot/decode(jsonLine:)``: a tree of the line's values, then the snapshot's fields from it;
/// the plain samples of its `samples` array straight into samples (SnapshotReader+Samples.swift).
///
/// `JSONDecoder` took about a third of perftop's CPU time watching ten agents (Codable's generic
/// paths for about 150 samples a second each); this reads the same lines in one pass with no
/// reflection. It accepts what ``Snapshot/jsonLine()`` writes: unknown keys are ignored, the last of
/// a repeated key counts, a float field also takes the strings `+Inf`, `-Inf` and `NaN`.
///
/// perftop reads a Prometheus server's API answers with it too (`package` access): the same JSON,
/// larger (about a megabyte a round at a hundred targets) but no deeper.
///
/// Bounds: arrays and objects nested at most ``maximumDepth`` deep; the caller bounds the line's length.
/// Cost: linear in the length of the line (a `samples` array that is not plain is read twice).
package struct SnapshotReader {
    /// The deepest nesting read (a snapshot needs 4).
    static let maximumDepth = 32

    /// A JSON value as read; a number keeps its text, so integers are read exactly. An object keeps
    /// its members in order (a snapshot's objects are small: a scan finds a key sooner than a hash
    /// table is built); ``member(_:of:)`` finds the last of a repeated key.
    package enum Value {
        case object([(key: String, value: Value)])
        case array([Value])
        case string(String)
        case number(String)
        case boolean(Bool)
        case null
    }

    /// The value of the last member called `key` of `members`, if any.
    package static func member(_ key: String, of members: [(key: String, value: Value)]) -> Value? {
        members.last { $0.key == key }?.value
    }

    /// The line is not JSON, or is nested too deep.
    package struct SyntaxError: Error {}

    let bytes: [UInt8]
    var index = 0
    /// Whether the top object's `samples` member is read straight into ``samples`` (see
    /// SnapshotReader+Samples.swift).
    var readsSamplesDirectly = false
    /// The samples of the last `samples` member of the top object, when read straight into samples.
    var samples: [Sample]?
    /// The identities of the previous line's samples, whose bytes a sample read straight is compared
    /// with first (SnapshotIdentities.swift).
    var previous = SnapshotIdentities()
    /// The identities of the samples read straight, by index, for the next line.
    var identities: [SnapshotIdentities.Entry?] = []
    /// Where each sample starts in the line while every sample read straight so far repeats the
    /// previous line's in its place: their entries in ``identities`` are made only when a sample
    /// does not, since a line that repeats all of them keeps the previous line's identities.
    var repeatedStarts: [Int]? = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The value of `bytes`, one JSON document with blanks around it.
    package static func value(of bytes: [UInt8]) throws(SyntaxError) -> Value {
        var reader = SnapshotReader(bytes: bytes)
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.index == reader.bytes.count else {
            throw SyntaxError()
        }
        return value
    }

    // MARK: - Values

    mutating func value(depth: Int) throws(SyntaxError) -> Value {
        guard let byte = self.peek() else {
            throw SyntaxError()
        }
        switch byte {
        case UInt8(ascii: "{"):
            return try self.object(depth: depth + 1)
        case UInt8(ascii: "["):
            return try self.array(depth: depth + 1)
        case UInt8(ascii: "\""):
            return .string(try self.string())
        case UInt8(ascii: "t"):
            try self.literal("true")
            return .boolean(true)
        case UInt8(ascii: "f"):
            try self.literal("false")
            return .boolean(false)
        case UInt8(ascii: "n"):
            try self.literal("null")
            return .null
        default:
            return .number(try self.number())
        }
    }

    private mutating func object(depth: Int) throws(SyntaxError) -> Value {
        guard depth <= Self.maximumDepth else {
            throw SyntaxError()
        }
        self.index += 1
        var members: [(key: String, value: Value)] = []
        // A sample has four members: one allocation instead of three as the array grows.
        members.reserveCapacity(4)
        self.skipWhitespace()
        if self.consume(UInt8(ascii: "}")) {
            return .object(members)
        }
        while true {
            self.skipWhitespace()
            guard self.peek() == UInt8(ascii: "\"") else {
                throw SyntaxError()
            }
            let key = try self.string()
            self.skipWhitespace()
            guard self.consume(UInt8(ascii: ":")) else {
                throw SyntaxError()
            }
            self.skipWhitespace()
            if depth == 1 && self.readsSamplesDirectly && key == "samples" {
                self.samples = self.samplesDirectly()
                if self.samples != nil {
                    members.append((key, .array([])))
                } else {
                    members.append((key, try self.value(depth: depth)))
                }
            } else {
                members.append((key, try self.value(depth: depth)))
            }
            self.skipWhitespace()
            if self.consume(UInt8(ascii: "}")) {
                return .object(members)
            }
            guard self.consume(UInt8(ascii: ",")) else {
                throw SyntaxError()
            }
        }
    }

    private mutating func array(depth: Int) throws(SyntaxError) -> Value {
        guard depth <= Self.maximumDepth else {
            throw SyntaxError()
        }
        self.index += 1
        var elements: [Value] = []
        self.skipWhitespace()
        if self.consume(UInt8(ascii: "]")) {
            return .array(elements)
        }
        while true {
            self.skipWhitespace()
            elements.append(try self.value(depth: depth))
            self.skipWhitespace()
            if self.consume(UInt8(ascii: "]")) {
                return .array(elements)
            }
            guard self.consume(UInt8(ascii: ",")) else {
                throw SyntaxError()
            }
        }
    }

    private mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let length = word.utf8CodeUnitCount
        guard self.index + length <= self.bytes.count,
            self.bytes[self.index..<self.index + length].elementsEqual(
                UnsafeBufferPointer(start: word.utf8Start, count: length)
            )
        else {
            throw SyntaxError()
        }
        self.index += length
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as its text.
    mutating func number() throws(SyntaxError) -> String {
        let range = try self.numberRange()
        return String(decoding: self.bytes[range], as: UTF8.self)
    }

    /// The number at the reader as `Double(text)` reads its text, or nil where that fails. An integer of
    /// at most 15 digits, exact in a double, is converted without making its text: most values a
    /// snapshot carries are counts.
    mutating func doubleNumber() throws(SyntaxError) -> Double? {
        let range = try self.numberRange()
        let isNegative = self.bytes[range.lowerBound] == UInt8(ascii: "-")
        let digits = (isNegative ? range.lowerBound + 1 : range.lowerBound)..<range.upperBound
        if digits.count <= 15 {
            var integer: Int64 = 0
            var isInteger = true
            for index in digits {
                let byte = self.bytes[index]
                guard Self.isDigit(byte) else {
                    isInteger = false
                    break
                }
                integer = integer * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            if isInteger {
                return isNegative ? -Double(integer) : Double(integer)
            }
        }
        return Double(String(decoding: self.bytes[range], as: UTF8.self))
    }

    /// Where the number at the reader is, the reader after it.
    private mutating func numberRange() throws(SyntaxError) -> Range<Int> {
        let start = self.index
        _ = self.consume(UInt8(ascii: "-"))
        if self.consume(UInt8(ascii: "0")) {
            guard !(self.peek().map(Self.isDigit) ?? false) else {
                throw SyntaxError()
            }
        } else {
            guard self.skipDigits() > 0 else {
                throw SyntaxError()
            }
        }
        if self.consume(UInt8(ascii: ".")) {
            guard self.skipDigits() > 0 else {
                throw SyntaxError()
            }
        }
        if self.consume(UInt8(ascii: "e")) || self.consume(UInt8(ascii: "E")) {
            if !self.consume(UInt8(ascii: "+")) {
                _ = self.consume(UInt8(ascii: "-"))
            }
            guard self.skipDigits() > 0 else {
                throw SyntaxError()
            }
        }
        return start..<self.index
    }

    private mutating func skipDigits() -> Int {
        let start = self.index
        while let byte = self.peek(), Self.isDigit(byte) {
            self.index += 1
        }
        return self.index - start
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    // MARK: - Strings

    /// A string: no raw control characters, valid UTF-8, escapes decoded (a `\u` surrogate only as
    /// half of a pair).
    mutating func string() throws(SyntaxError) -> String {
        self.index += 1
        let start = self.index
        var isASCII = true
        while let byte = self.peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
            guard byte >= 0x20 else {
                throw SyntaxError()
            }
            isASCII = isASCII && byte < 0x80
            self.index += 1
        }
        if self.consume(UInt8(ascii: "\"")) {
            let end = self.index - 1
            // ASCII is valid UTF-8 as it is; `String(validating:)` is a generic, much slower path.
            let text = self.bytes.withUnsafeBufferPointer { bytes in
                let text = UnsafeBufferPointer(rebasing: bytes[start..<end])
                return isASCII ? String(decoding: text, as: UTF8.self) : String(validating: text, as: UTF8.self)
            }
            guard let text else {
                throw SyntaxError()
            }
            return text
        }
        var utf8 = Array(self.bytes[start..<self.index])
        while let byte = self.peek() {
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw SyntaxError()
                }
                return text
            case UInt8(ascii: "\\"):
                try self.escape(into: &utf8)
            case ..<0x20:
                throw SyntaxError()
            default:
                utf8.append(byte)
            }
        }
        throw SyntaxError()
    }

    private mutating func escape(into utf8: inout [UInt8]) throws(SyntaxError) {
        guard let byte = self.peek() else {
            throw SyntaxError()
        }
        self.index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try self.hexUnit()
            let scalar: Unicode.Scalar?
            switch unit {
            case 0xD800..<0xDC00:
                guard self.consume(UInt8(ascii: "\\")), self.consume(UInt8(ascii: "u")) else {
                    throw SyntaxError()
                }
                let low = try self.hexUnit()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw SyntaxError()
                }
                scalar = Unicode.Scalar(0x10000 + (UInt32(unit - 0xD800) << 10) + UInt32(low - 0xDC00))
            case 0xDC00..<0xE000:
                throw SyntaxError()
            default:
                scalar = Unicode.Scalar(UInt32(unit))
            }
            guard let scalar else {
                throw SyntaxError()
            }
            utf8 += Array(String(Character(scalar)).utf8)
        default:
            throw SyntaxError()
        }
    }

    private mutating func hexUnit() throws(SyntaxError) -> UInt16 {
        guard self.index + 4 <= self.bytes.count else {
            throw SyntaxError()
        }
        var unit: UInt16 = 0
        for byte in self.bytes[self.index..<self.index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw SyntaxError()
            }
            unit = unit << 4 | UInt16(digit)
        }
        self.index += 4
        return unit
    }

    // MARK: - Bytes

    func peek() -> UInt8? {
        self.index < self.bytes.count ? self.bytes[self.index] : nil
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard self.peek() == byte else {
            return false
        }
        self.index += 1
        return true
    }

    mutating func skipWhitespace() {
        while let byte = self.peek(),
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r")
        {
            self.index += 1
        }
    }
}
