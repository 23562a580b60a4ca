import FoundationEssentials
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import PerfKit
import Synchronization

/// The HTTP/1.1 client every ``HTTPFeed`` of a run shares: one `GET` at a time per connection, with
/// connections kept alive between polls.
///
/// It does what a metrics poll needs and no more, on SwiftNIO's HTTP/1.1 codec and NIOSSL: a `GET`
/// with the caller's headers, the whole body read into memory up to a limit, one deadline for
/// everything (resolving, connecting, the TLS handshake, the request, the body and any redirect).
/// It follows a redirect only as the caller's ``Redirects`` decides (``HTTPFeed`` decides which
/// headers go along) and speaks neither HTTP/2 nor a proxy. A general client (AsyncHTTPClient) did
/// the same job with HTTP/2, proxies, cookies and compression perftop never used, and made up a sixth
/// of the release binary (docs/release.md).
///
/// Bounds: at most ``maximumIdleConnectionsPerOrigin`` idle connections per origin, each closed once
/// idle for ``idleTimeout``; a body larger than the request's limit fails the request as soon as
/// its `Content-Length` or its bytes say so, so no more than the limit is ever held.
///
/// A connection taken from the pool may have been closed by the server meanwhile; a request that
/// fails on one before any byte of a response arrived is sent once more on a new connection.
///
/// A request's steps (connecting, sending, the response, putting the connection back, the next
/// request of a redirect) are chained on NIO's event loops, and the caller's task resumes only at the
/// end: time the task spends waiting for a thread of Swift's concurrency pool (two on a two-core
/// machine, easily held by other work) never counts against the deadline.
///
/// Call ``shutdown()`` once no request will be sent any more: it closes the idle connections.
public final class HTTP1Client: Sendable {
    /// How long a connection may stay idle in the pool: 60 s.
    static let idleTimeout: TimeAmount = .seconds(60)
    /// The most idle connections kept for one origin (scheme, host and port): 2.
    static let maximumIdleConnectionsPerOrigin = 2

    private let eventLoopGroup: any EventLoopGroup
    private let tls: TLSClientContext
    private let pool = Mutex(Pool())

    /// A response: its status, headers and whole body.
    struct Response: Sendable {
        /// The status line's code and reason.
        var status: HTTPResponseStatus
        /// The response headers.
        var headers: HTTPHeaders
        /// The body, at most the request's limit.
        var body: [UInt8]
        /// Whether the server keeps the connection open for another request.
        var keepAlive: Bool
    }

    /// Decides, from a response and the URLs requested so far (first to last; the response answers
    /// the last), whether to send another `GET` and where, with which headers; returns `nil` to end
    /// with this response, throws to fail the request. Called on an event loop, so it must not block.
    typealias Redirects =
        @Sendable (_ response: Response, _ requested: [URL]) throws -> (url: URL, headers: HTTPHeaders)?

    /// Creates a client whose connections run on `eventLoopGroup` and verify TLS with
    /// `tlsConfiguration` (chain and host name).
    init(eventLoopGroup: any EventLoopGroup, tlsConfiguration: TLSConfiguration) {
        self.eventLoopGroup = eventLoopGroup
        self.tls = TLSClientContext(configuration: tlsConfiguration)
    }

