import NIOCore
import NIOHTTP1
import NIOPosix
import PerfKit

/// Serves a `MetricsRegistry` over HTTP: Prometheus text for scrapers, and the snapshot JSON.
///
/// Opt-in, next to (or instead of) the Unix socket of ``AgentServer``. Two endpoints answer `GET` and
/// `HEAD`:
///
/// - ``metricsPath`` (`/metrics`): the registry's samples as Prometheus text exposition 0.0.4
///   (`PrometheusTextEncoder`), `Content-Type: text/plain; version=0.0.4; charset=utf-8`;
/// - ``snapshotPath`` (`/perftop.json`): one `Snapshot` as JSON (the line the Unix socket sends),
///   `Content-Type: application/json`.
///
/// Any other path gets 404, any other method on these paths 405. Connections are kept alive (HTTP/1.1,
/// or HTTP/1.0 with `Connection: keep-alive`) and pipelined requests are answered in order.
///
/// **Exposure.** Metrics can reveal what a process is doing, and HTTP has no file permissions to
/// restrict who connects: anyone who can reach the address can read them. The server therefore binds a
/// loopback address (127.0.0.1 by default, or ::1), reachable from this machine only, and refuses any
/// other address unless the caller passes `exposingMetricsBeyondLoopback: true`.
///
/// **Host.** Against DNS rebinding (a web page whose name is pointed at 127.0.0.1 reading the metrics
/// through a browser), a request must name the server as `localhost`, `127.0.0.1` or `[::1]`, the
/// address the connection arrived on, or one of the `allowedHostNames`, each with the server's port or
/// none. Any other `Host` gets 421 Misdirected Request, an HTTP/1.1 request without `Host` (or any with
/// two) 400 Bad Request, and the connection is closed.
///
/// **Limits.** A request's target and headers may take at most ``maxRequestHeadBytes`` (else 400 and
/// close); its body, which no endpoint reads, at most ``maxRequestBodyBytes`` (else 413 and close). A
/// whole request must arrive within ``requestTimeout`` of the connection's accept or of the end of the
/// previous response, however slowly its bytes trickle in (else the connection is closed); a connection
/// that sends nothing for ``idleTimeout`` is closed; at most ``maxConnections`` are served at once
/// (further ones are closed at once), and a connection stops being read while its replies back up.
/// Each request costs one `MetricsRegistry.collectSamples()` and its encoding, on the connection's
/// event loop.
///
/// **Sockets** are close-on-exec: the listening socket from its creation, each accepted one right after
/// accept(2).
///
/// Call ``shutdown(gracePeriod:)`` to stop serving.
public final class AgentHTTPServer: Sendable {
    // MARK: - Constants

    /// The path of the Prometheus text endpoint.
    public static let metricsPath = "/metrics"
    /// The path of the snapshot JSON endpoint.
    public static let snapshotPath = "/perftop.json"
    /// The address the server binds unless told otherwise: IPv4 loopback.
    public static let defaultHost = "127.0.0.1"
    /// The most bytes a request's target, header names and header values may take together.
    public static let maxRequestHeadBytes = 8192
    /// The most body bytes a request may carry; they are read and dropped.
    public static let maxRequestBodyBytes = 4096
    /// How long a connection may stay silent before the server closes it.
    public static let idleTimeout: Duration = .seconds(60)
    /// How long a whole request (head and body) may take to arrive, from the connection's accept or the
    /// end of the previous response, however its bytes trickle in: a client sending a byte now and then
    /// cannot hold one of the ``maxConnections`` for longer.
    public static let requestTimeout: Duration = .seconds(10)
    /// The most connections the server serves at once; it closes further ones at once.
    public static let maxConnections = 64

    // MARK: - Properties

    /// The address the server listens on, as given to ``start(registry:agentName:host:port:exposingMetricsBeyondLoopback:allowedHostNames:group:)``.
    public let host: String
    /// The TCP port the server listens on: the one asked for, or the one the system chose for port 0.
    public let port: Int

    private let channel: any Channel
    private let connections: AgentConnections

    private init(host: String, port: Int, channel: any Channel, connections: AgentConnections) {
        self.host = host
        self.port = port
        self.channel = channel
        self.connections = connections
    }

    // MARK: - Starting

