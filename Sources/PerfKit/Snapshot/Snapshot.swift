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
public struct SnapshotDecodingError: Error, Equatable, CustomStringConvertible {
    /// What went wrong, with its details; private, so that a new kind of failure is not a breaking
    /// change (the swift-server convention).
    private enum Code: Sendable, Hashable {
        case malformed(String)
        case wrongSchema(String)
        case unsupportedVersion(Int)
    }

    /// The kind of failure, to match on without the details: `error.kind == .malformed`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        /// See ``SnapshotDecodingError/malformed(_:)``.
        public static let malformed = Kind(name: "malformed")
        /// See ``SnapshotDecodingError/wrongSchema(_:)``.
        public static let wrongSchema = Kind(name: "wrongSchema")
        /// See ``SnapshotDecodingError/unsupportedVersion(_:)``.
        public static let unsupportedVersion = Kind(name: "unsupportedVersion")

        public var description: String {
            self.name
        }
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// The line is not JSON of the snapshot shape.
    public static func malformed(_ value: String) -> Self {
        Self(.malformed(value))
    }

    /// The object names another schema.
    public static func wrongSchema(_ value: String) -> Self {
        Self(.wrongSchema(value))
    }

    /// The schema version is not one this build reads.
    public static func unsupportedVersion(_ value: Int) -> Self {
        Self(.unsupportedVersion(value))
    }

    /// The kind of failure.
    public var kind: Kind {
        switch self.code {
        case .malformed: .malformed
        case .wrongSchema: .wrongSchema
        case .unsupportedVersion: .unsupportedVersion
        }
    }

    public var description: String {
        switch self.code {
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
        try Self.decode(jsonBytes: Array(jsonLine), readsSamplesDirectly: true)
    }

    /// ``decode(jsonLine:)`` of a line already in an array of bytes (as an agent's socket gives it),
    /// without copying it.
    package static func decode(jsonBytes: [UInt8]) throws -> Snapshot {
        try Self.decode(jsonBytes: jsonBytes, readsSamplesDirectly: true)
    }

    /// ``decode(jsonLine:)``, with the samples read straight from the line (the fast path of
    /// SnapshotReader+Samples.swift, where it applies) or always through a tree of its values; both
    /// give the same snapshot or the same error, which the tests check.
    static func decode(jsonBytes: [UInt8], readsSamplesDirectly: Bool) throws -> Snapshot {
        var identities = SnapshotIdentities()
        return try Self.decode(
            jsonBytes: jsonBytes,
            readsSamplesDirectly: readsSamplesDirectly,
            identities: &identities
        )
    }

    /// ``decode(jsonLine:)`` of the next line from an agent whose previous line left `identities`:
    /// each sample repeated byte for byte up to its value is not read again (SnapshotIdentities.swift),
    /// with the same snapshot or error as a line read afresh. When it decodes, `identities` become
    /// this line's; when it throws, they stay as they were.
    ///
    /// - Throws: ``SnapshotDecodingError``, as ``decode(jsonLine:)``.
    public static func decode(jsonBytes: [UInt8], identities: inout SnapshotIdentities) throws -> Snapshot {
        try Self.decode(jsonBytes: jsonBytes, readsSamplesDirectly: true, identities: &identities)
    }

    private static func decode(
        jsonBytes: [UInt8],
        readsSamplesDirectly: Bool,
        identities: inout SnapshotIdentities
    ) throws -> Snapshot {
        var lineIdentities = identities
        let read: (SnapshotReader.Value, [Sample]?)?
        if readsSamplesDirectly {
            read = try? SnapshotReader.valueAndSamples(of: jsonBytes, identities: &lineIdentities)
        } else {
            read = (try? SnapshotReader.value(of: jsonBytes)).map { ($0, nil) }
        }
        guard let (value, directSamples) = read, case .object(let top) = value else {
            throw SnapshotDecodingError.malformed("not a JSON object")
        }
        // The header first, so that a line of another schema or version says so.
        let schema: String?
        switch SnapshotReader.member("schema", of: top) {
        case nil, .null?: schema = nil
        case .string(let text)?: schema = text
        default: throw SnapshotDecodingError.malformed("not a JSON object")
        }
        guard let schema else {
            throw SnapshotDecodingError.malformed("no \"schema\" field")
        }
        guard schema == Self.schemaName else {
            throw SnapshotDecodingError.wrongSchema(schema)
        }
        let version: Int?
        switch SnapshotReader.member("version", of: top) {
        case nil, .null?: version = nil
        case .number(let text)?:
            guard let number = Int(text) else {
                throw SnapshotDecodingError.malformed("not a JSON object")
            }
            version = number
        default: throw SnapshotDecodingError.malformed("not a JSON object")
        }
        guard let version else {
            throw SnapshotDecodingError.malformed("no \"version\" field")
        }
        guard version == Self.currentVersion else {
            throw SnapshotDecodingError.unsupportedVersion(version)
        }
        let fields = Fields(top)
        var snapshot = Snapshot(
            agent: try fields.string("agent"),
            pid: try fields.integer("pid"),
            timestamp: try fields.double("timestamp"),
            samples: []
        )
        guard case .array(let elements) = try fields.required("samples") else {
            throw SnapshotDecodingError.malformed("wrong type at samples")
        }
        if let directSamples {
            snapshot.samples = directSamples
            try snapshot.checkNames()
            identities = lineIdentities
            return snapshot
        }
        snapshot.samples.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            // Built only for an error message: an array per sample costs an allocation each.
            let path = { [PathComponent.key("samples"), .index(index)] }
            guard case .object(let members) = element else {
                throw SnapshotDecodingError.malformed("wrong type at \(Self.path(path()))")
            }
            let sample = Fields(members, sample: index)
            let name = try sample.string("name")
            guard case .object(let labelValues) = try sample.required("labels") else {
                throw SnapshotDecodingError.malformed("wrong type at \(Self.path(path() + [.key("labels")]))")
            }
            var labels = [String: String](minimumCapacity: labelValues.count)
            for (label, value) in labelValues {
                guard case .string(let text) = value else {
                    throw SnapshotDecodingError.malformed(
                        "wrong type at \(Self.path(path() + [.key("labels"), .key(label)]))"
                    )
                }
                labels[label] = text
            }
            guard let kind = Sample.Kind(rawValue: try sample.string("kind")) else {
                throw SnapshotDecodingError.malformed("invalid value at \(Self.path(path() + [.key("kind")]))")
            }
            snapshot.samples.append(Sample(name: name, labels: labels, kind: kind, value: try sample.double("value")))
        }
        try snapshot.checkNames()
        identities = SnapshotIdentities()
        return snapshot
    }