    /// Sends `GET url` with `headers` (a `Host` header is added) and returns the response, all before
    /// `deadline`; after each response, `redirects` (if any) may send the next request. Every request
    /// of a redirect shares the deadline and has its own `maximumBodyBytes`.
    ///
    /// - Throws: ``Failure`` (deadline, size limit, a connection closed early, a malformed response,
    ///   shut down), `CancellationError`, what `redirects` throws, or what NIO reports:
    ///   `NIOConnectionError`, `IOError`, `ChannelError`, `NIOSSLError`, `NIOSSLExtraError`.
    func get(
        _ url: URL,
        headers: HTTPHeaders,
        deadline: NIODeadline,
        maximumBodyBytes: Int,
        redirects: Redirects? = nil
    ) async throws -> Response {
        let cancellation = PollCancellation<Response>()
        return try await withTaskCancellationHandler {
            try await self.request(
                [url],
                headers: headers,
                deadline: deadline,
                maximumBodyBytes: maximumBodyBytes,
                cancellation: cancellation,
                redirects: redirects
            ).get()
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// Sends `GET` of the last URL of `requested` on an event loop and, when `redirects` asks for
    /// another, chains it from that loop: no step of a redirect goes back to the caller's task.
    private func request(
        _ requested: [URL],
        headers: HTTPHeaders,
        deadline: NIODeadline,
        maximumBodyBytes: Int,
        cancellation: PollCancellation<Response>,
        redirects: Redirects?
    ) -> EventLoopFuture<Response> {
        let exchange: Exchange
        let pooled: Connection?
        do {
            guard let url = requested.last, let origin = HTTPFeed.Origin(url) else {
                throw Failure(.invalidURL)
            }
            pooled = try self.checkOut(origin)
            exchange = Exchange(
                request: RequestHead(url: url, origin: origin, headers: headers),
                tls: origin.scheme == "https" ? try self.tls.context() : nil,
                deadline: deadline,
                maximumBodyBytes: maximumBodyBytes,
                cancellation: cancellation
            )
        } catch {
            return self.eventLoopGroup.any().makeFailedFuture(error)
        }
        let eventLoop = pooled?.channel.eventLoop ?? self.eventLoopGroup.next()
        let response = eventLoop.flatSubmit { self.run(exchange, on: eventLoop, pooled: pooled) }
        guard let redirects else {
            return response
        }
        return response.flatMap { response in
            do {
                guard let next = try redirects(response, requested) else {
                    return eventLoop.makeSucceededFuture(response)
                }
                return self.request(
                    requested + [next.url],
                    headers: next.headers,
                    deadline: deadline,
                    maximumBodyBytes: maximumBodyBytes,
                    cancellation: cancellation,
                    redirects: redirects
                )
            } catch {
                return eventLoop.makeFailedFuture(error)
            }
        }
    }

    /// Whether a request that failed with `error` on a pooled connection may have met one the server
    /// had closed: it failed before any response, for another reason than its deadline, size limit or
    /// cancellation.
    private static func meansStaleConnection(_ error: any Error) -> Bool {
        if let failure = error as? Failure {
            return failure.kind == .closedBeforeResponse
        }
        return error is IOError || error is ChannelError
    }

    /// Closes every idle connection; a request sent afterwards fails with ``Failure`` `shut down`,
    /// and a connection in use is closed when its request ends.
    public func shutdown() async {
        let channels = self.pool.withLockedValue { pool in
            pool.isShutDown = true
            defer { pool.idle = [:] }
            return pool.idle.values.flatMap { $0.map(\.connection.channel) }
        }
        for channel in channels {
            try? await channel.close()
        }
    }
}

// MARK: - Requests

extension HTTP1Client {
    /// What goes out for one `GET`: its head, with `Host` set.
    struct RequestHead {
        var origin: HTTPFeed.Origin
        var head: HTTPRequestHead

        init(url: URL, origin: HTTPFeed.Origin, headers: HTTPHeaders) {
            var target = url.path(percentEncoded: true)
            if target.isEmpty {
                target = "/"
            }
            if let query = url.query(percentEncoded: true) {
                target += "?" + query
            }
            var all = headers
            let defaultPort = origin.scheme == "https" ? 443 : 80
            let host = origin.host.contains(":") ? "[\(origin.host)]" : origin.host
            all.replaceOrAdd(name: "Host", value: origin.port == defaultPort ? host : "\(host):\(origin.port)")
            self.origin = origin
            self.head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target, headers: all)
        }
    }

    /// A connection and the handler that collects its responses.
    struct Connection: Sendable {
        var channel: any Channel
        var collector: NIOLoopBound<HTTP1ResponseCollector>
    }

    /// One request of a ``HTTP1Client/get(_:headers:deadline:maximumBodyBytes:redirects:)`` while it
    /// runs: what to send, and the response in flight, which cancelling the `get` fails (and so closes
    /// its connection).
    struct Exchange: Sendable {
        let request: RequestHead
        let tls: NIOSSLContext?
        let deadline: NIODeadline
        let maximumBodyBytes: Int
        let cancellation: PollCancellation<Response>
    }

    /// Sends the exchange's request on `pooled`, or on a new connection when there is none or the
    /// pooled one turns out to be closed. Every step runs on `eventLoop`, chained, so that no step
    /// waits for a task to be scheduled: only the network counts against the deadline.
    private func run(
        _ exchange: Exchange,
        on eventLoop: any EventLoop,
        pooled: Connection?
    ) -> EventLoopFuture<Response> {
        guard let pooled else {
            return self.connect(exchange, on: eventLoop).flatMap { self.send(exchange, on: $0) }
        }
        return self.send(exchange, on: pooled).flatMapError { error in
            guard Self.meansStaleConnection(error) else {
                return eventLoop.makeFailedFuture(error)
            }
            // The server closed the idle connection meanwhile: try once on a new one.
            return self.connect(exchange, on: eventLoop).flatMap { self.send(exchange, on: $0) }
        }
    }

    /// Sends the request on `connection` and puts the connection back in the pool after the response,
    /// or closes it after a failure. Call it on the connection's event loop.
    private func send(_ exchange: Exchange, on connection: Connection) -> EventLoopFuture<Response> {
        let promise = connection.channel.eventLoop.makePromise(of: Response.self)
        if exchange.cancellation.begin(promise) {
            connection.collector.value.send(
                HTTP1ResponseCollector.Pending(
                    head: exchange.request.head,
                    deadline: exchange.deadline,
                    maximumBodyBytes: exchange.maximumBodyBytes,
                    promise: promise
                )
            )
        } else {
            promise.fail(CancellationError())
        }
        return promise.futureResult.map { response in
            self.checkIn(connection, origin: exchange.request.origin, keepAlive: response.keepAlive)
            return response
        }
        .flatMapErrorThrowing { error in
            connection.channel.close(promise: nil)
            throw error
        }
    }

    /// Connects to the exchange's origin from `eventLoop`, with what remains of its deadline.
    private func connect(_ exchange: Exchange, on eventLoop: any EventLoop) -> EventLoopFuture<Connection> {
        let remaining = exchange.deadline - .now()
        guard remaining > .zero else {
            return eventLoop.makeFailedFuture(Failure(.deadlineExceeded))
        }
        let origin = exchange.request.origin
        let tls = exchange.tls
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(remaining)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try TLSClientContext.addHandler(tls, host: origin.host, to: channel)
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(HTTP1ResponseCollector())
                }
            }
            .connect(host: origin.host, port: origin.port)
            .flatMapThrowing { channel in
                Connection(
                    channel: channel,
                    collector: NIOLoopBound(
                        try channel.pipeline.syncOperations.handler(type: HTTP1ResponseCollector.self),
                        eventLoop: channel.eventLoop
                    )
                )
            }
            .flatMapErrorThrowing { error in
                if case ChannelError.connectTimeout = error {
                    throw Failure(.deadlineExceeded)
                }
                throw error
            }
    }
}

