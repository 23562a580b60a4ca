import FoundationEssentials

/// Constants of the agent wire protocol that `PerfKitAgent`'s `AgentServer` speaks (see docs/protocol.md).
///
/// A client connects to the agent's Unix socket and writes request lines; the agent answers every
/// line with exactly one line: a ``Snapshot`` or an ``AgentErrorResponse``.
public enum AgentProtocol {
    /// The request line that asks for a snapshot, without its trailing newline.
    public static let snapshotRequest = #"{"request":"snapshot"}"#
    /// The longest request line an agent reads, in bytes, without its newline; a longer line gets an
    /// error line and the connection is closed.
    public static let maxRequestLineBytes = 4096
    /// How long a connection may stay silent before the agent closes it.
    public static let idleTimeout: Duration = .seconds(60)
    /// The most connections an agent server serves at once; it closes further ones at once.
    public static let maxConnections = 64
}

/// The line an agent sends instead of a snapshot when it cannot answer a request.
///
/// Its JSON form is `{"error":"<reason>","schema":"perftop.error","version":1}`. The connection stays
/// open, except after a request line over ``AgentProtocol/maxRequestLineBytes``.
public struct AgentErrorResponse: Sendable, Hashable, Codable {
    /// The schema name every error line carries.
    public static let schemaName = "perftop.error"
    /// The error schema version this build writes.
    public static let currentVersion = 1

    /// The schema name; always ``schemaName``.
    public var schema: String
    /// The schema version.
    public var version: Int
    /// Why the request failed, in one line.
    public var error: String

    /// Creates an error response of the current version; newlines in `error` are replaced by spaces.
    public init(error: String) {
        self.schema = Self.schemaName
        self.version = Self.currentVersion
        self.error = error.replacing("\n", with: " ")
    }

    /// The JSON text of this error as one line, without the trailing newline. Cost: O(error length).
    public func jsonLine() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
