import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ServerTestKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real HTTP/1.1 server on 127.0.0.1 and an ephemeral port, for the HTTP feed's tests; HTTPS when
/// given a ``TestCertificate``.
///
/// Every request gets the answer of the current ``Behavior``, which a test may change between polls.
/// The server records each request's target and headers and counts the body bytes it managed to write,
/// and ``connectionsClosed()`` lets a test wait, without a clock, until the client has hung up.
final class HTTPTestServer: Sendable {
    /// How the server answers.
    enum Behavior: Sendable {
        /// A complete response.
        case respond(status: HTTPResponseStatus, contentType: String?, body: [UInt8])
        /// Reads the request and never answers.
        case hang
        /// `bytes` bytes of `x` in 64 KiB chunks, chunked or with a `Content-Length`.
        case huge(bytes: Int, declareLength: Bool)
        /// A head announcing `declaredLength` bytes, then `sentBytes` of them, then a close.
        case closeMidResponse(declaredLength: Int, sentBytes: Int)
        /// A `302 Found` (or another `status`) sending the client to `location`, without a body.
        case redirect(status: HTTPResponseStatus = .found, location: String)
        /// The behavior listed for the request's path (its target without the query), or a 404.
        indirect case byPath([String: Behavior])
        /// `behavior` for a connection's first request; any later request on it is answered by closing
        /// the connection, as a server does that dropped an idle connection the client still holds.
        indirect case onlyFirstPerConnection(Behavior)
        /// `behavior`, with `Connection: close` in the head, then the connection closed.
        indirect case closing(Behavior)
        /// Closes every connection as soon as it is accepted.
        case closeOnAccept
        /// A 200 whose head carries a header of `bytes` bytes of `x`.
        case hugeHeader(bytes: Int)

        /// A 200 response with `text` as its body.
        static func ok(_ text: String, contentType: String?) -> Behavior {
            .respond(status: .ok, contentType: contentType, body: Array(text.utf8))
        }
    }

    private let channel: any Channel
    private let shared: Shared
    private let scheme: String

    /// The port the server listens on.
    let port: Int

    /// `http://127.0.0.1:PORT` (`https://` with a certificate) followed by `path`.
    func url(_ path: String = "/metrics") -> String {
        "\(self.scheme)://127.0.0.1:\(self.port)\(path)"
    }

    /// Starts the server; it speaks TLS with `certificate` when one is given.
    init(_ behavior: Behavior, certificate: TestCertificate? = nil) async throws {
        let shared = Shared(behavior: behavior)
        self.shared = shared
        self.scheme = certificate == nil ? "http" : "https"
        let tls = try certificate.map { certificate in
            try NIOSSLContext(
                configuration: .makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(certificate.certificatePath).map {
                        .certificate($0)
                    },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: certificate.keyPath, format: .pem))
                )
            )
        }
        self.channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(shared: shared))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        self.port = self.channel.localAddress?.port ?? 0
    }

    /// Changes how later requests are answered.
    func setBehavior(_ behavior: Behavior) {
        self.shared.state.withLockedValue { $0.behavior = behavior }
    }

    /// The headers of every request received so far.
    var requests: [HTTPHeaders] {
        self.shared.state.withLockedValue { $0.requests }
    }

    /// The target (path and query) of every request received so far.
    var targets: [String] {
        self.shared.state.withLockedValue { $0.targets }
    }

    /// How many connections the server accepted.
    var connectionsAccepted: Int {
        self.shared.state.withLockedValue { $0.acceptedConnections }
    }

    /// Body bytes whose write completed, over all connections.
    var bytesWritten: Int {
        self.shared.bytesWritten.load(ordering: .relaxed)
    }

    /// Returns once no connection is open.
    func connectionsClosed() async {
        await withCheckedContinuation { continuation in
            self.shared.state.withLockedValue { state in
                if state.openConnections == 0 {
                    continuation.resume()
                } else {
                    state.closeWaiters.append(continuation)
                }
            }
        }
    }

    /// Stops listening; open connections are closed by their clients.
    func stop() async {
        try? await self.channel.close()
    }
}

// MARK: - Shared state

/// What the server and its connections' handlers share, under a lock.
private final class Shared: Sendable {
    struct State {
        var behavior: HTTPTestServer.Behavior
        var requests: [HTTPHeaders] = []
        var targets: [String] = []
        var openConnections = 0
        var acceptedConnections = 0
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    let state: Mutex<State>
    let bytesWritten = Atomic<Int>(0)

