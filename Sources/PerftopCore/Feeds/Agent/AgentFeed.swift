import FoundationEssentials
import NIOCore
import NIOPosix
import PerfKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A running PerfKit agent, read through its Unix domain socket (`perftop --attach PATH`).
///
/// Each poll sends `{"request":"snapshot"}` and a newline, reads one line back and decodes it with
/// ``Snapshot/decode(jsonLine:)`` (see docs/protocol.md). The connection is opened at the first poll
/// and reused by the next ones. When it breaks (the agent restarted), the poll that notices opens a
/// new one at once; when connecting fails, further attempts wait with capped exponential backoff
/// (``reconnectBackoff``), and polls in between fail at once with the last reason. A snapshot of
/// another schema version is refused: `schema perftop.snapshot v2 not supported (this perftop reads v1)`.
///
/// Ownership: before connecting, the socket file must be owned by this process's user or by root, and
/// after connecting the agent itself must run as one of them (its `SO_PEERCRED` credentials), or as one
/// of ``trustedOwners``; otherwise nothing is sent and the poll fails with
/// `socket PATH is owned by uid 1001, not you or root` or `agent on PATH runs as uid 1001, not you or
/// root`. Another user who binds the path first (a squatted `/tmp/agent.sock`) gets no request.
///
/// Bounds: the whole poll (connect, write, read) finishes within its timeout, and the answer is limited
/// to ``maximumResponseBytes``; after a timeout or an over-long answer the connection is closed, so a
/// late answer is never read as the next one. The I/O runs on a SwiftNIO event loop, never on a
/// cooperative thread; decoding the line (linear in its length) runs on the caller's task. One poll
/// runs at a time; a second concurrent one fails with `previous poll still running`.
public final class AgentFeed: Feed {
    /// `agent:PATH`.
    public let name: String
    /// The socket's path.
    public let path: String
    /// The longest answer line accepted, without its newline; a longer one fails the poll.
    public let maximumResponseBytes: Int
    /// Users, by uid, whose sockets and agents are read besides this process's user and root.
    public let trustedOwners: Set<UInt32>
    private let eventLoopGroup: any EventLoopGroup
    private let now: @Sendable () -> Double
    private let connection: Mutex<ConnectionState>
    /// The agent's name and pid from its last snapshot, as ``displayName`` shows them.
    private let reportedName = Mutex<String?>(nil)
    /// The identities of the samples of the last snapshot read, so the next one reads its repeated
    /// samples as a byte comparison and a number (`SnapshotIdentities`): at most one line's bytes.
    private let identities = Mutex(SnapshotIdentities())
    /// Connection attempts made so far; tests read it to see reuse and backoff.
    let connectAttempts = Atomic<Int>(0)

    /// The request line every poll sends, newline included.
    static let request = AgentProtocol.snapshotRequest + "\n"

    /// The open connection, if any, and the backoff between failed connection attempts.
    private struct ConnectionState {
        var channel: (any Channel)?
        var reader: NIOLoopBound<LineReader>?
        var backoff: Backoff
        var lastConnectFailure: FeedError?
    }

