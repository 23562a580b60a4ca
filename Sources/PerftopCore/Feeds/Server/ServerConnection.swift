import NIOCore
import NIOPosix
import NIOSSL
import PerfKit
import Synchronization

/// A TCP connection to a server that answers one request at a time, such as Redis or memcached, kept
/// open between polls.
///
/// Each ``exchange(_:deadline:maximumResponseBytes:isComplete:)`` writes a request and collects the
/// answer until the caller's framing says it is whole. The connection is kept for the next poll; one
/// that failed is closed, and the next exchange opens a new one. An exchange that fails on a kept
/// connection before any byte of an answer arrived (the server closed it while idle) is sent once more
/// on a new connection.
///
/// Bounds: one deadline for connecting, the TLS handshake, the request and the answer; no more than
/// the exchange's limit is ever held.
final class ServerConnection: Sendable {
    /// The server's host name or address.
    let host: String
    /// The server's TCP port.
    let port: Int
    private let eventLoopGroup: any EventLoopGroup
    private let tls: TLSClientContext?
    /// Whether TLS starts when the connection opens (Redis), rather than when the protocol asks for
    /// it (PostgreSQL's `SSLRequest`, ``Session/startTLS()``).
    private let startsTLSAtConnect: Bool
    private let idle = Mutex<Connection?>(nil)
    private let received = Atomic<Int>(0)

    /// The bytes of every whole answer received so far: what polling the server costs in traffic.
    var bytesReceived: Int {
        self.received.load(ordering: .relaxed)
    }

    /// Says whether the bytes received so far hold a whole answer; throws ``Failure`` when they cannot
    /// be the start of one.
    typealias Framing = @Sendable (_ received: [UInt8]) throws -> Bool

    /// A connection to `host`:`port`, over TLS when `tlsConfiguration` is given (the server's name is
    /// sent and verified): from the start, or from ``Session/startTLS()`` when `startsTLSAtConnect` is
    /// false. Nothing is opened before the first exchange.
    init(
        host: String,
        port: Int,
        tlsConfiguration: TLSConfiguration? = nil,
        startsTLSAtConnect: Bool = true,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.port = port
        self.startsTLSAtConnect = startsTLSAtConnect
        self.tls = tlsConfiguration.map(TLSClientContext.init(configuration:))
        self.eventLoopGroup = eventLoopGroup
    }

    /// Writes `request` and returns the bytes of the answer, once `isComplete` says they are whole,
    /// all before `deadline`: a ``withSession(deadline:_:)`` of one exchange.
    ///
    /// - Throws: ``Failure`` (deadline, size limit, closed early, or the framing's refusal),
    ///   `CancellationError`, or what NIO reports (`NIOConnectionError`, `IOError`, `ChannelError`, TLS
    ///   errors); ``FeedError/describing(_:timeout:)`` turns them into a reason.
    func exchange(
        _ request: [UInt8],
        deadline: NIODeadline,
        maximumResponseBytes: Int,
        isComplete: @escaping Framing
    ) async throws -> [UInt8] {
        try await self.withSession(deadline: deadline) { session in
            try await session.exchange(request, maximumResponseBytes: maximumResponseBytes, isComplete: isComplete)
        }
    }

    /// Runs `body` with a session on the kept connection, or on a new one (``Session/isNew``, for a
    /// protocol that must log in first); the connection is kept for the next call when `body` returns,
    /// closed when it throws. When `body` fails on a kept connection the way a connection the server
    /// closed while idle fails, it runs once more on a new connection, so `body` must only read.
    func withSession<Result: Sendable>(
        deadline: NIODeadline,
        _ body: (Session) async throws -> Result
    ) async throws -> Result {
        if let connection = self.takeIdleConnection() {
            do {
                return try await self.run(body, on: self.session(connection, isNew: false, deadline: deadline))
            } catch let error where Self.meansStaleConnection(error) {
                // The server closed the idle connection meanwhile: try once on a new one.
            }
        }
        let connection = try await self.connect(deadline: deadline)
        return try await self.run(body, on: self.session(connection, isNew: true, deadline: deadline))
    }

    /// Closes the kept connection, if any.
    func close() async {
        try? await self.takeIdleConnection()?.channel.close()
    }

    /// The kept connection, taken out so that no other exchange uses it meanwhile.
    private func takeIdleConnection() -> Connection? {
        self.idle.withLockedValue { idle in
            defer { idle = nil }
            return idle
        }
    }

    private func run<Result: Sendable>(_ body: (Session) async throws -> Result, on session: Session) async throws
        -> Result
    {
        do {
            let result = try await body(session)
            let replaced = self.idle.withLockedValue { idle in
                defer { idle = session.connection }
                return idle
            }
            replaced?.channel.close(promise: nil)
            return result
        } catch {
            session.connection.channel.close(promise: nil)
            throw error
        }
    }

    private static func meansStaleConnection(_ error: any Error) -> Bool {
        if let failure = error as? Failure {
            return failure.kind == .closedBeforeResponse
        }
        return error is IOError || error is ChannelError
    }
}

