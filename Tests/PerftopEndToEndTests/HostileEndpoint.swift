import Foundation
import Synchronization

/// A loopback HTTP server that serves what a misbehaving service would: a scripted list of bodies,
/// one per request (the last one repeated), whatever perftop asks for.
///
/// It runs on its own thread with blocking sockets, so it answers while the test awaits a perftop
/// process; ``stop()`` closes the listener and joins nothing (the thread ends at its next accept).
final class HostileEndpoint: Sendable {
    /// The port it listens on, on 127.0.0.1.
    let port: Int
    /// The URL perftop is pointed at.
    var url: String { "http://127.0.0.1:\(self.port)/metrics" }

    private let listener: Int32
    private let served = Atomic<Int>(0)

    /// Starts serving `bodies` in order with `contentType`.
    init(bodies: [String], contentType: String = "text/plain; version=0.0.4") throws {
        precondition(!bodies.isEmpty)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else {
            throw POSIXError(.EIO)
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(listener, address, length) == 0 && listen(listener, 16) == 0
                    && getsockname(listener, address, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        self.listener = listener
        self.port = Int(UInt16(bigEndian: address.sin_port))
        let responses = bodies.map { body in
            "HTTP/1.1 200 OK\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\r\n" + body
        }
        let thread = Thread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else {
                    return
                }
                var request = [UInt8](repeating: 0, count: 4096)
                _ = read(connection, &request, request.count)
                let index = self.served.add(1, ordering: .relaxed).oldValue
                let response = Array(responses[min(index, responses.count - 1)].utf8)
                _ = response.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
                close(connection)
            }
        }
        thread.start()
    }

    /// How many requests were answered.
    var requests: Int { self.served.load(ordering: .relaxed) }

    /// Stops listening; the serving thread ends.
    func stop() {
        shutdown(self.listener, Int32(SHUT_RDWR))
        close(self.listener)
    }
}