    /// Creates a feed for the agent listening at `path`. Nothing is opened until the first poll.
    ///
    /// - Parameters:
    ///   - path: the agent's Unix domain socket.
    ///   - maximumResponseBytes: the longest answer line accepted; 8 MiB by default.
    ///   - trustedOwners: uids whose sockets and agents are read besides this process's user and root
    ///     (`--allow-socket-owner`); none by default.
    ///   - reconnectBackoff: the wait after a failed connection attempt, doubling per failure up to its
    ///     cap; 0.5 s to 10 s by default.
    ///   - eventLoopGroup: where the connection's I/O runs; NIO's shared group by default.
    ///   - now: a monotonic clock in seconds for the backoff; injected by tests.
    public init(
        path: String,
        maximumResponseBytes: Int = 8 << 20,
        trustedOwners: Set<UInt32> = [],
        reconnectBackoff: Backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(10)),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        now: @escaping @Sendable () -> Double = AgentFeed.monotonicSeconds
    ) {
        self.name = "agent:" + path
        self.path = path
        self.maximumResponseBytes = maximumResponseBytes
        self.trustedOwners = trustedOwners
        self.eventLoopGroup = eventLoopGroup
        self.now = now
        self.connection = Mutex(ConnectionState(backoff: reconnectBackoff))
    }

    deinit {
        self.connection.withLockedValue { $0.channel?.close(promise: nil) }
    }

    /// Seconds on a monotonic clock since an arbitrary origin: the default clock of the reconnect backoff.
    public static let monotonicSeconds: @Sendable () -> Double = {
        let origin = ContinuousClock.now
        return { (ContinuousClock.now - origin).seconds }
    }()

    /// Asks the agent for a snapshot and returns its samples.
    ///
    /// - Throws: ``FeedError`` with a short reason: `no such socket: PATH`, `not a socket: PATH`,
    ///   `socket PATH is owned by uid N, not you or root`, `agent on PATH runs as uid N, not you or root`,
    ///   `connection refused`, `permission denied`, `timeout after 1.0s`, `response larger than N bytes`,
    ///   `connection closed before a full line`, `schema perftop.snapshot v2 not supported (this perftop
    ///   reads v1)`, another ``SnapshotDecodingError`` description, or the reason of the agent's own
    ///   error answer.
    public func poll(timeout: Duration) async throws -> [Sample] {
        let line = try await self.exchange(timeout: timeout)
        // Taken out while the line is read, so the lock is not held for it and the line's bytes have
        // one owner; polls of one feed do not overlap, and one that did would read its line afresh.
        var identities = self.identities.withLockedValue { kept in
            defer { kept = SnapshotIdentities() }
            return kept
        }
        defer { self.identities.withLockedValue { $0 = identities } }
        let snapshot = try Self.decode(line: line, identities: &identities)
        let name = Self.displayName(agent: snapshot.agent, pid: snapshot.pid)
        self.reportedName.withLockedValue { reported in
            if reported != name {
                reported = name
            }
        }
        return snapshot.samples
    }

    /// True: connecting, writing and reading run under the poll's one deadline on the event loop,
    /// and decoding the line (at most ``maximumResponseBytes``) is bounded work.
    public var enforcesItsTimeout: Bool { true }

    /// The agent's name and pid from its last snapshot, e.g. `demo[4242]`; `nil` before the first
    /// snapshot and when the agent gives no name.
    public var displayName: String? {
        self.reportedName.withLockedValue { $0 }
    }

    /// The longest agent name shown, in characters; a longer one is cut with an ellipsis.
    static let maximumNameLength = 32

    /// `agent[pid]` with the agent's name escaped and cut to ``maximumNameLength`` (the agent
    /// chooses it), the pid left out when it is not positive; `nil` for an empty name.
    static func displayName(agent: String, pid: Int32) -> String? {
        guard !agent.isEmpty else {
            return nil
        }
        let name = SafeText.escaped(agent, limit: Self.maximumNameLength)
        return pid > 0 ? "\(name)[\(pid)]" : name
    }

    /// Closes the connection, if one is open; the next poll opens a new one.
    public func disconnect() {
        let channel = self.connection.withLockedValue { state in
            defer {
                state.channel = nil
                state.reader = nil
            }
            return state.channel
        }
        channel?.close(promise: nil)
    }

    /// Checks that `path` names an existing Unix domain socket owned by this process's user, root or one
    /// of `trustedOwners`, as the CLI does before starting and the feed before each connection attempt.
    ///
    /// A symbolic link is followed: what counts is the socket it leads to, and the agent listening on
    /// it is checked again once connected. Cost: one `stat` call. It says nothing about whether an agent
    /// is listening.
    ///
    /// - Parameters:
    ///   - path: the socket's path.
    ///   - trustedOwners: uids trusted besides this process's user and root.
    /// - Throws: ``FeedError`` `no such socket: PATH`, `not a socket: PATH`, `permission denied: PATH`,
    ///   `socket path too long: PATH` or `socket PATH is owned by uid N, not you or root`.
    public static func validate(path: String, trustedOwners: Set<UInt32> = []) throws(FeedError) {
        if path.utf8.count >= MemoryLayout.size(ofValue: sockaddr_un().sun_path) {
            throw FeedError("socket path too long: \(path)")
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            if code == EACCES || code == EPERM {
                throw FeedError("permission denied: \(path)")
            }
            throw FeedError("no such socket: \(path)")
        }
        guard status.st_mode & S_IFMT == S_IFSOCK else {
            throw FeedError("not a socket: \(path)")
        }
        guard Self.trusts(uid: UInt32(status.st_uid), trustedOwners: trustedOwners) else {
            throw FeedError(
                "socket \(path) is owned by uid \(status.st_uid), \(Self.trustedOwnersText(trustedOwners))"
            )
        }
    }
}

