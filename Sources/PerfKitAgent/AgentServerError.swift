import PerfKit

/// Why an ``AgentServer`` could not start.
///
/// Every case names the socket path, and its ``description`` is one line fit for a terminal.
public enum AgentServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path, or the temporary name the server binds first, does not fit in a Unix socket address.
    case pathTooLong(path: String, bytes: Int, limit: Int)
    /// Something other than a socket is at the path, e.g. `"a regular file"`; it was left untouched.
    case notASocket(path: String, found: String)
    /// A process accepts connections on the socket at the path.
    case alreadyInUse(path: String)
    /// A system call failed; `operation` says what the server was doing and `reason` why it failed.
    case systemCallFailed(path: String, operation: String, reason: String)

    /// One line that says what went wrong and names the path, e.g. for a command-line error message.
    public var description: String {
        switch self {
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
