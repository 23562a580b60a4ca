/// The fast path of a snapshot line: its `samples` array read straight into samples, with no tree of
/// values in between (two arrays, a value per field and a scan per lookup, for every sample).
///
/// Only what ``Snapshot/jsonLine()`` writes is taken this way: every sample an object of exactly the
/// four fields `name`, `labels`, `kind` and `value`, each once and of its type. At anything else
/// (an unknown or repeated field, a null, a wrong type, a bad kind or number) the array is read again
/// as values, and ``Snapshot/decode(jsonLine:)`` reads the samples from those as before, with the same
/// result or the same error; so this path changes the cost of a line, never what it decodes to.
extension SnapshotReader {
    /// The value of `bytes` (one JSON document with blanks around it) and, when the top value is an
    /// object whose last `samples` member is an array of plain samples, those samples; the member
    /// itself then holds an empty array.
    package static func valueAndSamples(of bytes: [UInt8]) throws(SyntaxError) -> (Value, [Sample]?) {
        var reader = SnapshotReader(bytes: bytes)
        reader.readsSamplesDirectly = true
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.index == reader.bytes.count else {
            throw SyntaxError()
        }
        return (value, reader.samples)
    }

    /// The samples of the array at the reader, the reader after it; or nil, the reader where it was,
    /// when the array holds anything but plain samples.
    mutating func samplesDirectly() -> [Sample]? {
        let start = self.index
        guard let samples = self.plainSamples() else {
            self.index = start
            return nil
        }
        return samples
    }

    private mutating func plainSamples() -> [Sample]? {
        guard self.consume(UInt8(ascii: "[")) else {
            return nil
        }
        var samples: [Sample] = []
        self.skipWhitespace()
        if self.consume(UInt8(ascii: "]")) {
            return samples
        }
        while true {
            self.skipWhitespace()
            guard let sample = self.plainSample() else {
                return nil
            }
            samples.append(sample)
            self.skipWhitespace()
            if self.consume(UInt8(ascii: "]")) {
                return samples
            }
            guard self.consume(UInt8(ascii: ",")) else {
                return nil
            }
        }
    }

    private mutating func plainSample() -> Sample? {
        guard self.consume(UInt8(ascii: "{")) else {
            return nil
        }
        var name: String?
        var labels: [String: String]?
        var kind: Sample.Kind?
        var value: Double?
        repeat {
            self.skipWhitespace()
            guard let key = self.plainString() else {
                return nil
            }
            self.skipWhitespace()
            guard self.consume(UInt8(ascii: ":")) else {
                return nil
            }
            self.skipWhitespace()
            switch key {
            case "name" where name == nil:
                name = self.plainString()
            case "labels" where labels == nil:
                labels = self.plainLabels()
            case "kind" where kind == nil:
                kind = self.plainString().flatMap(Sample.Kind.init(rawValue:))
            case "value" where value == nil:
                value = self.plainValue()
            default:
                return nil
            }
            self.skipWhitespace()
        } while self.consume(UInt8(ascii: ","))
        guard self.consume(UInt8(ascii: "}")), let name, let labels, let kind, let value else {
            return nil
        }
        return Sample(name: name, labels: labels, kind: kind, value: value)
    }

    /// An object of string values with no repeated name.
    private mutating func plainLabels() -> [String: String]? {
        guard self.consume(UInt8(ascii: "{")) else {
            return nil
        }
        var labels: [String: String] = [:]
        self.skipWhitespace()
        if self.consume(UInt8(ascii: "}")) {
            return labels
        }
        repeat {
            self.skipWhitespace()
            guard let name = self.plainString() else {
                return nil
            }
            self.skipWhitespace()
            guard self.consume(UInt8(ascii: ":")) else {
                return nil
            }
            self.skipWhitespace()
            guard let value = self.plainString(), labels.updateValue(value, forKey: name) == nil else {
                return nil
            }
            self.skipWhitespace()
        } while self.consume(UInt8(ascii: ","))
        return self.consume(UInt8(ascii: "}")) ? labels : nil
    }

    /// A number, or one of the strings `+Inf`, `-Inf` and `NaN`.
    private mutating func plainValue() -> Double? {
        guard self.peek() == UInt8(ascii: "\"") else {
            return (try? self.number()).flatMap { Double($0) }
        }
        switch self.plainString() {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return nil
        }
    }

    private mutating func plainString() -> String? {
        self.peek() == UInt8(ascii: "\"") ? try? self.string() : nil
    }
}
