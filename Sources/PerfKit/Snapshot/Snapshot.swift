import Foundation

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
            return "not a perftop snapshot (schema \"\(schema)\")"
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

    /// Reads a snapshot from one line of JSON, checking its schema name and version.
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
        do {
            return try decoder.decode(Snapshot.self, from: jsonLine)
        } catch let DecodingError.keyNotFound(key, _) {
            throw SnapshotDecodingError.malformed("missing field \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw SnapshotDecodingError.malformed("wrong type at \(path)")
        } catch {
            throw SnapshotDecodingError.malformed("\(error)")
        }
    }
}
