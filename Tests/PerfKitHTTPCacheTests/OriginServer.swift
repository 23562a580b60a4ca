import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP/1.1 origin on 127.0.0.1 and an ephemeral port, serving the resources the cache's tests
/// need, and recording every request that reaches it, by path, with its headers.
///
/// - `/max-age`: `max-age=60`.
/// - `/etag`: `ETag: "v<version>"`, `max-age=10`; `304` to a matching `If-None-Match`.
/// - `/last-modified`: a `Last-Modified` and no freshness; `304` to a matching `If-Modified-Since`.
/// - `/vary`: `Vary: Accept-Language`, `max-age=60`, a body naming the language asked for.
/// - `/vary-star`: `Vary: *`, `max-age=60`.
/// - `/no-store`, `/private` (`max-age=60`), `/no-cache` (with an `ETag`, `304` when it matches).
/// - `/expires`: `Date` and an `Expires` 60 s later, no `Cache-Control`.
/// - `/slow`: answers once the test opens the gate; `/slow-body` sends its head and half its body
///   first.
/// - `/big/<bytes>/<anything>`: `bytes` bytes of `x`, `max-age=60`.
/// - Any other method: `200 posted <n> bytes`, `n` the request body's length.
final class OriginServer: Sendable {
    /// The `Last-Modified` of `/last-modified`.
    static let lastModified = "Sun, 06 Nov 1994 08:49:37 GMT"

    let port: Int
    private let state = Mutex(State())

    private struct State {
        var requests: [String: [HTTPHeaders]] = [:]
        var entityTagVersion = 1
        var isGateOpen = false
        var gateWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private init(port: Int) {
        self.port = port
    }

    /// Runs `body` with a started server, then opens its gate and stops it.
    static func run<Result: Sendable>(_ body: (OriginServer) async throws -> Result) async throws -> Result {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        let server = OriginServer(port: channel.channel.localAddress?.port ?? 0)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound in
                    try await withThrowingDiscardingTaskGroup { connections in
                        for try await connection in inbound {
                            connections.addTask { await server.serve(connection) }
                        }
                    }
                }
            }
            defer {
                server.openGate()
                group.cancelAll()
            }
            return try await body(server)
        }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    func url(_ path: String) -> String {
        "http://127.0.0.1:\(self.port)\(path)"
    }

    /// The headers of every request for `path` that reached the server, in order.
    func requests(_ path: String) -> [HTTPHeaders] {
        self.state.withLockedValue { $0.requests[path] ?? [] }
    }

    /// How many requests for `path` reached the server.
    func count(_ path: String) -> Int {
        self.requests(path).count
    }

    /// Changes the `ETag` of `/etag` (and its body) to `"v<version>"`.
    func setEntityTagVersion(_ version: Int) {
        self.state.withLockedValue { $0.entityTagVersion = version }
    }

    /// Lets `/slow` and `/slow-body` answer, now and from now on.
    func openGate() {
        let waiters = self.state.withLockedValue { state in
            state.isGateOpen = true
            defer { state.gateWaiters = [] }
            return state.gateWaiters
        }
        for waiter in waiters {
            waiter.resume()
        }
    }

    private func gate() async {
        await withCheckedContinuation { continuation in
            let isOpen = self.state.withLockedValue { state in
                if !state.isGateOpen {
                    state.gateWaiters.append(continuation)
                }
                return state.isGateOpen
            }
            if isOpen {
                continuation.resume()
            }
        }
    }

    // MARK: - Serving

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var bodyBytes = 0
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    bodyBytes = 0
                case .body(let buffer):
                    bodyBytes += buffer.readableBytes
                case .end:
                    if let head {
                        try await self.respond(to: head, bodyBytes: bodyBytes, with: outbound)
                    }
                }
            }
        }
    }

    private func respond(
        to request: HTTPRequestHead,
        bodyBytes: Int,
        with outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    )
        async throws
    {
        let path = String(request.uri.split(separator: "?", maxSplits: 1).first ?? "")
        let version = self.state.withLockedValue { state in
            state.requests[path, default: []].append(request.headers)
            return state.entityTagVersion
        }
        var headers = HTTPHeaders()
        var status = HTTPResponseStatus.ok
        var body = ""
        let requested = { (name: String) in request.headers.first(name: name) }
        switch path {
        case _ where request.method != .GET:
            body = "posted \(bodyBytes) bytes"
        case "/max-age":
            headers.add(name: "Cache-Control", value: "max-age=60")
            body = "max-age \(self.count(path))"
        case "/etag":
            let entityTag = "\"v\(version)\""
            headers.add(name: "ETag", value: entityTag)
            headers.add(name: "Cache-Control", value: "max-age=10")
            status = requested("If-None-Match") == entityTag ? .notModified : .ok
            body = "etag v\(version)"
        case "/last-modified":
            headers.add(name: "Last-Modified", value: Self.lastModified)
            status = requested("If-Modified-Since") == Self.lastModified ? .notModified : .ok
            body = "last-modified"
        case "/vary":
            headers.add(name: "Vary", value: "Accept-Language")
            headers.add(name: "Cache-Control", value: "max-age=60")
            body = "hello \(requested("Accept-Language") ?? "none")"
        case "/vary-star":
            headers.add(name: "Vary", value: "*")
            headers.add(name: "Cache-Control", value: "max-age=60")
            body = "vary star"
        case "/no-store":
            headers.add(name: "Cache-Control", value: "no-store")
            headers.add(name: "ETag", value: "\"ns\"")
            body = "no-store"
        case "/private":
            headers.add(name: "Cache-Control", value: "private, max-age=60")
            body = "private"
        case "/no-cache":
            headers.add(name: "Cache-Control", value: "no-cache")
            headers.add(name: "ETag", value: "\"nc\"")
            status = requested("If-None-Match") == "\"nc\"" ? .notModified : .ok
            body = "no-cache"
        case "/expires":
            headers.add(name: "Date", value: "Sun, 06 Nov 1994 08:49:37 GMT")
            headers.add(name: "Expires", value: "Sun, 06 Nov 1994 08:50:37 GMT")
            body = "expires"
        case "/slow":
            await self.gate()
            headers.add(name: "Cache-Control", value: "max-age=60")
            body = "slow"
        case "/slow-body":
            headers.add(name: "Content-Length", value: "8")
            try await outbound.write(.head(HTTPResponseHead(version: request.version, status: .ok, headers: headers)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: "slow"))))
            await self.gate()
            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: "body"))))
            try await outbound.write(.end(nil))
            return
        case _ where path.hasPrefix("/big/"):
            headers.add(name: "Cache-Control", value: "max-age=60")
            body = String(repeating: "x", count: Int(path.split(separator: "/")[1]) ?? 0)
        default:
            status = .notFound
        }
        if status == .notModified {
            body = ""
        } else {
            headers.add(name: "Content-Length", value: String(body.utf8.count))
        }
        try await outbound.write(.head(HTTPResponseHead(version: request.version, status: status, headers: headers)))
        if !body.isEmpty {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: body))))
        }
        try await outbound.write(.end(nil))
    }
}
