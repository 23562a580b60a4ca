/// A Prometheus HTTP API answer to `/api/v1/query` or `/api/v1/query_range`, decoded.
///
/// Only what perftop reads: the series of an instant vector or a range matrix, each with its labels
/// and points, and the `warnings`. An error answer (`"status": "error"`, with HTTP 400, 422 or 503)
/// becomes a ``FeedError`` naming the status, the error type and Prometheus' own message, e.g.
/// `prometheus 400 bad_data: parse error at char 5: unexpected "}"`.
///
/// The JSON is read by ``Reader``, written for this one shape: a hundred targets answer with about a
/// megabyte a second, which Foundation's `JSONDecoder` took 45 ms to decode (a third of a round);
/// this reader builds no tree and skips what it does not need.
struct PrometheusResponse: Sendable {
    /// One series of the result: its labels (`__name__` among them) and its points, oldest first.
    struct Series: Sendable {
        var labels: [String: String]
        var points: [Point]
    }

    /// One value of a series at a time, in seconds since 1970.
    struct Point: Sendable {
        var time: Double
        var value: Double
    }

    /// The series, in the order Prometheus gave them.
    var series: [Series]
    /// The warnings Prometheus gave with a successful answer, e.g. about a query that hit a limit.
    var warnings: [String]

    /// Decodes the body of an answer with HTTP status `status`.
    ///
    /// Cost: one pass over the body; nesting is followed at most ``Reader/maximumDepth`` deep.
    ///
    /// - Throws: ``FeedError``: Prometheus' error (`prometheus 422 execution: …`), a result that is
    ///   not a vector or matrix (`query gives a scalar, not series`), or a body that is not the API's
    ///   JSON (`not a Prometheus API answer (HTTP 200)`).
    static func decode(_ body: [UInt8], status: Int) throws(FeedError) -> PrometheusResponse {
        let envelope: Envelope
        do {
            envelope = try body.withUnsafeBufferPointer { bytes throws(Reader.Malformed) in
                var reader = Reader(bytes: bytes)
                let envelope = try reader.envelope()
                try reader.end()
                return envelope
            }
        } catch {
            throw FeedError("not a Prometheus API answer (HTTP \(status))")
        }
        guard let answer = envelope.status else {
            throw FeedError("not a Prometheus API answer (HTTP \(status))")
        }
        guard answer == "success", (200..<300).contains(status) else {
            let kind = envelope.errorType.map { " " + $0 } ?? ""
            let message = envelope.error.map { ": " + $0 } ?? ""
            throw FeedError("prometheus \(status)\(kind)\(message)")
        }
        guard let resultType = envelope.resultType else {
            throw FeedError("prometheus answer without data")
        }
        guard let series = envelope.series else {
            throw FeedError("query gives a \(resultType), not series")
        }
        return PrometheusResponse(series: series, warnings: envelope.warnings)
    }

    // MARK: - Reading

    /// What the top-level object holds.
    private struct Envelope {
        var status: String?
        var errorType: String?
        var error: String?
        var warnings: [String] = []
        var resultType: String?
        /// The series of a vector or matrix; nil for a scalar or a string.
        var series: [Series]?
    }

    /// A reader of the API's JSON over the body's bytes; any member it does not need is skipped
    /// (still checked as JSON).
    private struct Reader {
        /// Not JSON, or not the API's shape.
        struct Malformed: Error {}

        /// The deepest nesting followed when skipping a member perftop does not read.
        static let maximumDepth = 64

        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        // MARK: Shape

        mutating func envelope() throws(Malformed) -> Envelope {
            var envelope = Envelope()
            try self.members { key, reader throws(Malformed) in
                switch key {
                case "status": envelope.status = try reader.string()
                case "errorType": envelope.errorType = try reader.string()
                case "error": envelope.error = try reader.string()
                case "warnings":
                    try reader.elements { reader throws(Malformed) in envelope.warnings.append(try reader.string()) }
                case "data": try reader.data(into: &envelope)
                default: try reader.skipValue(depth: 1)
                }
            }
            return envelope
        }

