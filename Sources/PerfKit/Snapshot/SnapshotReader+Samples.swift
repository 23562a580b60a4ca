#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

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
        var identities = SnapshotIdentities()
        return try Self.valueAndSamples(of: bytes, identities: &identities)
    }

    /// ``valueAndSamples(of:)``, a sample whose bytes up to its value are those of the same sample of
    /// the line `identities` were kept from taken as read; `identities` then become those of `bytes`
    /// (empty unless its samples were read straight).
    static func valueAndSamples(
        of bytes: [UInt8],
        identities: inout SnapshotIdentities
    ) throws(SyntaxError) -> (Value, [Sample]?) {
        var reader = SnapshotReader(bytes: bytes)
        reader.readsSamplesDirectly = true
        reader.previous = identities
        identities = SnapshotIdentities()
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.index == reader.bytes.count else {
            throw SyntaxError()
        }
        if let samples = reader.samples {
            if reader.repeatedStarts != nil && samples.count == reader.previous.entries.count {
                // Every sample repeated the previous line's bytes up to its value: the same identities.
                identities = reader.previous
            } else {
                reader.keepRepeatedIdentities()
                identities = SnapshotIdentities(keepingPrefixesOf: bytes, entries: reader.identities)
            }
        }
        return (value, reader.samples)
    }

    /// The samples of the array at the reader, the reader after it; or nil, the reader where it was,
    /// when the array holds anything but plain samples.
    mutating func samplesDirectly() -> [Sample]? {
        let start = self.index
        self.identities = []
        self.repeatedStarts = []
        self.repeatedStarts?.reserveCapacity(self.previous.entries.count)
        guard let samples = self.plainSamples() else {
            self.index = start
            self.identities = []
            self.repeatedStarts = []
            return nil
        }
        return samples
    }

    /// Makes the entries in ``identities`` of the samples read so far, which all repeated the previous
    /// line's, and ends their deferral: from here on every sample read straight keeps its own.
    mutating func keepRepeatedIdentities() {
        guard let starts = self.repeatedStarts else {
            return
        }
        self.repeatedStarts = nil
        self.identities.reserveCapacity(max(self.previous.entries.count, starts.count))
        for (index, start) in starts.enumerated() {
            // A sample is taken as repeated only where the previous line kept an entry.
            if let entry = self.previous.entry(at: index) {
                self.identities.append(
                    SnapshotIdentities.Entry(
                        prefix: start..<start + entry.prefix.count,
                        name: entry.name,
                        labels: entry.labels,
                        kind: entry.kind
                    )
                )
            }
        }
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
            guard let sample = self.repeatedSample(at: samples.count) ?? self.plainSample(at: samples.count) else {
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

    /// The sample at the reader when its bytes up to its value are those the previous line's sample
    /// number `index` had, its value and closing brace after them; nil, the reader where it was,
    /// otherwise. Its identity is kept for the next line.
    private mutating func repeatedSample(at index: Int) -> Sample? {
        guard let entry = self.previous.entry(at: index) else {
            return nil
        }
        let start = self.index
        let end = start + entry.prefix.count
        let isRepeated =
            end <= self.bytes.count
            && self.bytes.withUnsafeBufferPointer { bytes in
                self.previous.prefixes.withUnsafeBufferPointer { previous in
                    memcmp(
                        bytes.baseAddress! + start,
                        previous.baseAddress! + entry.prefix.lowerBound,
                        entry.prefix.count
                    )
                        == 0
                }
            }
        guard isRepeated else {
            return nil
        }
        self.index = end
        guard let value = self.plainValue() else {
            self.index = start
            return nil
        }
        self.skipWhitespace()
        guard self.consume(UInt8(ascii: "}")) else {
            self.index = start
            return nil
        }
        if self.repeatedStarts != nil {
            self.repeatedStarts?.append(start)
        } else {
            self.keepIdentity(
                SnapshotIdentities.Entry(prefix: start..<end, name: entry.name, labels: entry.labels, kind: entry.kind),
                at: index
            )
        }
        return Sample(name: entry.name, labels: entry.labels, kind: entry.kind, value: value)
    }

    /// The plain sample at the reader, number `index` of the array; its identity is kept for the
    /// next line when its value is its last member.
    private mutating func plainSample(at index: Int) -> Sample? {
        self.keepRepeatedIdentities()
        let start = self.index
        var name: String?
        var labels: [String: String]?
        var kind: Sample.Kind?
        var value: Double?
        // Where the value began, while it is the last member read.
        var valueStart: Int?
        let isPlain = self.plainObject { reader, key in
            valueStart = nil
            switch key {
            case "name" where name == nil:
                name = reader.plainString()
                return name != nil
            case "labels" where labels == nil:
                labels = reader.plainLabels()
                return labels != nil
            case "kind" where kind == nil:
                kind = reader.plainString().flatMap(Sample.Kind.init(rawValue:))
                return kind != nil
            case "value" where value == nil:
                valueStart = reader.index
                value = reader.plainValue()
                return value != nil
            default:
                return false
            }
        }
        guard isPlain, let name, let labels, let kind, let value else {
            return nil
        }
        if let valueStart {
            self.keepIdentity(
                SnapshotIdentities.Entry(prefix: start..<valueStart, name: name, labels: labels, kind: kind),
                at: index
            )
        }
        return Sample(name: name, labels: labels, kind: kind, value: value)
    }

    /// Keeps `entry` as the identity of the sample at `index`, the samples before it without one.
    private mutating func keepIdentity(_ entry: SnapshotIdentities.Entry, at index: Int) {
        let skipped = max(0, index - self.identities.count)
        self.identities.append(contentsOf: repeatElement(SnapshotIdentities.Entry?.none, count: skipped))
        self.identities.append(entry)
    }

    /// An object of string values with no repeated name.
    private mutating func plainLabels() -> [String: String]? {
        var labels: [String: String] = [:]
        let isPlain = self.plainObject { reader, name in
            guard let value = reader.plainString() else {
                return false
            }
            return labels.updateValue(value, forKey: name) == nil
        }
        return isPlain ? labels : nil
    }

    /// Reads the object at the reader, `readMember` reading each member's value (it is given the
    /// reader at the value and the member's key, and says whether it read it); false at anything
    /// else, the reader then somewhere inside the object.
    private mutating func plainObject(_ readMember: (inout SnapshotReader, String) -> Bool) -> Bool {
        guard self.consume(UInt8(ascii: "{")) else {
            return false
        }
        self.skipWhitespace()
        if self.consume(UInt8(ascii: "}")) {
            return true
        }
        repeat {
            self.skipWhitespace()
            guard let key = self.plainString() else {
                return false
            }
            self.skipWhitespace()
            guard self.consume(UInt8(ascii: ":")) else {
                return false
            }
            self.skipWhitespace()
            guard readMember(&self, key) else {
                return false
            }
            self.skipWhitespace()
        } while self.consume(UInt8(ascii: ","))
        return self.consume(UInt8(ascii: "}"))
    }

    /// A number, or one of the strings `+Inf`, `-Inf` and `NaN`.
    private mutating func plainValue() -> Double? {
        guard self.peek() == UInt8(ascii: "\"") else {
            return (try? self.doubleNumber()) ?? nil
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
