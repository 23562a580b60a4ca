import NIOCore

/// The last handler of a ``ServerConnection``: writes one request at a time and collects the answer's
/// bytes until the request's framing says they are whole, up to its limit and before its deadline.
///
/// Requests come directly (``send(_:)``, on the connection's event loop, through a `NIOLoopBound`),
/// not through the pipeline, so that a connection that broke before the request is answered with its
/// reason. Every outcome completes the request's promise exactly once; each failure closes the
/// connection.
final class ServerResponseCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A request to send.
    struct Pending: Sendable {
        var request: [UInt8]
        var deadline: NIODeadline
        var maximumResponseBytes: Int
        var isComplete: ServerConnection.Framing
        var promise: EventLoopPromise<[UInt8]>
    }

    private var context: ChannelHandlerContext?
    /// Why the connection is unusable, once it is: the first error caught, or its close.
    private var broken: (any Error)?
    private var pending: Pending?
    private var timeout: Scheduled<Void>?
    private var received: [UInt8] = []

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.connectionEnded(ServerConnection.Failure(.closedBeforeResponse))
        self.context = nil
    }

    /// Writes `request` and completes its promise with the answer; fails it at once when the
    /// connection is already broken or busy.
    func send(_ request: Pending) {
        guard let context, self.broken == nil else {
            request.promise.fail(self.broken ?? ServerConnection.Failure(.closedBeforeResponse))
            return
        }
        guard self.pending == nil else {
            request.promise.fail(ChannelError.inappropriateOperationForState)
            return
        }
        self.pending = request
        self.received = []
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.timeout = context.eventLoop.scheduleTask(deadline: request.deadline) {
            loopBound.value.finish(with: .failure(ServerConnection.Failure(.deadlineExceeded)))
        }
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { error in
            loopBound.value.finish(with: .failure(error))
        }
        context.writeAndFlush(
            self.wrapOutboundOut(context.channel.allocator.buffer(bytes: request.request)),
            promise: written
        )
    }

    /// Fails the request in flight with `CancellationError`.
    func cancel() {
        self.finish(with: .failure(CancellationError()))
    }

    // MARK: - Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let pending = self.pending else {
            // Nothing was asked: a server that talks out of turn is not kept.
            self.connectionEnded(ServerConnection.Failure(.malformed, reason: "unrequested data from the server"))
            context.close(promise: nil)
            return
        }
        let buffer = self.unwrapInboundIn(data)
        guard self.received.count + buffer.readableBytes <= pending.maximumResponseBytes else {
            self.finish(with: .failure(ServerConnection.Failure(.tooLarge, bytes: pending.maximumResponseBytes)))
            return
        }
        self.received.append(contentsOf: buffer.readableBytesView)
        do {
            if try pending.isComplete(self.received) {
                self.finish(with: .success(self.received))
            }
        } catch {
            self.finish(with: .failure(error))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.connectionEnded(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.connectionEnded(
            self.received.isEmpty
                ? ServerConnection.Failure(.closedBeforeResponse)
                : ServerConnection.Failure(.closedMidResponse, bytes: self.received.count)
        )
        context.fireChannelInactive()
    }

    // MARK: - Completion

    /// Marks the connection broken by `error` (the first reason wins) and fails the request in flight.
    private func connectionEnded(_ error: any Error) {
        if self.broken == nil {
            self.broken = error
        }
        self.finish(with: .failure(error))
    }

    /// Completes the request in flight, if any; a failure closes the connection.
    private func finish(with result: Result<[UInt8], any Error>) {
        guard let pending = self.pending else {
            return
        }
        self.pending = nil
        self.timeout?.cancel()
        self.timeout = nil
        self.received = []
        switch result {
        case .success(let answer):
            pending.promise.succeed(answer)
        case .failure(let error):
            pending.promise.fail(error)
            self.context?.close(promise: nil)
        }
    }
}