        /// `{"resultType": …, "result": …}`: Prometheus writes the type first; a result before its
        /// type is read again once the type is known.
        private mutating func data(into envelope: inout Envelope) throws(Malformed) {
            var resultStart: Int?
            try self.members { key, reader throws(Malformed) in
                switch key {
                case "resultType": envelope.resultType = try reader.string()
                case "result" where envelope.resultType == nil:
                    resultStart = reader.index
                    try reader.skipValue(depth: 2)
                case "result": try reader.result(into: &envelope)
                default: try reader.skipValue(depth: 2)
                }
            }
            if let resultStart {
                let resume = self.index
                self.index = resultStart
                try self.result(into: &envelope)
                self.index = resume
            }
        }

        /// The series of a vector or matrix; anything else is skipped.
        private mutating func result(into envelope: inout Envelope) throws(Malformed) {
            guard envelope.resultType == "vector" || envelope.resultType == "matrix" else {
                try self.skipValue(depth: 2)
                return
            }
            var series: [Series] = []
            try self.elements { reader throws(Malformed) in series.append(try reader.series()) }
            envelope.series = series
        }

        /// `{"metric": {…}, "value": [t, "v"]}` or `{"metric": {…}, "values": [[t, "v"], …]}`.
        private mutating func series() throws(Malformed) -> Series {
            var series = Series(labels: [:], points: [])
            try self.members { key, reader throws(Malformed) in
                switch key {
                case "metric":
                    try reader.members { name, reader throws(Malformed) in series.labels[name] = try reader.string() }
                case "value": series.points.append(try reader.point())
                case "values":
                    try reader.elements { reader throws(Malformed) in series.points.append(try reader.point()) }
                default: try reader.skipValue(depth: 3)
                }
            }
            return series
        }

        /// `[1700000000.5, "42"]`; the value may be `NaN`, `+Inf` or `-Inf`.
        private mutating func point() throws(Malformed) -> Point {
            try self.expect(UInt8(ascii: "["))
            let time = try self.number()
            try self.expect(UInt8(ascii: ","))
            guard let value = Double(try self.string()) else {
                throw Malformed()
            }
            try self.expect(UInt8(ascii: "]"))
            return Point(time: time, value: value)
        }

        // MARK: Structure

        /// Calls `body` with each key of an object, the reader at its value, which `body` must read.
        mutating func members(_ body: (String, inout Reader) throws(Malformed) -> Void) throws(Malformed) {
            try self.expect(UInt8(ascii: "{"))
            if self.consume(UInt8(ascii: "}")) {
                return
            }
            repeat {
                let key = try self.string()
                try self.expect(UInt8(ascii: ":"))
                try body(key, &self)
            } while self.consume(UInt8(ascii: ","))
            try self.expect(UInt8(ascii: "}"))
        }

        /// Calls `body` with the reader at each element of an array, which `body` must read.
        mutating func elements(_ body: (inout Reader) throws(Malformed) -> Void) throws(Malformed) {
            try self.expect(UInt8(ascii: "["))
            if self.consume(UInt8(ascii: "]")) {
                return
            }
            repeat {
                try body(&self)
            } while self.consume(UInt8(ascii: ","))
            try self.expect(UInt8(ascii: "]"))
        }

        /// Reads past one value of any kind, nested at most ``maximumDepth`` deep.
        mutating func skipValue(depth: Int) throws(Malformed) {
            guard depth <= Self.maximumDepth else {
                throw Malformed()
            }
            switch self.peek() {
            case UInt8(ascii: "{"):
                try self.members { _, reader throws(Malformed) in try reader.skipValue(depth: depth + 1) }
            case UInt8(ascii: "["):
                try self.elements { reader throws(Malformed) in try reader.skipValue(depth: depth + 1) }
            case UInt8(ascii: "\""):
                _ = try self.string()
            case UInt8(ascii: "t"):
                try self.literal("true")
            case UInt8(ascii: "f"):
                try self.literal("false")
            case UInt8(ascii: "n"):
                try self.literal("null")
            default:
                _ = try self.number()
            }
        }

        /// Only white space is left.
        mutating func end() throws(Malformed) {
            self.skipWhitespace()
            guard self.index == self.bytes.count else {
                throw Malformed()
            }
        }

