import NIOCore
import NIOPosix
import PerfKit
import Synchronization

/// Serves snapshots of a `MetricsRegistry` over a Unix domain socket, for `perftop --attach`.
///
/// The socket file has mode 0600 from the moment it appears at ``path``: it is bound under a temporary
/// name in a private directory beside it, restricted, then renamed into place. The protocol is
/// newline-delimited JSON, one response line per request line (see `AgentProtocol` and
/// docs/protocol.md). Each connection holds at most one request line of
/// `AgentProtocol.maxRequestLineBytes` in memory, stops reading while its replies back up, and is
/// closed after `AgentProtocol.idleTimeout` of silence; at most `AgentProtocol.maxConnections` are
/// served at once. Each request costs one `MetricsRegistry.snapshot(agent:)` and its JSON encoding,
/// on the connection's event loop.
///
/// Call ``shutdown()`` before the process exits to remove the socket file; a file left behind by a
/// crash is detected as stale and replaced by the next start.
public final class AgentServer: Sendable {
    /// The path of the socket file.
    public let path: String

    private let channel: any Channel
    private let connections: AgentConnections
    private let identity: AgentSocketFile.Identity

    private init(
        path: String,
        channel: any Channel,
        connections: AgentConnections,
        identity: AgentSocketFile.Identity
    ) {
        self.path = path
        self.channel = channel
        self.connections = connections
        self.identity = identity
    }

    // MARK: - Starting

    /// Creates the socket at `path` and starts answering requests on `group`.
    ///
    /// If a stale socket (one nobody accepts connections on) is at `path`, it is replaced. Anything
    /// else at `path` is left untouched and the start fails.
    ///
    /// - Parameters:
    ///   - path: Where to create the socket. Its directory must exist; the path, and its directory plus
    ///     18 bytes for the temporary name, must fit in a Unix socket address (107 bytes on Linux).
    ///   - registry: The registry whose snapshot every request gets.
    ///   - agentName: The agent's name, sent in every snapshot.
    ///   - group: The event loops that serve connections; snapshots are taken on them.
    /// - Returns: The running server.
    /// - Throws: ``AgentServerError`` when the path is too long, something other than a socket is at
    ///   `path`, an agent already answers there, or a system call fails.
    public static func start(
        path: String,
        registry: MetricsRegistry,
        agentName: String,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> AgentServer {
        try await Self.start(
            path: path,
            registry: registry,
            agentName: agentName,
            group: group,
            idleTimeout: AgentProtocol.idleTimeout
        )
    }

    /// Starts a server whose connections close after `idleTimeout` of silence.
    static func start(
        path: String,
        registry: MetricsRegistry,
        agentName: String,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        idleTimeout: Duration
    ) async throws -> AgentServer {
        let idleTimeout = TimeAmount(idleTimeout)
        let staging = try AgentSocketFile.makeStaging(for: path)
        defer { staging.remove() }
        let connections = AgentConnections(limit: AgentProtocol.maxConnections)
        let responder = AgentResponder(registry: registry, agentName: agentName)
        let descriptor: CInt
        do {
            descriptor = try CloseOnExecSocket.bound(to: SocketAddress(unixDomainSocketPath: staging.socketPath))
        } catch let failure as CloseOnExecSocket.Failure {
            throw AgentServerError.systemCallFailed(path: path, operation: failure.operation, reason: failure.reason)
        } catch {
            throw AgentServerError.systemCallFailed(path: path, operation: "bind", reason: "\(error)")
        }
        let channel: any Channel
        do {
            // On success the channel owns the descriptor and closes it with itself.
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 64)
                .childChannelInitializer { child in
                    guard connections.admit(child) else {
                        return child.close()
                    }
                    return child.eventLoop.makeCompletedFuture {
                        try CloseOnExecSocket.markCloseOnExec(child)
                        try child.pipeline.syncOperations.addHandlers(
                            BackPressureHandler(),
                            IdleStateHandler(readTimeout: idleTimeout),
                            ByteToMessageHandler(AgentLineDecoder(maxLength: AgentProtocol.maxRequestLineBytes)),
                            AgentRequestHandler(responder: responder),
                            AgentConnectionCloser()
                        )
                    }
                }
                .withBoundSocket(descriptor)
                .get()
        } catch {
            throw AgentServerError.systemCallFailed(path: path, operation: "bind", reason: "\(error)")
        }
        do {
            let identity = try AgentSocketFile.publish(staging.socketPath, at: path)
            return AgentServer(path: path, channel: channel, connections: connections, identity: identity)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    // MARK: - Stopping

    /// Stops accepting connections, closes open ones and removes the socket file.
    ///
    /// The file is removed only if it is still the one this server created. Calling this more than
    /// once does nothing after the first call.
    ///
    /// - Throws: ``AgentServerError`` if the socket file cannot be removed.
    public func shutdown() async throws {
        guard let open = self.connections.closeAll() else {
            return
        }
        try? await self.channel.close()
        try AgentSocketFile.removeIfOwned(self.path, identity: self.identity)
        for connection in open {
            try? await connection.close()
        }
    }
}

// MARK: - Connections

/// The open connections of an ``AgentServer``, so that it can refuse too many and close them all.
final class AgentConnections: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var closed = false
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    /// Records a new connection; returns `false` if it must be closed instead of served.
    func admit(_ channel: any Channel) -> Bool {
        let admitted = self.state.withLockedValue { state in
            guard !state.closed, state.channels.count < self.limit else {
                return false
            }
            state.channels[ObjectIdentifier(channel)] = channel
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { _ in
                self.state.withLockedValue { $0.channels[ObjectIdentifier(channel)] = nil }
            }
        }
        return admitted
    }

    /// Refuses all further connections and returns the open ones, or `nil` if already closed.
    func closeAll() -> [any Channel]? {
        self.state.withLockedValue { state in
            guard !state.closed else {
                return nil
            }
            state.closed = true
            return Array(state.channels.values)
        }
    }
}
