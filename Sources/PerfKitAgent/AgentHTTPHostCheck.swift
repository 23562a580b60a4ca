import NIOCore
import NIOHTTP1
import PerfKit

/// Which `Host` a request to ``AgentHTTPServer`` may name: the defence against DNS rebinding.
///
/// A web page can point a name it controls at 127.0.0.1 and make a browser on this machine send
/// requests to the agent, and read the answers as its own; but those requests name the page's host.
/// Accepted, without regard to case and with or without `:PORT` (the server's own port, no other):
/// `localhost`, `127.0.0.1`, `[::1]`, the address the connection arrived on (which a browser never
/// sends for a name), and the names the agent adds (``AgentHTTPServer/start(registry:agentName:host:port:exposingMetricsBeyondLoopback:allowedHostNames:group:)``).
struct AgentHTTPHostCheck: Sendable {
    /// What to do with a request.
    enum Verdict: Equatable {
        /// Answer it.
        case allowed
        /// 400: an HTTP/1.1 request without `Host`, or any request with more than one.
        case missingOrRepeated
        /// 421: a `Host` the server does not answer for.
        case misdirected
    }

    /// The names always accepted, lower case.
    static let loopbackNames: Set<String> = ["localhost", "127.0.0.1", "[::1]"]

    /// The accepted names, lower case, without port: ``loopbackNames`` and the agent's own.
    let names: Set<String>

    /// A check accepting the loopback names and `allowedHostNames` (compared without regard to case).
    init(allowedHostNames: [String] = []) {
        self.names = Self.loopbackNames.union(allowedHostNames.map { $0.lowercased() })
    }

    /// The verdict on a request head that arrived on a connection to `localAddress`.
    ///
    /// - Parameters:
    ///   - head: the request's head.
    ///   - localAddress: the server's end of the connection: its port is the only one a `Host` may give,
    ///     and its address is accepted as a name.
    func verdict(on head: HTTPRequestHead, localAddress: SocketAddress?) -> Verdict {
        let hosts = head.headers["Host"]
        guard hosts.count <= 1 else {
            return .missingOrRepeated
        }
        guard let host = hosts.first else {
            // HTTP/1.0 has no Host; a browser always sends one.
            return head.version.major == 1 && head.version.minor == 0 ? .allowed : .missingOrRepeated
        }
        guard let (name, port) = Self.split(host.lowercased()) else {
            return .misdirected
        }
        if let port, port != localAddress?.port {
            return .misdirected
        }
        return self.names.contains(name) || name == Self.literal(of: localAddress) ? .allowed : .misdirected
    }

    /// `name` and the port of a `Host` value (`name`, `name:port`, `[v6]` or `[v6]:port`); `nil` when
    /// it is malformed or its port is not 1 to 5 digits.
    private static func split(_ host: String) -> (name: String, port: Int?)? {
        let name: Substring
        let rest: Substring
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else {
                return nil
            }
            name = host[...close]
            rest = host[host.index(after: close)...]
        } else {
            name = host.prefix { $0 != ":" }
            rest = host.dropFirst(name.count)
        }
        guard !name.isEmpty else {
            return nil
        }
        guard !rest.isEmpty else {
            return (String(name), nil)
        }
        let digits = rest.dropFirst()
        guard rest.first == ":", (1...5).contains(digits.count), digits.allSatisfy({ ("0"..."9").contains($0) }),
            let port = Int(digits)
        else {
            return nil
        }
        return (String(name), port)
    }

    /// How a `Host` names `address`: `127.0.0.1`, or `[::1]` for IPv6; `nil` for none.
    private static func literal(of address: SocketAddress?) -> String? {
        switch address {
        case .v4?:
            return address?.ipAddress
        case .v6?:
            return address?.ipAddress.map { "[" + $0 + "]" }
        default:
            return nil
        }
    }
}
