import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A connected blocking stream socket for tests, independent of NIO: writes whole strings and reads
/// into a buffer that the protocol-specific clients frame. Reads give up after 10 s, so a broken
/// server fails the test instead of hanging it; no test asserts how long anything took.
final class BlockingSocket {
    struct SocketError: Error, CustomStringConvertible {
        var operation: String
        var code: Int32

        var description: String {
            "\(self.operation): \(String(cString: strerror(self.code)))"
        }
    }

    private let descriptor: Int32
    /// Bytes read and not yet consumed by the client.
    var pending: [UInt8] = []

    /// Connects to the Unix socket at `path`.
    convenience init(unixPath path: String) throws {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        try self.init(family: AF_UNIX, address: address)
    }

    /// Connects to `port` on 127.0.0.1.
    convenience init(loopbackPort port: Int) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        try self.init(family: AF_INET, address: address)
    }

    private init<Address>(family: Int32, address: Address) throws {
        self.descriptor = try Self.makeSocket(family: family)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(self.descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = address
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(self.descriptor, $0, socklen_t(MemoryLayout<Address>.size))
            }
        }
        guard result == 0 else {
            // No close here: the object is fully initialised, so deinit closes the descriptor, and a
            // second close could hit a number another test has been given since.
            throw SocketError(operation: "connect", code: errno)
        }
    }

    deinit {
        close(self.descriptor)
    }

    /// A new, unconnected stream socket of `family`.
    static func makeSocket(family: Int32) throws -> Int32 {
        #if canImport(Glibc)
            let descriptor = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(family, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else {
            throw SocketError(operation: "socket", code: errno)
        }
        return descriptor
    }

    /// Writes all of `text`.
    func send(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { writeWithoutSignal(self.descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else {
                throw SocketError(operation: "write", code: errno)
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Reads more bytes into ``pending``; `false` at the end of the stream (or a reset connection).
    ///
    /// The blocking `read` runs on a thread of its own: on a cooperative thread it would hold one of
    /// the two that Swift concurrency has on this machine until the server answered, stalling every
    /// other test's timers and continuations (AgentFeed's polls timed out under a full run).
    func fill() async throws -> Bool {
        let descriptor = self.descriptor
        let (count, error, chunk) = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var chunk = [UInt8](repeating: 0, count: 65_536)
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                continuation.resume(returning: (count, errno, chunk))
            }
        }
        if count == 0 || (count < 0 && error == ECONNRESET) {
            return false
        }
        guard count > 0 else {
            throw SocketError(operation: "read", code: error)
        }
        self.pending += chunk[..<count]
        return true
    }
}

/// Writes to a connected socket; a write to a connection the peer closed fails with `EPIPE` instead of
/// raising SIGPIPE, which would end the test process (`MSG_NOSIGNAL` on Linux).
private func writeWithoutSignal(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        send(descriptor, buffer, count, Int32(MSG_NOSIGNAL))
    #else
        write(descriptor, buffer, count)
    #endif
}
