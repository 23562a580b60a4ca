import NIOCore
import PerfKit

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Listening sockets that are close-on-exec from the start, for ``AgentServer`` and ``AgentHTTPServer``.
///
/// SwiftNIO creates its sockets without `SOCK_CLOEXEC`, so a child process an agent starts with `exec`
/// would inherit them (and keep the agent's address busy after the agent exits). The servers therefore
/// create and bind their listening sockets here and hand them to `ServerBootstrap.withBoundSocket(_:)`,
/// and mark every accepted socket with `FD_CLOEXEC` as soon as its channel is initialised.
enum CloseOnExecSocket {
    /// A system call that failed while creating the socket.
    struct Failure: Error, CustomStringConvertible {
        /// The call, e.g. `bind`.
        var operation: String
        /// `strerror` of its `errno`.
        var reason: String

        var description: String {
            "\(self.operation): \(self.reason)"
        }
    }

    /// Creates a stream socket for `address` with close-on-exec set (and `SO_REUSEADDR` for TCP), and
    /// binds it.
    ///
    /// - Returns: The descriptor; the caller owns it.
    static func bound(to address: SocketAddress) throws(Failure) -> CInt {
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
            throw Failure(operation: "socket", reason: Self.lastError())
        }
        do {
            #if !canImport(Glibc)
                try Self.check(fcntl(descriptor, F_SETFD, FD_CLOEXEC), "fcntl")
            #endif
            if address.protocol != .unix {
                var one: CInt = 1
                try Self.check(
                    setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<CInt>.size)),
                    "setsockopt"
                )
            }
            try Self.check(address.withSockAddr { bind(descriptor, $0, socklen_t($1)) }, "bind")
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

    private static func check(_ result: CInt, _ operation: String) throws(Failure) {
        guard result == 0 else {
            throw Failure(operation: operation, reason: Self.lastError())
        }
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

extension SocketAddress {
    /// Whether this is an IPv4 loopback address (127.0.0.0/8), the IPv6 loopback address `::1`, or an
    /// IPv4-mapped IPv6 loopback address (`::ffff:127.x.y.z`). Shared with PerftopCore, hence `package`.
    package var isLoopback: Bool {
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