        // MARK: Tokens

        /// A JSON number.
        private mutating func number() throws(Malformed) -> Double {
            self.skipWhitespace()
            let start = self.index
            while self.index < self.bytes.count, Self.isNumberByte(self.bytes[self.index]) {
                self.index += 1
            }
            guard self.index > start,
                let value = Double(
                    String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
                )
            else {
                throw Malformed()
            }
            return value
        }

        private static func isNumberByte(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        }

        /// A JSON string, its escapes decoded; invalid UTF-8 is repaired with U+FFFD.
        private mutating func string() throws(Malformed) -> String {
            try self.expect(UInt8(ascii: "\""))
            let start = self.index
            while self.index < self.bytes.count {
                let byte = self.bytes[self.index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(
                        decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]),
                        as: UTF8.self
                    )
                    self.index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") {
                    self.index = start
                    return try self.escapedString()
                }
                guard byte >= 0x20 else {
                    throw Malformed()
                }
                self.index += 1
            }
            throw Malformed()
        }

        /// The rest of a string that has escapes, from just after its opening quote.
        private mutating func escapedString() throws(Malformed) -> String {
            var scalars = String.UnicodeScalarView()
            var plain: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: plain, as: UTF8.self).unicodeScalars)
                plain.removeAll(keepingCapacity: true)
            }
            while self.index < self.bytes.count {
                let byte = self.bytes[self.index]
                self.index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    scalars.append(try self.escape())
                case 0..<0x20:
                    throw Malformed()
                default:
                    plain.append(byte)
                }
            }
            throw Malformed()
        }

        /// The character of the escape after a backslash; a lone surrogate becomes U+FFFD.
        private mutating func escape() throws(Malformed) -> Unicode.Scalar {
            guard self.index < self.bytes.count else {
                throw Malformed()
            }
            let byte = self.bytes[self.index]
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                let unit = try self.hexUnit()
                if (0xD800..<0xDC00).contains(unit), self.index + 1 < self.bytes.count,
                    self.bytes[self.index] == UInt8(ascii: "\\"), self.bytes[self.index + 1] == UInt8(ascii: "u")
                {
                    let resume = self.index
                    self.index += 2
                    let low = try self.hexUnit()
                    if (0xDC00..<0xE000).contains(low) {
                        let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                        return Unicode.Scalar(value) ?? "\u{FFFD}"
                    }
                    self.index = resume
                }
                return Unicode.Scalar(UInt32(unit)) ?? "\u{FFFD}"
            default:
                throw Malformed()
            }
        }

        /// Four hex digits.
        private mutating func hexUnit() throws(Malformed) -> UInt16 {
            guard self.index + 4 <= self.bytes.count else {
                throw Malformed()
            }
            var unit: UInt16 = 0
            for _ in 0..<4 {
                let byte = self.bytes[self.index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw Malformed()
                }
                unit = unit << 4 | UInt16(digit)
                self.index += 1
            }
            return unit
        }

        private mutating func literal(_ word: StaticString) throws(Malformed) {
            self.skipWhitespace()
            let count = word.utf8CodeUnitCount
            guard self.index + count <= self.bytes.count,
                UnsafeBufferPointer(rebasing: self.bytes[self.index..<self.index + count])
                    .elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: count))
            else {
                throw Malformed()
            }
            self.index += count
        }

        private mutating func expect(_ byte: UInt8) throws(Malformed) {
            guard self.consume(byte) else {
                throw Malformed()
            }
        }

        /// Skips white space, then consumes `byte` if it comes next.
        private mutating func consume(_ byte: UInt8) -> Bool {
            self.skipWhitespace()
            guard self.index < self.bytes.count, self.bytes[self.index] == byte else {
                return false
            }
            self.index += 1
            return true
        }

        private mutating func peek() -> UInt8? {
            self.skipWhitespace()
            return self.index < self.bytes.count ? self.bytes[self.index] : nil
        }

        private mutating func skipWhitespace() {
            while self.index < self.bytes.count {
                switch self.bytes[self.index] {
                case 0x20, 0x09, 0x0A, 0x0D: self.index += 1
                default: return
                }
            }
        }
    }
}
