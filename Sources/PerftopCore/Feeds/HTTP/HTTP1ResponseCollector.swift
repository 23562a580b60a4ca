import NIOCore
import NIOHTTP1

/// The last handler of an ``HTTP1Client`` connection: sends one request at a time and collects its
/// response into memory, up to the request's limit and before its deadline.
///
/// The client hands it requests directly (``send(_:)``, on the connection's event loop, through a
/// `NIOLoopBound`), not through the pipeline: a connection that failed before the request came (a TLS
/// handshake refused, a server that hung up) is then still answered with the reason it failed.
///
/// Every outcome completes the request's promise, on the connection's event loop: the response at
/// its end; ``HTTP1Client/Failure`` when the deadline passes, the body outgrows the limit, the
/// connection closes early or the response is not HTTP; NIO's own error (I/O, TLS) when it fails.
/// Each failure closes the connection. A cancelled caller fails the promise first (``PollCancellation``)
/// and the client closes the connection; the collector's later outcome is then ignored.
final class HTTP1ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    /// A request to send.
    struct Pending: Sendable {
        var head: HTTPRequestHead
        var deadline: NIODeadline
        var maximumBodyBytes: Int
        var promise: EventLoopPromise<HTTP1Client.Response>
    }

    private var context: ChannelHandlerContext?
    /// Why the connection is unusable, once it is: the first error caught, or its close.
    private var broken: (any Error)?
    private var pending: Pending?
    private var timeout: Scheduled<Void>?
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.connectionEnded(HTTP1Client.Failure(.closedBeforeResponse))
        self.context = nil
    }

    // MARK: - Requests

    /// Sends `request` and completes its promise with the response; fails it at once when the
    /// connection is already broken or busy.
    func send(_ request: Pending) {
        guard let context, self.broken == nil else {
            request.promise.fail(self.broken ?? HTTP1Client.Failure(.closedBeforeResponse))
            return
        }
        guard self.pending == nil else {
            request.promise.fail(ChannelError.inappropriateOperationForState)
            return
        }
        self.pending = request
        self.head = nil
        self.body = []
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.timeout = context.eventLoop.scheduleTask(deadline: request.deadline) {
            loopBound.value.finish(with: .failure(HTTP1Client.Failure(.deadlineExceeded)))
        }
        context.write(self.wrapOutboundOut(.head(request.head)), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { error in
            loopBound.value.finish(with: .failure(error))
        }
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: written)
    }

    // MARK: - Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let pending = self.pending else {
            // Nothing was asked: a server that talks out of turn is not kept.
            self.connectionEnded(HTTP1Client.Failure(.malformedResponse))
            context.close(promise: nil)
            return
        }
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            if head.status.code < 200 {
                // 100 Continue and friends come before the real response.
                return
            }
            if let length = head.headers.first(name: "Content-Length").flatMap(Int.init) {
                guard length <= pending.maximumBodyBytes else {
                    self.finish(with: .failure(HTTP1Client.Failure(.tooLarge, bytes: pending.maximumBodyBytes)))
                    return
                }
                self.body.reserveCapacity(length)
            }
            self.head = head
        case .body(let buffer):
            guard self.head != nil else {
                return
            }
            guard self.body.count + buffer.readableBytes <= pending.maximumBodyBytes else {
                self.finish(with: .failure(HTTP1Client.Failure(.tooLarge, bytes: pending.maximumBodyBytes)))
                return
            }
            self.body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head = self.head else {
                return
            }
            let response = HTTP1Client.Response(
                status: head.status,
                headers: head.headers,
                body: self.body,
                keepAlive: head.isKeepAlive
            )
            self.finish(with: .success(response))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError {
            self.connectionEnded(self.closedEarly(malformed: true))
        } else {
            self.connectionEnded(error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.connectionEnded(self.closedEarly(malformed: false))
        context.fireChannelInactive()
    }

    // MARK: - Completion

    /// How a response cut short is described: mid-response once its head arrived, otherwise closed
    /// before a response, or malformed when the parser refused it.
    private func closedEarly(malformed: Bool) -> HTTP1Client.Failure {
        if self.head != nil {
            return HTTP1Client.Failure(.closedMidResponse, bytes: self.body.count)
        }
        return HTTP1Client.Failure(malformed ? .malformedResponse : .closedBeforeResponse)
    }

    /// Marks the connection broken by `error` (the first reason wins) and fails the request in flight.
    private func connectionEnded(_ error: any Error) {
        if self.broken == nil {
            self.broken = error
        }
        self.finish(with: .failure(error))
    }

    /// Completes the request in flight, if any; a failure closes the connection.
    private func finish(with result: Result<HTTP1Client.Response, any Error>) {
        guard let pending = self.pending else {
            return
        }
        self.pending = nil
        self.timeout?.cancel()
        self.timeout = nil
        self.head = nil
        self.body = []
        switch result {
        case .success(let response):
            pending.promise.succeed(response)
        case .failure(let error):
            pending.promise.fail(error)
            self.context?.close(promise: nil)
        }
    }
}
