import DequeModule
import NIOCore

/// The last handler of a ``RedisConnection``: writes requests as they come (pipelining) and hands each
/// the replies that answer it, in order, since Redis answers a connection's commands in the order they
/// were sent.
///
/// Requests come directly (``send(_:)``, on the connection's event loop, through a `NIOLoopBound`), so a
/// connection that broke before the request is answered with its reason. A request whose caller gave up
/// (deadline or cancellation) stays in line, so that its replies, when they come, are read and dropped
/// rather than handed to the next request. Every request's promise is completed exactly once.
final class RedisReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A pipeline of commands to send, answered by `replies` replies.
    struct Request: Sendable {
        var bytes: [UInt8]
        var replies: Int
        var deadline: NIODeadline
        var promise: EventLoopPromise<[RESPValue]>
    }

    private let maximumPending: Int
    private let maximumReplyBytes: Int
    private var context: ChannelHandlerContext?
    /// Why the connection is unusable, once it is.
    private var broken: RedisError?
    /// The requests sent and not yet answered, oldest first: how many replies each awaits, and its
    /// promise, nil once the caller gave up.
    private var pending = Deque<(replies: Int, promise: EventLoopPromise<[RESPValue]>?)>()
    private var received: [UInt8] = []

    init(maximumPending: Int, maximumReplyBytes: Int) {
        self.maximumPending = maximumPending
        self.maximumReplyBytes = maximumReplyBytes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.connectionEnded(RedisError(.connectionClosed))
        self.context = nil
    }

    /// Whether requests can still be sent.
    var isUsable: Bool {
        self.context != nil && self.broken == nil
    }

    /// Writes `request` and completes its promise with its replies, or fails it with
    /// ``RedisError/Kind/timedOut`` at its deadline.
    func send(_ request: Request) {
        guard let context, self.broken == nil else {
            request.promise.fail(self.broken ?? RedisError(.connectionClosed))
            return
        }
        guard self.pending.count < self.maximumPending else {
            request.promise.fail(RedisError(.busy))
            return
        }
        self.pending.append((request.replies, request.promise))
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let promise = request.promise
        let timeout = context.eventLoop.scheduleTask(deadline: request.deadline) {
            loopBound.value.abandon(promise, with: RedisError(.timedOut))
        }
        promise.futureResult.whenComplete { _ in timeout.cancel() }
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { error in
            loopBound.value.connectionEnded(RedisError(.connectionClosed, reason: "\(error)"))
        }
        context.writeAndFlush(
            self.wrapOutboundOut(context.channel.allocator.buffer(bytes: request.bytes)),
            promise: written
        )
    }

    /// Fails the request whose promise is `promise` with `error`, if it still waits; its replies are
    /// dropped when they come.
    func abandon(_ promise: EventLoopPromise<[RESPValue]>, with error: any Error) {
        guard let index = self.pending.firstIndex(where: { $0.promise?.futureResult === promise.futureResult }) else {
            return
        }
        self.pending[index].promise = nil
        promise.fail(error)
    }

    // MARK: - Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = self.unwrapInboundIn(data)
        self.received.append(contentsOf: buffer.readableBytesView)
        guard self.received.count <= self.maximumReplyBytes else {
            self.fail(RedisError(.unexpectedReply, reason: "reply larger than \(self.maximumReplyBytes) bytes"))
            return
        }
        do {
            try self.deliver()
        } catch {
            self.fail(RedisError(.unexpectedReply, reason: error.description))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(RedisError(.connectionClosed, reason: "\(error)"))
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.connectionEnded(RedisError(.connectionClosed))
        context.fireChannelInactive()
    }

    /// Hands every whole answer at the front of what was received to its request.
    private func deliver() throws(RESPReader.Malformed) {
        while !self.received.isEmpty {
            guard let head = self.pending.first else {
                throw RESPReader.Malformed(description: "unrequested data from the server")
            }
            guard let (replies, length) = try RESPReader.prefix(head.replies, of: self.received) else {
                return
            }
            self.received.removeFirst(length)
            self.pending.removeFirst()
            head.promise?.succeed(replies)
        }
    }

    // MARK: - Failure

    /// Marks the connection broken and closes it.
    private func fail(_ error: RedisError) {
        self.connectionEnded(error)
        self.context?.close(promise: nil)
    }

    /// Marks the connection broken by `error` (the first reason wins) and fails every waiting request.
    private func connectionEnded(_ error: RedisError) {
        if self.broken == nil {
            self.broken = error
        }
        while let request = self.pending.popFirst() {
            request.promise?.fail(self.broken ?? error)
        }
        self.received = []
    }
}
