/// Why a ``RedisClient`` call failed.
public struct RedisError: Error, Hashable, CustomStringConvertible {
    /// The kinds of failure.
    public enum Kind: Hashable, Sendable {
        /// The call's deadline passed before its replies came.
        case timedOut
        /// The connection closed, or could not be opened, before the replies came.
        case connectionClosed
        /// The server answered with an error reply; ``RedisError/reason`` holds it.
        case replyError
        /// The server's reply is not what the command answers, or not RESP at all.
        case unexpectedReply
        /// The connection already waits for ``RedisClient/maximumPendingRequests`` calls.
        case busy
        /// The client was closed.
        case closed
    }

    /// What went wrong.
    public let kind: Kind
    /// The server's error reply, what was unexpected, or why the connection closed; may be empty.
    public let reason: String

    /// An error of `kind`, with a `reason` for the message.
    public init(_ kind: Kind, reason: String = "") {
        self.kind = kind
        self.reason = reason
    }

    /// One line, e.g. `redis: timed out` or `redis: ERR unknown command`.
    public var description: String {
        let what =
            switch self.kind {
            case .timedOut: "timed out"
            case .connectionClosed: "connection closed"
            case .replyError: "error reply"
            case .unexpectedReply: "unexpected reply"
            case .busy: "too many calls waiting on the connection"
            case .closed: "client closed"
            }
        return self.reason.isEmpty ? "redis: \(what)" : "redis: \(what): \(self.reason)"
    }
}