// MARK: - Sessions and connecting

extension ServerConnection {
    /// A connection and the handler that collects its answers.
    struct Connection: Sendable {
        var channel: any Channel
        var collector: NIOLoopBound<ServerResponseCollector>
    }

    private func session(_ connection: Connection, isNew: Bool, deadline: NIODeadline) -> Session {
        Session(
            connection: connection,
            isNew: isNew,
            deadline: deadline,
            count: { [weak self] bytes in self?.received.add(bytes, ordering: .relaxed) },
            host: self.host,
            tls: self.startsTLSAtConnect ? nil : self.tls
        )
    }

    /// Exchanges on one connection, in order, all before one deadline.
    struct Session: Sendable {
        fileprivate let connection: Connection
        /// Whether the connection was opened for this session (nothing was sent on it before).
        let isNew: Bool
        fileprivate let deadline: NIODeadline
        fileprivate let count: @Sendable (Int) -> Void
        fileprivate let host: String
        /// The context ``startTLS()`` uses, for a connection whose protocol starts TLS itself.
        fileprivate let tls: TLSClientContext?

        /// Starts TLS on the connection, as the protocol has just agreed with the server (PostgreSQL
        /// answered `S` to an `SSLRequest`); what follows is encrypted, and the server's certificate
        /// is verified as for a connection that starts with TLS.
        func startTLS() async throws {
            guard let tls = self.tls else {
                throw Failure(.malformed, reason: "no TLS configured for this connection")
            }
            let context = try tls.context()
            let channel = self.connection.channel
            let host = self.host
            try await channel.eventLoop.submit {
                try TLSClientContext.addHandler(context, host: host, to: channel, position: .first)
            }.get()
        }

        /// Writes `request` and returns the answer's bytes once `isComplete` says they are whole.
        func exchange(
            _ request: [UInt8],
            maximumResponseBytes: Int,
            isComplete: @escaping Framing
        ) async throws -> [UInt8] {
            let eventLoop = self.connection.channel.eventLoop
            let collector = self.connection.collector
            let pending = ServerResponseCollector.Pending(
                request: request,
                deadline: self.deadline,
                maximumResponseBytes: maximumResponseBytes,
                isComplete: isComplete,
                promise: eventLoop.makePromise()
            )
            let answer = try await withTaskCancellationHandler {
                eventLoop.execute { collector.value.send(pending) }
                return try await pending.promise.futureResult.get()
            } onCancel: {
                eventLoop.execute { collector.value.cancel() }
            }
            self.count(answer.count)
            return answer
        }
    }

    private func connect(deadline: NIODeadline) async throws -> Connection {
        let remaining = deadline - .now()
        guard remaining > .zero else {
            throw Failure(.deadlineExceeded)
        }
        let tls = self.startsTLSAtConnect ? try self.tls?.context() : nil
        let host = self.host
        let bootstrap = ClientBootstrap(group: self.eventLoopGroup)
            .connectTimeout(remaining)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        do {
            return try await bootstrap.connect(host: host, port: self.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try TLSClientContext.addHandler(tls, host: host, to: channel)
                    }
                    let collector = ServerResponseCollector()
                    try channel.pipeline.syncOperations.addHandler(collector)
                    return Connection(
                        channel: channel,
                        collector: NIOLoopBound(collector, eventLoop: channel.eventLoop)
                    )
                }
            }
        } catch ChannelError.connectTimeout {
            throw Failure(.deadlineExceeded)
        }
    }
}

// MARK: - Failures

extension ServerConnection {
    /// Why an exchange failed, when NIO does not say it itself.
    struct Failure: Error, Hashable, CustomStringConvertible {
        enum Kind: Hashable, Sendable {
            /// The deadline passed first.
            case deadlineExceeded
            /// The answer is larger than the exchange's limit.
            case tooLarge
            /// The connection closed before any byte of an answer.
            case closedBeforeResponse
            /// The connection closed in the middle of an answer.
            case closedMidResponse
            /// The server sent something that cannot be an answer; ``Failure/reason`` says what (the
            /// framings throw their own ``FeedError``).
            case malformed
        }

        /// What went wrong.
        let kind: Kind
        /// For ``Kind/tooLarge`` the limit, for ``Kind/closedMidResponse`` the bytes received; 0 otherwise.
        let bytes: Int
        /// For ``Kind/malformed``, what was wrong, e.g. `unrequested data from the server`.
        let reason: String

        init(_ kind: Kind, bytes: Int = 0, reason: String = "") {
            self.kind = kind
            self.bytes = bytes
            self.reason = reason
        }

        var description: String {
            switch self.kind {
            case .deadlineExceeded: "deadline exceeded"
            case .tooLarge: "response larger than \(self.bytes) bytes"
            case .closedBeforeResponse: "connection closed before a response"
            case .closedMidResponse: "connection closed mid-response after \(self.bytes) bytes"
            case .malformed: self.reason
            }
        }
    }
}
