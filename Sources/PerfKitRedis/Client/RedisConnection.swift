import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// One TCP connection of a ``RedisClient``'s pool, on which calls are pipelined: each is written as it
/// comes, without waiting for the replies of the calls before it.
struct RedisConnection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<RedisReplyHandler>

    /// Whether calls can still be sent on it (it is open and has not failed).
    var isActive: Bool {
        self.channel.isActive
    }

    /// Opens a connection to `host`:`port` before `deadline`.
    ///
    /// - Throws: ``RedisError`` `timedOut` or `connectionClosed` (refused, unreachable, reset).
    static func connect(
        host: String,
        port: Int,
        group: any EventLoopGroup,
        deadline: NIODeadline,
        maximumPending: Int,
        maximumReplyBytes: Int
    ) async throws(RedisError) -> RedisConnection {
        let remaining = deadline - .now()
        guard remaining > .zero else {
            throw RedisError(.timedOut)
        }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(remaining)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        do {
            return try await bootstrap.connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = RedisReplyHandler(
                        maximumPending: maximumPending,
                        maximumReplyBytes: maximumReplyBytes
                    )
                    try channel.pipeline.syncOperations.addHandler(handler)
                    return RedisConnection(
                        channel: channel,
                        handler: NIOLoopBound(handler, eventLoop: channel.eventLoop)
                    )
                }
            }
        } catch ChannelError.connectTimeout {
            throw RedisError(.timedOut)
        } catch {
            throw RedisError(.connectionClosed, reason: Self.reason(error))
        }
    }

    /// Sends `bytes`, a pipeline of `replies` commands, and returns their replies.
    ///
    /// - Throws: ``RedisError`` (`timedOut` at `deadline`, `connectionClosed`, `unexpectedReply`,
    ///   `busy`) or `CancellationError`.
    func send(_ bytes: [UInt8], replies: Int, deadline: NIODeadline) async throws -> [RESPValue] {
        let eventLoop = self.channel.eventLoop
        let handler = self.handler
        let promise = eventLoop.makePromise(of: [RESPValue].self)
        let request = RedisReplyHandler.Request(bytes: bytes, replies: replies, deadline: deadline, promise: promise)
        return try await withTaskCancellationHandler {
            eventLoop.execute { handler.value.send(request) }
            return try await promise.futureResult.get()
        } onCancel: {
            eventLoop.execute { handler.value.abandon(promise, with: CancellationError()) }
        }
    }

    /// Closes the connection; calls still waiting fail with `connectionClosed`.
    func close() {
        self.channel.close(promise: nil)
    }

    /// A short reason for a failed connect, e.g. `connection refused`.
    private static func reason(_ error: any Error) -> String {
        if let connection = error as? NIOConnectionError, let first = connection.connectionErrors.first {
            return Self.reason(first.error)
        }
        if let io = error as? IOError, io.errnoCode == ECONNREFUSED {
            return "connection refused"
        }
        return String(describing: error)
    }
}
