import NIOCore

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The POSIX side of an ``AgentHTTPServer``: a listening socket that is close-on-exec from the start.
///
/// SwiftNIO creates its sockets without `SOCK_CLOEXEC`, so a child process started with `exec` would
/// inherit them. The server therefore creates and binds its listening socket here and hands it to
/// `ServerBootstrap.withBoundSocket(_:)`, and marks every accepted socket with `FD_CLOEXEC` as soon as
/// its channel is initialised.
enum AgentHTTPListeningSocket {
    /// Creates a TCP socket for `address` with close-on-exec and `SO_REUSEADDR` set, and binds it.
    ///
    /// - Returns: The descriptor; the caller owns it.
    /// - Throws: ``AgentHTTPServerError/bindFailed(host:port:reason:)``.
    static func bound(to address: SocketAddress, host: String, port: Int) throws -> CInt {
        #if canImport(Glibc)
            let descriptor = socket(
                address.protocol.rawValue,
                Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
                0
            )
        #else
            let descriptor = socket(address.protocol.rawValue, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else {
            throw AgentHTTPServerError.bindFailed(host: host, port: port, reason: "socket: \(Self.lastError())")
        }
        do {
            #if !canImport(Glibc)
                try Self.check(fcntl(descriptor, F_SETFD, FD_CLOEXEC), "fcntl", host: host, port: port)
            #endif
            var one: CInt = 1
            try Self.check(
                setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<CInt>.size)),
                "setsockopt",
                host: host,
                port: port
            )
            let result = address.withSockAddr { bind(descriptor, $0, socklen_t($1)) }
            try Self.check(result, "bind", host: host, port: port)
            return descriptor
        } catch {
            close(descriptor)
            throw error
        }
    }

    /// Marks an accepted connection's socket close-on-exec. Must run on the channel's event loop.
    ///
    /// There is a short window between accept(2) and this call in which a concurrent `fork` and `exec`
    /// would still inherit the socket; SwiftNIO offers no hook that closes it.
    static func markCloseOnExec(_ channel: any Channel) throws {
        try channel.pipeline.syncOperations.withUnsafeTransportIfAvailable(of: NIOBSDSocket.Handle.self) {
            _ = fcntl($0, F_SETFD, FD_CLOEXEC)
        }
    }

    private static func check(_ result: CInt, _ operation: String, host: String, port: Int) throws {
        guard result == 0 else {
            throw AgentHTTPServerError.bindFailed(host: host, port: port, reason: "\(operation): \(Self.lastError())")
        }
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

extension SocketAddress {
    /// Whether this is an IPv4 loopback address (127.0.0.0/8), the IPv6 loopback address `::1`, or an
    /// IPv4-mapped IPv6 loopback address (`::ffff:127.x.y.z`).
    var isLoopback: Bool {
        switch self {
        case .v4(let address):
            return withUnsafeBytes(of: address.address.sin_addr) { $0[0] == 127 }
        case .v6(let address):
            return withUnsafeBytes(of: address.address.sin6_addr) { bytes in
                let loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]
                let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff, 127]
                return bytes.elementsEqual(loopback) || bytes.prefix(13).elementsEqual(mappedPrefix)
            }
        case .unixDomainSocket:
            return false
        }
    }
}