// MARK: - The pool

extension HTTP1Client {
    struct Pool {
        var idle: [HTTPFeed.Origin: [(connection: Connection, since: NIODeadline)]] = [:]
        var isShutDown = false
    }

    /// An idle, open connection to `origin`, taken out of the pool; stale ones are closed on the way.
    private func checkOut(_ origin: HTTPFeed.Origin) throws -> Connection? {
        let (connection, stale) = try self.pool.withLockedValue { pool throws(Failure) in
            guard !pool.isShutDown else {
                throw Failure(.shutDown)
            }
            var stale: [any Channel] = []
            let oldest = NIODeadline.now() - Self.idleTimeout
            while let last = pool.idle[origin]?.popLast() {
                if last.since > oldest, last.connection.channel.isActive {
                    return (Optional(last.connection), stale)
                }
                stale.append(last.connection.channel)
            }
            return (nil, stale)
        }
        for channel in stale {
            channel.close(promise: nil)
        }
        return connection
    }

    /// Puts `connection` back for the next request to `origin`, or closes it.
    private func checkIn(_ connection: Connection, origin: HTTPFeed.Origin, keepAlive: Bool) {
        let kept = self.pool.withLockedValue { pool in
            guard keepAlive, !pool.isShutDown, connection.channel.isActive,
                pool.idle[origin, default: []].count < Self.maximumIdleConnectionsPerOrigin
            else {
                return false
            }
            pool.idle[origin, default: []].append((connection, .now()))
            return true
        }
        if !kept {
            connection.channel.close(promise: nil)
        }
    }
}

// MARK: - Failures

extension HTTP1Client {
    /// Why a request failed, when NIO does not say it itself.
    struct Failure: Error, Hashable, CustomStringConvertible {
        /// The kinds of failure.
        enum Kind: Hashable, Sendable {
            /// The deadline passed first.
            case deadlineExceeded
            /// The body is larger than the request's limit.
            case tooLarge
            /// The connection closed before a response head arrived.
            case closedBeforeResponse
            /// The connection closed in the middle of a body.
            case closedMidResponse
            /// The response is not HTTP.
            case malformedResponse
            /// The URL has no scheme or host.
            case invalidURL
            /// A request other than GET, which this client does not send.
            case methodNotSupported
            /// ``HTTP1Client/shutdown()`` was called.
            case shutDown
        }

        /// What went wrong.
        let kind: Kind
        /// For ``Kind/closedMidResponse``, how many body bytes had arrived; for ``Kind/tooLarge``,
        /// the limit; 0 otherwise.
        let bytes: Int

        init(_ kind: Kind, bytes: Int = 0) {
            self.kind = kind
            self.bytes = bytes
        }

        var description: String {
            switch self.kind {
            case .deadlineExceeded: "deadline exceeded"
            case .tooLarge: "response larger than \(self.bytes) bytes"
            case .closedBeforeResponse: "connection closed before a response"
            case .closedMidResponse: "connection closed mid-response after \(self.bytes) bytes"
            case .malformedResponse: "malformed HTTP response"
            case .invalidURL: "invalid URL"
            case .methodNotSupported: "method not supported"
            case .shutDown: "shut down"
            }
        }
    }
}