// MARK: - Connection

extension AgentFeed {
    /// Sends the request on the open connection (or a new one) and returns the answer line without its
    /// newline. A reused connection found broken is replaced once, within the same poll.
    ///
    /// Connecting, checking the peer, writing and reading are chained on the connection's event loop
    /// and the task resumes only at the end, so time spent waiting for a thread of Swift's
    /// concurrency pool never counts against the deadline.
    private func exchange(timeout: Duration) async throws -> [UInt8] {
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        let pending = PollCancellation<[UInt8]>()
        return try await withTaskCancellationHandler {
            if let (channel, reader) = try self.openConnection() {
                do {
                    return try await channel.eventLoop.flatSubmit {
                        self.request(
                            on: channel,
                            reader: reader,
                            deadline: deadline,
                            reportedAs: timeout,
                            pending: pending
                        )
                    }.get()
                } catch let error as FeedError where error.isConnectionLoss {
                    self.drop(channel)
                } catch let error as FeedError where error.isBusy {
                    throw error
                } catch {
                    self.drop(channel)
                    throw error
                }
            }
            return try await self.connectAndRequest(deadline: deadline, reportedAs: timeout, pending: pending)
        } onCancel: {
            pending.cancel()
        }
    }

    /// The open connection; `nil` when there is none and the backoff allows an attempt.
    ///
    /// - Throws: the last connection failure while the backoff forbids an attempt.
    private func openConnection() throws(FeedError) -> (any Channel, NIOLoopBound<LineReader>)? {
        let time = self.now()
        return try self.connection.withLockedValue {
            state throws(FeedError) -> (any Channel, NIOLoopBound<LineReader>)? in
            if let channel = state.channel, let reader = state.reader, channel.isActive {
                return (channel, reader)
            }
            state.channel = nil
            state.reader = nil
            if !state.backoff.allows(at: time), let failure = state.lastConnectFailure {
                throw failure
            }
            return nil
        }
    }

    /// Connects to the socket once its owner is trusted, keeps the connection once its peer is, and
    /// sends the request on it; a failed connection attempt is recorded for the backoff.
    private func connectAndRequest(
        deadline: NIODeadline,
        reportedAs pollTimeout: Duration,
        pending: PollCancellation<[UInt8]>
    ) async throws -> [UInt8] {
        let time = self.now()
        self.connectAttempts.add(1, ordering: .relaxed)
        do {
            try Self.validate(path: self.path, trustedOwners: self.trustedOwners)
        } catch {
            self.recordConnectFailure(error, at: time)
            throw error
        }
        let eventLoop = self.eventLoopGroup.next()
        return try await eventLoop.flatSubmit {
            self.connect(on: eventLoop, deadline: deadline, reportedAs: pollTimeout)
                .flatMapErrorThrowing { error -> (any Channel, NIOLoopBound<LineReader>) in
                    let failure = error as? FeedError ?? FeedError("\(error)")
                    self.recordConnectFailure(failure, at: time)
                    throw failure
                }
                .flatMap { channel, reader in
                    self.connection.withLockedValue { state in
                        state.channel = channel
                        state.reader = reader
                        state.backoff.recordSuccess()
                        state.lastConnectFailure = nil
                    }
                    return self.request(
                        on: channel,
                        reader: reader,
                        deadline: deadline,
                        reportedAs: pollTimeout,
                        pending: pending
                    )
                    .flatMapErrorThrowing { error in
                        self.drop(channel)
                        throw error
                    }
                }
        }.get()
    }

