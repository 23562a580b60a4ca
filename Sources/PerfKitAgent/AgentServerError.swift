import PerfKit

/// Why an ``AgentServer`` could not start.
///
/// Every case names the socket path, and its ``description`` is one line fit for a terminal.
public struct AgentServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, with its details; private, so that a new kind of failure is not a breaking
    /// change (the swift-server convention).
    private enum Code: Sendable, Hashable {
        case pathTooLong(path: String, bytes: Int, limit: Int)
        case notASocket(path: String, found: String)
        case alreadyInUse(path: String)
        case systemCallFailed(path: String, operation: String, reason: String)
    }

    /// The kind of failure, to match on without the details: `error.kind == .pathTooLong`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        /// See ``AgentServerError/pathTooLong(path:bytes:limit:)``.
        public static let pathTooLong = Kind(name: "pathTooLong")
        /// See ``AgentServerError/notASocket(path:found:)``.
        public static let notASocket = Kind(name: "notASocket")
        /// See ``AgentServerError/alreadyInUse(path:)``.
        public static let alreadyInUse = Kind(name: "alreadyInUse")
        /// See ``AgentServerError/systemCallFailed(path:operation:reason:)``.
        public static let systemCallFailed = Kind(name: "systemCallFailed")

        public var description: String {
            self.name
        }
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// The path, or the temporary name the server binds first, does not fit in a Unix socket address.
    public static func pathTooLong(path: String, bytes: Int, limit: Int) -> Self {
        Self(.pathTooLong(path: path, bytes: bytes, limit: limit))
    }

    /// Something other than a socket is at the path, e.g. `"a regular file"`; it was left untouched.
    public static func notASocket(path: String, found: String) -> Self {
        Self(.notASocket(path: path, found: found))
    }

    /// A process accepts connections on the socket at the path.
    public static func alreadyInUse(path: String) -> Self {
        Self(.alreadyInUse(path: path))
    }

    /// A system call failed; `operation` says what the server was doing and `reason` why it failed.
    public static func systemCallFailed(path: String, operation: String, reason: String) -> Self {
        Self(.systemCallFailed(path: path, operation: operation, reason: reason))
    }

    /// The kind of failure.
    public var kind: Kind {
        switch self.code {
        case .pathTooLong: .pathTooLong
        case .notASocket: .notASocket
        case .alreadyInUse: .alreadyInUse
        case .systemCallFailed: .systemCallFailed
        }
    }

    /// One line that says what went wrong and names the path, e.g. for a command-line error message.
    public var description: String {
        switch self.code {
        case .pathTooLong(let path, let bytes, let limit):
            return "agent socket path \(path) is too long: \(bytes) bytes, at most \(limit) fit here"
        case .notASocket(let path, let found):
            return "cannot create agent socket \(path): \(found) is in the way (left untouched)"
        case .alreadyInUse(let path):
            return "agent socket \(path) is already in use by a running agent"
        case .systemCallFailed(let path, let operation, let reason):
            return "cannot \(operation) agent socket \(path): \(reason)"
        }
    }
}