    init(behavior: HTTPTestServer.Behavior) {
        self.state = Mutex(State(behavior: behavior))
    }

    /// Counts a new connection; `false` when the behavior closes it at once.
    func connectionOpened() -> Bool {
        self.state.withLockedValue { state in
            state.openConnections += 1
            state.acceptedConnections += 1
            if case .closeOnAccept = state.behavior {
                return false
            }
            return true
        }
    }

    func connectionClosed() {
        let waiters = self.state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.openConnections -= 1
            guard state.openConnections == 0 else {
                return []
            }
            defer { state.closeWaiters = [] }
            return state.closeWaiters
        }
        waiters.forEach { $0.resume() }
    }

    /// Records a request and returns how to answer it.
    func received(_ head: HTTPRequestHead) -> HTTPTestServer.Behavior {
        self.state.withLockedValue { state in
            state.requests.append(head.headers)
            state.targets.append(head.uri)
            guard case .byPath(let routes) = state.behavior else {
                return state.behavior
            }
            let path = String(head.uri.prefix { $0 != "?" })
            return routes[path] ?? .respond(status: .notFound, contentType: "text/plain", body: Array("not found".utf8))
        }
    }
}

// MARK: - Handler

/// Answers requests on one connection with the server's behavior.
private final class Handler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private static let chunkSize = 64 << 10

    private let shared: Shared
    private var behavior: HTTPTestServer.Behavior?
    private var requestsOnConnection = 0

    init(shared: Shared) {
        self.shared = shared
    }

    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        if !self.shared.connectionOpened() {
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.shared.connectionClosed()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.behavior = self.shared.received(head)
            self.requestsOnConnection += 1
        case .body:
            break
        case .end:
            guard let behavior = self.behavior else {
                return
            }
            self.answer(behavior, context: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func answer(_ behavior: HTTPTestServer.Behavior, context: ChannelHandlerContext, closing: Bool = false) {
        switch behavior {
        case .respond(let status, let contentType, let body):
            var headers = HTTPHeaders([("Content-Length", String(body.count))])
            if let contentType {
                headers.add(name: "Content-Type", value: contentType)
            }
            if closing {
                headers.add(name: "Connection", value: "close")
            }
            context.write(
                self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                promise: nil
            )
            context.write(
                self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))),
                promise: nil
            )
            let written = context.writeAndFlush(self.wrapOutboundOut(.end(nil)))
            if closing {
                written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            }
            self.shared.bytesWritten.add(body.count, ordering: .relaxed)
        case .hang:
            break
        case .huge(let bytes, let declareLength):
            let headers = HTTPHeaders(
                declareLength
                    ? [("Content-Type", "text/plain; version=0.0.4"), ("Content-Length", String(bytes))]
                    : [("Content-Type", "text/plain; version=0.0.4"), ("Transfer-Encoding", "chunked")]
            )
            context.writeAndFlush(
                self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                promise: nil
            )
            let chunk = context.channel.allocator.buffer(repeating: UInt8(ascii: "x"), count: Self.chunkSize)
            self.writeChunks(of: chunk, remaining: bytes, context: context)
        case .closeMidResponse(let declaredLength, let sentBytes):
            let headers = HTTPHeaders([
                ("Content-Type", "text/plain; version=0.0.4"), ("Content-Length", String(declaredLength)),
            ])
            context.write(
                self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                promise: nil
            )
            let body = context.channel.allocator.buffer(repeating: UInt8(ascii: "#"), count: sentBytes)
            context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(body))))
                .assumeIsolated()
                .whenComplete { _ in context.close(promise: nil) }
        case .redirect(let status, let location):
            let headers = HTTPHeaders([("Location", location), ("Content-Length", "0")])
            context.write(
                self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                promise: nil
            )
            context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
        case .byPath, .closeOnAccept:
            // Resolved to the path's behavior when the request arrived; closed when accepted.
            break
        case .hugeHeader(let bytes):
            let headers = HTTPHeaders([("X-Padding", String(repeating: "x", count: bytes)), ("Content-Length", "0")])
            context.write(
                self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                promise: nil
            )
            context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
        case .onlyFirstPerConnection(let first):
            if self.requestsOnConnection == 1 {
                self.answer(first, context: context)
            } else {
                context.close(promise: nil)
            }
        case .closing(let inner):
            self.answer(inner, context: context, closing: true)
        }
    }

    /// Writes `remaining` bytes a chunk at a time, each once the previous write completed; stops when a
    /// write fails (the client went away).
    private func writeChunks(of chunk: ByteBuffer, remaining: Int, context: ChannelHandlerContext) {
        guard remaining > 0 else {
            context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        let size = min(remaining, chunk.readableBytes)
        context.writeAndFlush(
            self.wrapOutboundOut(.body(.byteBuffer(chunk.getSlice(at: chunk.readerIndex, length: size)!)))
        )
        .assumeIsolated()
        .whenComplete { result in
            guard case .success = result else {
                context.close(promise: nil)
                return
            }
            self.shared.bytesWritten.add(size, ordering: .relaxed)
            self.writeChunks(of: chunk, remaining: remaining - size, context: context)
        }
    }
}

