import PerfKit

/// Why an ``AgentHTTPServer`` could not start.
///
/// Its ``description`` is one line fit for a terminal, naming the address.
public enum AgentHTTPServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The host is not a numeric IPv4 or IPv6 address (host names are not resolved).
    case invalidHost(String)
    /// The port is outside 0...65535.
    case invalidPort(Int)
    /// The address is not a loopback address, and the caller did not opt in to exposing metrics beyond
    /// this machine.
    case notLoopback(host: String)
    /// Creating or binding the listening socket failed, e.g. because the port is in use.
    case bindFailed(host: String, port: Int, reason: String)

    /// One line that says what went wrong, e.g. for a command-line error message.
    public var description: String {
        switch self {
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