    private func recordConnectFailure(_ failure: FeedError, at time: Double) {
        self.connection.withLockedValue { state in
            state.backoff.recordFailure(at: time)
            state.lastConnectFailure = failure
        }
    }

    /// Connects from `eventLoop` with what remains of `deadline`, checks the peer, and returns the
    /// channel with its line reader; failures are described as ``connectFailure(_:path:timeout:)`` does.
    private func connect(
        on eventLoop: any EventLoop,
        deadline: NIODeadline,
        reportedAs pollTimeout: Duration
    ) -> EventLoopFuture<(any Channel, NIOLoopBound<LineReader>)> {
        let path = self.path
        let limit = self.maximumResponseBytes
        let trustedOwners = self.trustedOwners
        let remaining = deadline - .now()
        guard remaining > .zero else {
            return eventLoop.makeFailedFuture(FeedError.timeout(after: pollTimeout))
        }
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(remaining)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(LineReader(limit: limit))
                }
            }
            .connect(unixDomainSocketPath: path)
            .flatMap { channel in
                Self.checkPeer(of: channel, path: path, trustedOwners: trustedOwners)
                    .flatMapThrowing {
                        (
                            channel,
                            NIOLoopBound(
                                try channel.pipeline.syncOperations.handler(type: LineReader.self),
                                eventLoop: channel.eventLoop
                            )
                        )
                    }
                    .flatMapErrorThrowing { error in
                        channel.close(promise: nil)
                        throw error
                    }
            }
            .flatMapErrorThrowing { error in
                throw Self.connectFailure(error, path: path, timeout: pollTimeout)
            }
    }

    /// Sends one request on `channel` and returns its answer line, failing at `deadline` with a
    /// timeout reported as the poll's whole timeout, `pollTimeout`. Call it on the channel's event loop.
    private func request(
        on channel: any Channel,
        reader: NIOLoopBound<LineReader>,
        deadline: NIODeadline,
        reportedAs pollTimeout: Duration,
        pending: PollCancellation<[UInt8]>
    ) -> EventLoopFuture<[UInt8]> {
        let eventLoop = channel.eventLoop
        let promise = eventLoop.makePromise(of: [UInt8].self)
        guard pending.begin(promise) else {
            promise.fail(CancellationError())
            return promise.futureResult
        }
        let timer = eventLoop.scheduleTask(deadline: deadline) {
            promise.fail(FeedError.timeout(after: pollTimeout))
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        reader.value.send(promise: promise, on: channel)
        return promise.futureResult
    }

    /// Forgets `channel` if it is the open connection, and closes it.
    private func drop(_ channel: any Channel) {
        self.connection.withLockedValue { state in
            if state.channel === channel {
                state.channel = nil
                state.reader = nil
            }
        }
        channel.close(promise: nil)
    }

    /// The reason to show for a failed connect.
    static func connectFailure(_ error: any Error, path: String, timeout: Duration) -> any Error {
        switch error {
        case let error as IOError:
            switch error.errnoCode {
            case ENOENT, ENOTDIR:
                return FeedError("no such socket: \(path)")
            case ECONNREFUSED:
                // The path was a socket when checked just before connecting (validate(path:trustedOwners:)).
                return FeedError("connection refused")
            case EACCES, EPERM:
                return FeedError("permission denied")
            default:
                return FeedError(ProcFile.describe(errno: error.errnoCode))
            }
        case ChannelError.connectTimeout:
            return FeedError.timeout(after: timeout)
        case SocketAddressError.unixDomainSocketPathTooLong:
            return FeedError("socket path too long: \(path)")
        case let error as FeedError:
            return error
        default:
            return FeedError("\(error)")
        }
    }
}