    /// One step of the way to a value in a snapshot line: a key or an index.
    private enum PathComponent {
        case key(String)
        case index(Int)
    }

    /// The members of one object of a snapshot line, read as the fields of a type; a missing, null or
    /// ill-typed field fails with the path to it.
    private struct Fields {
        let members: [(key: String, value: SnapshotReader.Value)]
        /// The index of the sample these are the fields of, or nil for the snapshot's own.
        let sample: Int?

        /// Where these fields are, for an error message.
        var path: [PathComponent] {
            self.sample.map { [.key("samples"), .index($0)] } ?? []
        }

        init(_ members: [(key: String, value: SnapshotReader.Value)], sample: Int? = nil) {
            self.members = members
            self.sample = sample
        }

        func required(_ key: String) throws(SnapshotDecodingError) -> SnapshotReader.Value {
            switch SnapshotReader.member(key, of: self.members) {
            case nil:
                throw .malformed("missing field \(SafeText.quoted(key)) at \(Snapshot.path(self.path))")
            case .null?:
                throw .malformed("null at \(Snapshot.path(self.path + [.key(key)]))")
            case let value?:
                return value
            }
        }

        func string(_ key: String) throws(SnapshotDecodingError) -> String {
            guard case .string(let text) = try self.required(key) else {
                throw .malformed("wrong type at \(Snapshot.path(self.path + [.key(key)]))")
            }
            return text
        }

        /// An integer written without fraction or exponent, within `Integer`'s range.
        func integer<Integer: FixedWidthInteger>(_ key: String) throws(SnapshotDecodingError) -> Integer {
            guard case .number(let text) = try self.required(key) else {
                throw .malformed("wrong type at \(Snapshot.path(self.path + [.key(key)]))")
            }
            guard let value = Integer(text) else {
                throw .malformed("invalid value at \(Snapshot.path(self.path + [.key(key)]))")
            }
            return value
        }

        /// A number, or one of the strings `+Inf`, `-Inf` and `NaN` that ``Snapshot/jsonLine()`` writes
        /// for values JSON has no number for.
        func double(_ key: String) throws(SnapshotDecodingError) -> Double {
            switch try self.required(key) {
            case .number(let text):
                guard let value = Double(text) else {
                    throw .malformed("invalid value at \(Snapshot.path(self.path + [.key(key)]))")
                }
                return value
            case .string("+Inf"): return .infinity
            case .string("-Inf"): return -.infinity
            case .string("NaN"): return .nan
            default: throw .malformed("wrong type at \(Snapshot.path(self.path + [.key(key)]))")
            }
        }
    }

    /// Fails on the first sample whose metric name or one of whose label names breaks the rule.
    private func checkNames() throws(SnapshotDecodingError) {
        for (index, sample) in self.samples.enumerated() {
            guard PrometheusName.isValid(sample.name, allowsColon: true) else {
                throw .malformed("sample \(index): invalid metric name \(SafeText.quoted(sample.name))")
            }
            // The first invalid name in sorted order, so the reason does not depend on hashing; the
            // array is built only when there is one.
            if sample.labels.keys.contains(where: { !PrometheusName.isValid($0, allowsColon: false) }),
                let label = sample.labels.keys.filter({ !PrometheusName.isValid($0, allowsColon: false) }).min()
            {
                throw .malformed("sample \(index): invalid label name \(SafeText.quoted(label))")
            }
        }
    }

    /// A path in a snapshot line as `samples.3.labels`, each key quoted when it is not a short plain name.
    private static func path(_ components: [PathComponent]) -> String {
        let keys = components.map { component -> String in
            switch component {
            case .index(let index):
                return String(index)
            case .key(let name):
                return PrometheusName.isValid(name, allowsColon: false) && name.utf8.count <= 24
                    ? name : SafeText.quoted(name)
            }
        }
        return keys.isEmpty ? "the top" : keys.joined(separator: ".")
    }
}