    /// Binds `host` and `port` and starts answering HTTP requests on `group`.
    ///
    /// - Parameters:
    ///   - registry: The registry whose samples and snapshots the endpoints serve.
    ///   - agentName: The agent's name, sent in every snapshot.
    ///   - host: A numeric IPv4 or IPv6 address (host names are not resolved). A loopback address
    ///     (127.0.0.0/8 or ::1) unless `exposingMetricsBeyondLoopback` is `true`.
    ///   - port: The TCP port, or 0 (the default) for one the system chooses; read it from ``port``.
    ///   - exposingMetricsBeyondLoopback: Pass `true` to allow any address, e.g. `0.0.0.0` for a
    ///     Prometheus server elsewhere. Everyone who can reach that address can then read the metrics:
    ///     restrict it with a firewall.
    ///   - allowedHostNames: Names a request's `Host` may give besides `localhost`, `127.0.0.1`, `[::1]`
    ///     and the address it arrived on, e.g. the DNS name a Prometheus server scrapes this machine by;
    ///     compared without regard to case. None by default.
    ///   - group: The event loops that serve connections; samples are collected on them.
    /// - Returns: The running server.
    /// - Throws: ``AgentHTTPServerError`` when the host is not a numeric address, is not loopback without
    ///   the opt-in, the port is out of range, or the address cannot be bound (e.g. the port is in use).
    public static func start(
        registry: MetricsRegistry,
        agentName: String,
        host: String = AgentHTTPServer.defaultHost,
        port: Int = 0,
        exposingMetricsBeyondLoopback: Bool = false,
        allowedHostNames: [String] = [],
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> AgentHTTPServer {
        try await Self.start(
            registry: registry,
            agentName: agentName,
            host: host,
            port: port,
            exposingMetricsBeyondLoopback: exposingMetricsBeyondLoopback,
            allowedHostNames: allowedHostNames,
            group: group,
            idleTimeout: Self.idleTimeout,
            requestTimeout: Self.requestTimeout
        )
    }

    /// Starts a server whose connections close after `idleTimeout` of silence, or when a request takes
    /// longer than `requestTimeout` to arrive.
    static func start(
        registry: MetricsRegistry,
        agentName: String,
        host: String = AgentHTTPServer.defaultHost,
        port: Int = 0,
        exposingMetricsBeyondLoopback: Bool = false,
        allowedHostNames: [String] = [],
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        idleTimeout: Duration,
        requestTimeout: Duration
    ) async throws -> AgentHTTPServer {
        guard (0...65_535).contains(port) else {
            throw AgentHTTPServerError.invalidPort(port)
        }
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: host, port: port)
        } catch {
            throw AgentHTTPServerError.invalidHost(host)
        }
        guard address.isLoopback || exposingMetricsBeyondLoopback else {
            throw AgentHTTPServerError.notLoopback(host: host)
        }
        let descriptor: CInt
        do {
            descriptor = try CloseOnExecSocket.bound(to: address)
        } catch {
            throw AgentHTTPServerError.bindFailed(host: host, port: port, reason: error.description)
        }
        let idleTimeout = TimeAmount(idleTimeout)
        let requestTimeout = TimeAmount(requestTimeout)
        let hostCheck = AgentHTTPHostCheck(allowedHostNames: allowedHostNames)
        let connections = AgentConnections(limit: Self.maxConnections)
        let responder = AgentHTTPResponder(registry: registry, agentName: agentName)
        let limits = Self.decoderLimits
        let channel: any Channel
        do {
            // On success the channel owns the descriptor and closes it with itself.
            channel = try await ServerBootstrap(group: group)
                .childChannelInitializer { child in
                    guard connections.admit(child) else {
                        return child.close()
                    }
                    return child.eventLoop.makeCompletedFuture {
                        try CloseOnExecSocket.markCloseOnExec(child)
                        let pipeline = child.pipeline.syncOperations
                        try pipeline.addHandler(BackPressureHandler())
                        try pipeline.configureHTTPServerPipeline(
                            withEncoderConfiguration: HTTPResponseEncoder.Configuration(),
                            withDecoderLimitConfiguration: limits
                        )
                        try pipeline.addHandlers(
                            IdleStateHandler(readTimeout: idleTimeout),
                            AgentHTTPRequestHandler(
                                responder: responder,
                                hostCheck: hostCheck,
                                requestTimeout: requestTimeout
                            ),
                            AgentConnectionCloser()
                        )
                    }
                }
                .withBoundSocket(descriptor)
                .get()
        } catch {
            throw AgentHTTPServerError.bindFailed(host: host, port: port, reason: "\(error)")
        }
        guard let boundPort = channel.localAddress?.port else {
            try? await channel.close()
            throw AgentHTTPServerError.bindFailed(host: host, port: port, reason: "the socket has no local port")
        }
        return AgentHTTPServer(host: host, port: boundPort, channel: channel, connections: connections)
    }

    /// The HTTP decoder's limits: the request line and the header fields count towards one total.
    private static var decoderLimits: NIOHTTPDecoderLimitConfiguration {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = Self.maxRequestHeadBytes
        limits.maxHeaderListSize = Self.maxRequestHeadBytes
        return limits
    }

    // MARK: - Stopping

    /// Stops listening, lets each connection finish the request it is in, then closes it.
    ///
    /// Every connection is told before the listener closes, so a response written after that carries
    /// `Connection: close`. The port is released at once. An idle connection is closed at once; one in the middle of a
    /// request is closed after its response is written, or when `gracePeriod` is over, whichever comes
    /// first. Returns when every connection is closed. Calling this more than once does nothing after
    /// the first call.
    ///
    /// - Parameter gracePeriod: How long a connection may take to finish its request.
    public func shutdown(gracePeriod: Duration = .seconds(5)) async {
        guard let open = self.connections.closeAll() else {
            return
        }
        let gracePeriod = TimeAmount(gracePeriod)
        var deadlines: [Scheduled<Void>] = []
        var told: [EventLoopFuture<Void>] = []
        for connection in open {
            // On the connection's own loop, so that once the listener is closed every connection has
            // seen the event: a request that completes after that gets `Connection: close`.
            told.append(
                connection.eventLoop.submit {
                    connection.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
                }
            )
            deadlines.append(connection.eventLoop.scheduleTask(in: gracePeriod) { connection.close(promise: nil) })
        }
        for future in told {
            try? await future.get()
        }
        try? await self.channel.close()
        for (connection, deadline) in zip(open, deadlines) {
            try? await connection.closeFuture.get()
            deadline.cancel()
        }
    }
}