// MARK: - Decoding

extension AgentFeed {
    /// Decodes an answer line: a snapshot, or an agent's ``AgentErrorResponse`` turned into a ``FeedError``;
    /// `identities` are those of the agent's previous snapshot, and become this one's.
    static func decode(line: [UInt8], identities: inout SnapshotIdentities) throws(FeedError) -> Snapshot {
        do {
            return try Snapshot.decode(jsonBytes: line, identities: &identities)
        } catch let error as SnapshotDecodingError where error == .wrongSchema(AgentErrorResponse.schemaName) {
            guard let answer = try? JSONDecoder().decode(AgentErrorResponse.self, from: Data(line)) else {
                throw FeedError("malformed error answer")
            }
            throw FeedError(Self.displayable(answer.error))
        } catch {
            throw FeedError("\(error)")
        }
    }

    /// An agent-supplied reason made safe for a status line (``SafeText``): control and format
    /// characters escaped, cut to ``SafeText/maximumReasonLength`` characters.
    private static func displayable(_ reason: String) -> String {
        reason.isEmpty ? "agent error without a reason" : SafeText.escaped(reason, limit: SafeText.maximumReasonLength)
    }
}

// MARK: - Reasons

extension FeedError {
    /// `timeout after 1.0s`.
    static func timeout(after timeout: Duration) -> FeedError {
        FeedError("timeout after \(timeout.formattedSeconds)s")
    }

    /// The connection went away under a request: the agent restarted or closed it.
    static let connectionClosed = FeedError("connection closed before a full line")
    /// The agent reset the connection.
    static let connectionReset = FeedError("connection reset")
    /// A second poll started while one was waiting for its answer.
    static let busy = FeedError("previous poll still running")

    /// Whether the connection was lost, so a fresh one may succeed at once.
    var isConnectionLoss: Bool {
        self == .connectionClosed || self == .connectionReset
    }

    /// Whether the poll was refused because another one is waiting on the connection.
    var isBusy: Bool {
        self == .busy
    }
}

// MARK: - Line reader

