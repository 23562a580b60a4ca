import PerfKit

/// Why an ``AgentHTTPServer`` could not start.
///
/// Its ``description`` is one line fit for a terminal, naming the address.
public struct AgentHTTPServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, with its details; private, so that a new kind of failure is not a breaking
    /// change (the swift-server convention).
    private enum Code: Sendable, Hashable {
        case invalidHost(String)
        case invalidPort(Int)
        case notLoopback(host: String)
        case bindFailed(host: String, port: Int, reason: String)
    }

    /// The kind of failure, to match on without the details: `error.kind == .invalidHost`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        /// See ``AgentHTTPServerError/invalidHost(_:)``.
        public static let invalidHost = Kind(name: "invalidHost")
        /// See ``AgentHTTPServerError/invalidPort(_:)``.
        public static let invalidPort = Kind(name: "invalidPort")
        /// See ``AgentHTTPServerError/notLoopback(host:)``.
        public static let notLoopback = Kind(name: "notLoopback")
        /// See ``AgentHTTPServerError/bindFailed(host:port:reason:)``.
        public static let bindFailed = Kind(name: "bindFailed")

        public var description: String {
            self.name
        }
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// The host is not a numeric IPv4 or IPv6 address (host names are not resolved).
    public static func invalidHost(_ value: String) -> Self {
        Self(.invalidHost(value))
    }

    /// The port is outside 0...65535.
    public static func invalidPort(_ value: Int) -> Self {
        Self(.invalidPort(value))
    }

    /// The address is not a loopback address, and the caller did not opt in to exposing metrics beyond
    /// this machine.
    public static func notLoopback(host: String) -> Self {
        Self(.notLoopback(host: host))
    }

    /// Creating or binding the listening socket failed, e.g. because the port is in use.
    public static func bindFailed(host: String, port: Int, reason: String) -> Self {
        Self(.bindFailed(host: host, port: port, reason: reason))
    }

    /// The kind of failure.
    public var kind: Kind {
        switch self.code {
        case .invalidHost: .invalidHost
        case .invalidPort: .invalidPort
        case .notLoopback: .notLoopback
        case .bindFailed: .bindFailed
        }
    }

    /// One line that says what went wrong, e.g. for a command-line error message.
    public var description: String {
        switch self.code {
        case .invalidHost(let host):
            return "cannot serve HTTP on \(host): not a numeric IPv4 or IPv6 address"
        case .invalidPort(let port):
            return "cannot serve HTTP on port \(port): ports are 0 to 65535"
        case .notLoopback(let host):
            return
                "refusing to serve metrics on \(host): not a loopback address (opt in to expose them beyond this machine)"
        case .bindFailed(let host, let port, let reason):
            return "cannot serve HTTP on \(Self.authority(host: host, port: port)): \(reason)"
        }
    }

    /// `host:port`, with an IPv6 host in brackets.
    static func authority(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
