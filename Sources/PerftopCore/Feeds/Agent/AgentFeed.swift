import Foundation
import NIOCore
import NIOPosix
import PerfKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A running PerfKit agent, read through its Unix domain socket (`perftop --attach PATH`).
///
/// Each poll opens a fresh connection, sends `{"request":"snapshot"}` and a newline, reads one line back
/// and decodes it with ``Snapshot/decode(jsonLine:)`` (see docs/protocol.md). Because no connection
/// outlives a poll, an agent that restarts is picked up at the next poll with no reconnection logic.
/// The agent's samples are returned as they are; the collector labels them by source.
///
/// Bounds: the whole poll (connect, write, read) finishes within its timeout, and the answer is limited
/// to ``maximumResponseBytes``. The I/O runs on a SwiftNIO event loop, never on a cooperative thread;
/// decoding the line (linear in its length) runs on the caller's task.
public struct AgentFeed: Feed {
    /// `agent:PATH`.
    public let name: String
    /// The socket's path.
    public let path: String
    /// The longest answer line accepted, without its newline; a longer one fails the poll.
    public let maximumResponseBytes: Int
    private let eventLoopGroup: any EventLoopGroup

    /// The request line every poll sends, newline included.
    static let request = AgentProtocol.snapshotRequest + "\n"
    /// The longest agent-supplied error reason shown; longer ones are cut.
    static let maximumReasonLength = 200

    /// Creates a feed for the agent listening at `path`. Nothing is opened until the first poll.
    ///
    /// - Parameters:
    ///   - path: the agent's Unix domain socket.
    ///   - maximumResponseBytes: the longest answer line accepted; 8 MiB by default.
    ///   - eventLoopGroup: where the connection's I/O runs; NIO's shared group by default.
    public init(
        path: String,
        maximumResponseBytes: Int = 8 << 20,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.name = "agent:" + path
        self.path = path
        self.maximumResponseBytes = maximumResponseBytes
        self.eventLoopGroup = eventLoopGroup
    }

    /// Asks the agent for a snapshot and returns its samples.
    ///
    /// - Throws: ``FeedError`` with a short reason: `no such socket: PATH`, `not a socket: PATH`,
    ///   `connection refused`, `permission denied`, `timeout after 1.0s`, `response larger than N bytes`,
    ///   `connection closed before a full line`, a ``SnapshotDecodingError`` description, or the reason
    ///   of the agent's own error answer.
    public func poll(timeout: Duration) async throws -> [Sample] {
        let line = try await self.fetchLine(timeout: timeout)
        return try Self.decode(line: line).samples
    }

    /// Checks that `path` names an existing Unix domain socket, as the CLI does before starting.
    ///
    /// Cost: one `stat` call. It says nothing about whether an agent is listening.
    ///
    /// - Throws: ``FeedError`` `no such socket: PATH`, `not a socket: PATH`, `permission denied: PATH` or
    ///   `socket path too long: PATH`.
    public static func validate(path: String) throws(FeedError) {
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
    }
}

// MARK: - Connection

extension AgentFeed {
    /// Connects, sends the request and returns the first answer line without its newline.
    private func fetchLine(timeout: Duration) async throws -> [UInt8] {
        let eventLoop = self.eventLoopGroup.next()
        let promise = eventLoop.makePromise(of: [UInt8].self)
        let timer = eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            promise.fail(FeedError.timeout(after: timeout))
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }

        let path = self.path
        let limit = self.maximumResponseBytes
        let connection = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(timeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(LineReader(promise: promise, limit: limit))
                }
            }
            .connect(unixDomainSocketPath: path)
        connection.whenFailure { error in
            promise.fail(Self.connectFailure(error, path: path, timeout: timeout))
        }
        promise.futureResult.whenComplete { _ in
            connection.whenSuccess { channel in channel.close(promise: nil) }
        }
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            promise.fail(CancellationError())
        }
    }

    /// The reason to show for a failed connect.
    static func connectFailure(_ error: any Error, path: String, timeout: Duration) -> any Error {
        switch error {
        case let error as IOError:
            switch error.errnoCode {
            case ENOENT, ENOTDIR:
                return FeedError("no such socket: \(path)")
            case ECONNREFUSED:
                do {
                    try Self.validate(path: path)
                } catch {
                    return error
                }
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
        default:
            return FeedError("\(error)")
        }
    }
}

// MARK: - Decoding

extension AgentFeed {
    /// Decodes an answer line: a snapshot, or an agent's ``AgentErrorResponse`` turned into a ``FeedError``.
    static func decode(line: [UInt8]) throws(FeedError) -> Snapshot {
        let data = Data(line)
        do {
            return try Snapshot.decode(jsonLine: data)
        } catch SnapshotDecodingError.wrongSchema(AgentErrorResponse.schemaName) {
            guard let answer = try? JSONDecoder().decode(AgentErrorResponse.self, from: data) else {
                throw FeedError("malformed error answer")
            }
            throw FeedError(Self.displayable(answer.error))
        } catch {
            throw FeedError("\(error)")
        }
    }

    /// An agent-supplied reason made safe for a status line: control characters become spaces and it is
    /// cut to ``maximumReasonLength`` characters.
    private static func displayable(_ reason: String) -> String {
        let scalars = reason.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) }
        let clean = String(scalars)
        guard clean.count > Self.maximumReasonLength else {
            return clean.isEmpty ? "agent error without a reason" : clean
        }
        return clean.prefix(Self.maximumReasonLength) + "…"
    }
}

// MARK: - Timeout reason

extension FeedError {
    /// `timeout after 1.0s`.
    static func timeout(after timeout: Duration) -> FeedError {
        FeedError("timeout after \(timeout.formattedSeconds)s")
    }
}

// MARK: - Line reader

/// Sends the snapshot request when the connection opens, then collects bytes up to the first newline
/// and completes `promise` with them; fails it when the line outgrows `limit` or the connection closes
/// first. Lives on one event loop, like every channel handler.
private final class LineReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let promise: EventLoopPromise<[UInt8]>
    private let limit: Int
    private var line: [UInt8] = []
    private var finished = false

    init(promise: EventLoopPromise<[UInt8]>, limit: Int) {
        self.promise = promise
        self.limit = limit
    }

    func channelActive(context: ChannelHandlerContext) {
        let request = context.channel.allocator.buffer(string: AgentFeed.request)
        context.writeAndFlush(self.wrapOutboundOut(request), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.finished else {
            return
        }
        let chunk = self.unwrapInboundIn(data).readableBytesView
        if let newline = chunk.firstIndex(of: UInt8(ascii: "\n")) {
            let length = self.line.count + chunk.distance(from: chunk.startIndex, to: newline)
            guard length <= self.limit else {
                self.finish(context: context, .failure(FeedError("response larger than \(self.limit) bytes")))
                return
            }
            self.line.append(contentsOf: chunk[..<newline])
            self.finish(context: context, .success(self.line))
        } else if self.line.count + chunk.count > self.limit {
            self.finish(context: context, .failure(FeedError("response larger than \(self.limit) bytes")))
        } else {
            self.line.append(contentsOf: chunk)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.promise.fail(FeedError("connection closed before a full line"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let reason: String
        if let error = error as? IOError, error.errnoCode == ECONNRESET {
            reason = "connection reset"
        } else {
            reason = "\(error)"
        }
        self.finish(context: context, .failure(FeedError(reason)))
    }

    private func finish(context: ChannelHandlerContext, _ result: Result<[UInt8], any Error>) {
        self.finished = true
        self.line = []
        self.promise.completeWith(result)
        context.close(promise: nil)
    }
}