/// Reads the answer lines of one agent connection: ``send(promise:on:)`` writes a request and
/// completes `promise` with the next line, without its newline; it fails the promise when the line
/// outgrows `limit` or the connection closes first. Lives on the connection's event loop, like every
/// channel handler; the feed reaches it through a `NIOLoopBound`.
final class LineReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let limit: Int
    private var pending: EventLoopPromise<[UInt8]>?
    private var line: [UInt8] = []
    private var closed = false

    init(limit: Int) {
        self.limit = limit
    }

    /// Writes the snapshot request and waits for its answer in `promise`.
    func send(promise: EventLoopPromise<[UInt8]>, on channel: any Channel) {
        guard !self.closed else {
            promise.fail(FeedError.connectionClosed)
            return
        }
        guard self.pending == nil else {
            promise.fail(FeedError.busy)
            return
        }
        self.pending = promise
        self.line = []
        promise.futureResult.whenFailure { _ in
            // A poll that gave up (timeout, cancellation) leaves the stream mid-answer: close it so a
            // late answer is never read as the next one.
            channel.close(promise: nil)
        }
        let request = channel.allocator.buffer(string: AgentFeed.request)
        channel.writeAndFlush(request, promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let promise = self.pending else {
            // An answer nobody asked for: the stream is out of step.
            context.close(promise: nil)
            return
        }
        let chunk = self.unwrapInboundIn(data).readableBytesView
        // `memchr`, not `firstIndex(of:)`: an answer is thousands of bytes, and a byte-at-a-time
        // search of each was a percent of perftop's time with ten agents.
        let newlineOffset = chunk.withUnsafeBytes { bytes in
            bytes.baseAddress.flatMap { memchr($0, Int32(UInt8(ascii: "\n")), bytes.count) }
                .map { UnsafeRawPointer($0) - UnsafeRawPointer(bytes.baseAddress!) }
        }
        if let newline = newlineOffset.map({ chunk.index(chunk.startIndex, offsetBy: $0) }) {
            let length = self.line.count + chunk.distance(from: chunk.startIndex, to: newline)
            guard length <= self.limit else {
                self.fail(context: context, promise, FeedError("response larger than \(self.limit) bytes"))
                return
            }
            self.line.append(contentsOf: chunk[..<newline])
            let answer = self.line
            self.pending = nil
            self.line = []
            if chunk.index(after: newline) != chunk.endIndex {
                context.close(promise: nil)
            }
            promise.succeed(answer)
        } else if self.line.count + chunk.count > self.limit {
            self.fail(context: context, promise, FeedError("response larger than \(self.limit) bytes"))
        } else {
            self.line.append(contentsOf: chunk)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.closed = true
        self.pending?.fail(FeedError.connectionClosed)
        self.pending = nil
        self.line = []
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let failure: FeedError
        if let error = error as? IOError, error.errnoCode == ECONNRESET || error.errnoCode == EPIPE {
            failure = .connectionReset
        } else {
            failure = FeedError("\(error)")
        }
        if let promise = self.pending {
            self.fail(context: context, promise, failure)
        } else {
            context.close(promise: nil)
        }
    }

    private func fail(context: ChannelHandlerContext, _ promise: EventLoopPromise<[UInt8]>, _ error: FeedError) {
        self.pending = nil
        self.line = []
        promise.fail(error)
        context.close(promise: nil)
    }
}

// MARK: - Attach patterns

extension AgentFeed {
    /// The sockets an `--attach` argument names: a socket path as it is, every socket in a directory,
    /// or every socket a glob pattern (`*`, `?`, `[…]`) matches; sorted, without duplicates.
    ///
    /// ``AgentDiscovery`` expands a directory or pattern again every round, so agents whose sockets
    /// appear later are picked up and those whose sockets are gone dropped. Cost: one directory
    /// listing or one `glob(3)`, and a `stat` per entry.
    ///
    /// Sockets found in a directory or by a pattern are listed whoever owns them; a poll of one that is
    /// not trusted fails with the reason.
    ///
    /// - Parameters:
    ///   - pattern: a socket path, a directory or a glob pattern.
    ///   - trustedOwners: uids trusted besides this process's user and root, for a plain path.
    /// - Throws: ``FeedError`` from ``validate(path:trustedOwners:)`` for a plain path, or
    ///   `no sockets in DIR` / `no sockets match PATTERN` when a directory or pattern names none.
    public static func socketPaths(
        matching pattern: String,
        trustedOwners: Set<UInt32> = []
    ) throws(FeedError) -> [String] {
        if Self.isDirectory(pattern) {
            let sockets = SocketDirectory.list(pattern)?.sockets ?? []
            guard !sockets.isEmpty else {
                throw FeedError("no sockets in \(pattern)")
            }
            return sockets
        }
        guard pattern.contains(where: { "*?[".contains($0) }) else {
            try Self.validate(path: pattern, trustedOwners: trustedOwners)
            return [pattern]
        }
        var matches = glob_t()
        defer { globfree(&matches) }
        var sockets: [String] = []
        if glob(pattern, 0, nil, &matches) == 0 {
            for index in 0..<Int(matches.gl_pathc) {
                if let match = matches.gl_pathv[index].map({ String(cString: $0) }), Self.isSocket(match) {
                    sockets.append(match)
                }
            }
        }
        guard !sockets.isEmpty else {
            throw FeedError("no sockets match \(pattern)")
        }
        return Array(Set(sockets)).sorted()
    }

    /// Whether `path` names a directory (a symbolic link to one included).
    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    private static func isSocket(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFSOCK
    }
}
