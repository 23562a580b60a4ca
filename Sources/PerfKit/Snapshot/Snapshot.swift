import FoundationEssentials

/// A versioned, self-describing set of samples taken from one agent at one moment.
///
/// This is what an agent sends over its socket: one JSON object on one line (see docs/protocol.md).
/// ``schema`` and ``version`` let a reader refuse a snapshot it does not understand instead of
/// misreading it.
public struct Snapshot: Sendable, Hashable, Codable {
    /// The schema name every snapshot carries.
    public static let schemaName = "perftop.snapshot"
    /// The schema version this build writes and reads.
    public static let currentVersion = 1

    /// The schema name; always ``schemaName``.
    public var schema: String
    /// The schema version.
    public var version: Int
    /// The agent's name, e.g. `demo`.
    public var agent: String
    /// The agent's process ID.
    public var pid: Int32
    /// When the snapshot was taken, in seconds since 1970-01-01 UTC.
    public var timestamp: Double
    /// The samples.
    public var samples: [Sample]

    /// Creates a snapshot of the current schema version.
    public init(agent: String, pid: Int32, timestamp: Double, samples: [Sample]) {
        self.schema = Self.schemaName
        self.version = Self.currentVersion
        self.agent = agent
        self.pid = pid
        self.timestamp = timestamp
        self.samples = samples
    }
}

// MARK: - Wire format

/// Why a snapshot line could not be read.
public enum SnapshotDecodingError: Error, Equatable, CustomStringConvertible {
    /// The line is not JSON of the snapshot shape.
    case malformed(String)
    /// The object names another schema.
    case wrongSchema(String)
    /// The schema version is not one this build reads.
    case unsupportedVersion(Int)

    public var description: String {
        switch self {
        case .malformed(let detail):
            return "malformed snapshot: \(detail)"
        case .wrongSchema(let schema):
            return "not a perftop snapshot (schema \(SafeText.quoted(schema)))"
        case .unsupportedVersion(let version):
            return "schema \(Snapshot.schemaName) v\(version) not supported "
                + "(this perftop reads v\(Snapshot.currentVersion))"
        }
    }
}

extension Snapshot {
    /// The JSON text of this snapshot as one line, without the trailing newline.
    ///
    /// NaN and infinities are written as the strings `"NaN"`, `"+Inf"` and `"-Inf"`.
    /// Cost: linear in the number of samples.
    public func jsonLine() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+Inf",
            negativeInfinity: "-Inf",
            nan: "NaN"
        )
        return try encoder.encode(self)
    }

    /// Reads a snapshot from one line of JSON, checking its schema name and version, and every sample's
    /// metric and label names against the rule of docs/protocol.md (`[a-zA-Z_:][a-zA-Z0-9_:]*` and
    /// `[a-zA-Z_][a-zA-Z0-9_]*`).
    ///
    /// One sample with an invalid name fails the whole snapshot, with a reason that names the sample by
    /// its index in `samples` (from 0) and quotes the name, cut to 24 Unicode scalars with control and
    /// format characters shown as `?`: `malformed snapshot: sample 3: invalid metric name
    /// '=HYPERLINK("http://evil/…'`. Text from the line reaches a reason only quoted that way.
    /// Cost: linear in the length of the line.
    ///
    /// - Throws: ``SnapshotDecodingError``.
    public static func decode(jsonLine: Data) throws -> Snapshot {
        struct Header: Decodable {
            var schema: String?
            var version: Int?
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "+Inf",
            negativeInfinity: "-Inf",
            nan: "NaN"
        )
        // One parse in the common case, a snapshot of this version; the header is read on its own only
        // to explain why a line is not one.
        let decoded = Result { try decoder.decode(Snapshot.self, from: jsonLine) }
        if case .success(let snapshot) = decoded, snapshot.schema == Self.schemaName,
            snapshot.version == Self.currentVersion
        {
            try snapshot.checkNames()
            return snapshot
        }
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: jsonLine)
        } catch {
            throw SnapshotDecodingError.malformed("not a JSON object")
        }
        guard let schema = header.schema else {
            throw SnapshotDecodingError.malformed("no \"schema\" field")
        }
        guard schema == Self.schemaName else {
            throw SnapshotDecodingError.wrongSchema(schema)
        }
        guard let version = header.version else {
            throw SnapshotDecodingError.malformed("no \"version\" field")
        }
        guard version == Self.currentVersion else {
            throw SnapshotDecodingError.unsupportedVersion(version)
        }
        switch decoded {
        case .success(let snapshot):
            try snapshot.checkNames()
            return snapshot
        case .failure(DecodingError.keyNotFound(let key, let context)):
            throw SnapshotDecodingError.malformed(
                "missing field \(SafeText.quoted(key.stringValue)) at \(Self.path(context.codingPath))"
            )
        case .failure(DecodingError.typeMismatch(_, let context)):
            throw SnapshotDecodingError.malformed("wrong type at \(Self.path(context.codingPath))")
        case .failure(DecodingError.valueNotFound(_, let context)):
            throw SnapshotDecodingError.malformed("null at \(Self.path(context.codingPath))")
        case .failure(DecodingError.dataCorrupted(let context)):
            throw SnapshotDecodingError.malformed("invalid value at \(Self.path(context.codingPath))")
        case .failure:
            throw SnapshotDecodingError.malformed("not a snapshot")
        }
    }

    /// Fails on the first sample whose metric name or one of whose label names breaks the rule.
    private func checkNames() throws(SnapshotDecodingError) {
        for (index, sample) in self.samples.enumerated() {
            guard PrometheusName.isValid(sample.name, allowsColon: true) else {
                throw .malformed("sample \(index): invalid metric name \(SafeText.quoted(sample.name))")
            }
            if let label = sample.labels.keys.filter({ !PrometheusName.isValid($0, allowsColon: false) }).min() {
                throw .malformed("sample \(index): invalid label name \(SafeText.quoted(label))")
            }
        }
    }

    /// A coding path as `samples.3.labels`, each key quoted when it is not a short plain name.
    private static func path(_ codingPath: [any CodingKey]) -> String {
        let keys = codingPath.map { key -> String in
            if let index = key.intValue {
                return String(index)
            }
            let name = key.stringValue
            return PrometheusName.isValid(name, allowsColon: false) && name.utf8.count <= 24
                ? name : SafeText.quoted(name)
        }
        return keys.isEmpty ? "the top" : keys.joined(separator: ".")
    }
}