// MARK: - TLS

/// `openssl s_server -WWW` on 127.0.0.1 with a self-signed certificate made for the test, serving the
/// files of a temporary directory over HTTPS.
///
/// s_server answers `HTTP/1.0 200 ok` with `Content-type: text/plain` (`text/html` for `.html` names),
/// no `Content-Length`, and closes the connection after the file.
final class OpenSSLTestServer {
    /// Whether the `openssl` command is installed.
    static let isAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")

    private var process = Process()
    private let directory: URL
    private let certificate: TestCertificate
    /// The port the server listens on.
    private(set) var port = 0

    /// The server's certificate, PEM; a client that trusts it verifies the server.
    var certificatePath: String {
        self.certificate.certificatePath
    }

    /// Starts the server with `files` (name → contents) in its directory; returns once it accepts.
    ///
    /// - Parameter subjectAltName: the certificate's one name, also its common name; `DNS:other.invalid`
    ///   makes a certificate that is not for 127.0.0.1.
    init(files: [String: String], subjectAltName: String = "IP:127.0.0.1") async throws {
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("perftop-tls-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        for (name, contents) in files {
            try contents.write(to: self.directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        self.certificate = try await TestCertificate(subjectAltName: subjectAltName)
        // A port borrowed from the kernel may be taken by another test's server before s_server binds
        // it; s_server then exits, and the other server answers. Checked, and retried on a new port.
        for _ in 1...5 {
            let probe = try await HTTPTestServer(.hang)
            self.port = probe.port
            await probe.stop()
            self.process = Process()
            self.process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            self.process.arguments = [
                "s_server", "-accept", "127.0.0.1:\(self.port)", "-cert", self.certificate.certificatePath,
                "-key", self.certificate.keyPath, "-WWW",
            ]
            self.process.currentDirectoryURL = self.directory
            self.process.standardOutput = FileHandle.nullDevice
            self.process.standardError = FileHandle.nullDevice
            try self.process.run()
            do {
                try await ServerTestProcess.waitUntilListening(port: self.port)
                try await Task.sleep(for: .milliseconds(200))
            } catch {
                self.stop()
                throw error
            }
            if self.process.isRunning {
                return
            }
        }
        self.stop()
        throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "openssl s_server exited five times"])
    }

    /// Stops the server and removes its directory.
    func stop() {
        // SIGKILL: the child inherits the test process's blocked signals, SIGTERM among them.
        kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
        try? FileManager.default.removeItem(at: self.directory)
        self.certificate.remove()
    }
}

/// A self-signed certificate and its private key, made by `openssl req` in a temporary directory of
/// their own; a client that trusts the certificate verifies a server using the key.
final class TestCertificate: Sendable {
    private let directory: URL

    /// The certificate, PEM.
    var certificatePath: String {
        self.directory.appendingPathComponent("cert.pem").path
    }

    /// The unencrypted private key, PEM.
    var keyPath: String {
        self.directory.appendingPathComponent("key.pem").path
    }

    /// Makes a certificate whose one name, also its common name, is `subjectAltName`.
    ///
    /// - Parameter subjectAltName: `IP:127.0.0.1`, or e.g. `DNS:other.invalid` for a certificate that
    ///   is not for 127.0.0.1.
    init(subjectAltName: String = "IP:127.0.0.1") async throws {
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("perftop-cert-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1",
            "-subj", "/CN=" + subjectAltName.drop { $0 != ":" }.dropFirst(), "-addext",
            "subjectAltName=" + subjectAltName,
        ]
        process.currentDirectoryURL = self.directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Polled, not `waitUntilExit()`: making an RSA key can take a second, which would hold one of
        // the two threads Swift concurrency has on this machine.
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Removes the certificate, the key and their directory.
    func remove() {
        try? FileManager.default.removeItem(at: self.directory)
    }
}
