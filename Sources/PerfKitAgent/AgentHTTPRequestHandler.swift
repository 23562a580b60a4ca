import FoundationEssentials
import NIOCore
import NIOHTTP1
import PerfKit

/// Answers the HTTP requests of one ``AgentHTTPServer`` connection, one response per request.
///
/// Runs on the connection's event loop, behind SwiftNIO's HTTP/1 server pipeline (which orders the
/// responses of pipelined requests). A request whose `Host` the ``AgentHTTPHostCheck`` refuses gets a
/// 400 or 421 at its head and the connection is closed. Otherwise a request is answered at its end;
/// its body, which no endpoint reads, is counted and dropped, and a body over
/// ``AgentHTTPServer/maxRequestBodyBytes`` gets a 413 and the connection is closed. A connection is
/// also closed after a response to a request that did not ask to be kept alive, when it stays silent
/// past its read timeout, and when a whole request (head and body) has not arrived within its request
/// timeout, counted from accept or from the end of the previous response, however its bytes trickle.
final class AgentHTTPRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Between requests.
        case idle
        /// Reading the body of the request with this head.
        case reading(HTTPRequestHead, bodyBytes: Int)
        /// The last response was sent and the connection is closing; the rest of the input is dropped.
        case closing
    }

    private let responder: AgentHTTPResponder
    private let hostCheck: AgentHTTPHostCheck
    private let requestTimeout: TimeAmount
    private var state = State.idle
    /// Closes the connection unless the request being received is complete in time; `nil` while one is
    /// answered.
    private var requestDeadline: Scheduled<Void>?

    init(responder: AgentHTTPResponder, hostCheck: AgentHTTPHostCheck, requestTimeout: TimeAmount) {
        self.responder = responder
        self.hostCheck = hostCheck
        self.requestTimeout = requestTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        self.startRequestDeadline(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.requestDeadline?.cancel()
        self.requestDeadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.requestDeadline?.cancel()
        self.requestDeadline = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (self.unwrapInboundIn(data), self.state) {
        case (.head(let head), .idle):
            switch self.hostCheck.verdict(on: head, localAddress: context.channel.localAddress) {
            case .allowed:
                self.state = .reading(head, bodyBytes: 0)
            case .missingOrRepeated:
                self.state = .closing
                self.write(self.responder.hostMissing(), version: head.version, keepAlive: false, context: context)
            case .misdirected:
                self.state = .closing
                self.write(self.responder.misdirected(), version: head.version, keepAlive: false, context: context)
            }
        case (.body(let body), .reading(let head, let bodyBytes)):
            let total = bodyBytes + body.readableBytes
            guard total <= AgentHTTPServer.maxRequestBodyBytes else {
                self.state = .closing
                self.write(
                    self.responder.requestBodyTooLarge(),
                    version: head.version,
                    keepAlive: false,
                    context: context
                )
                return
            }
            self.state = .reading(head, bodyBytes: total)
        case (.end, .reading(let head, _)):
            self.requestDeadline?.cancel()
            self.requestDeadline = nil
            self.state = head.isKeepAlive ? .idle : .closing
            let response = self.responder.response(method: head.method, uri: head.uri)
            self.write(response, version: head.version, keepAlive: head.isKeepAlive, context: context)
        case (_, .closing):
            break
        case (.head, .reading), (.body, .idle), (.end, .idle):
            // The HTTP decoder never produces these sequences.
            context.close(promise: nil)
        }
    }

    private func write(
        _ response: AgentHTTPResponse,
        version: HTTPVersion,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        let body = context.channel.allocator.buffer(bytes: response.body)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        headers.add(contentsOf: response.headers)
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if version.major == 1, version.minor == 0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        let head = HTTPResponseHead(version: version, status: response.status, headers: headers)
        context.write(self.wrapOutboundOut(.head(head)), promise: nil)
        context.write(self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let written = context.writeAndFlush(self.wrapOutboundOut(.end(nil)))
        if keepAlive {
            // The next request's time starts once this response is out.
            written.assumeIsolated().whenSuccess {
                self.startRequestDeadline(context: context)
            }
        } else {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// Starts (or restarts) the time the next request has to arrive whole.
    private func startRequestDeadline(context: ChannelHandlerContext) {
        self.requestDeadline?.cancel()
        guard context.channel.isActive else {
            self.requestDeadline = nil
            return
        }
        self.requestDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: self.requestTimeout) {
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension AgentHTTPRequestHandler: Sendable {}

// MARK: - Responder

/// One HTTP response, before it is framed.
struct AgentHTTPResponse: Sendable {
    var status: HTTPResponseStatus
    var contentType: String
    var headers: [(String, String)] = []
    var body: [UInt8]
}

/// Turns a request's method and target into a response; independent of any socket.
struct AgentHTTPResponder: Sendable {
    private static let plainText = "text/plain; charset=utf-8"

    let registry: MetricsRegistry
    let agentName: String

    /// The response to a request: the metrics or the snapshot for `GET` and `HEAD` of a known path
    /// (the query is ignored), 404 for another path, 405 for another method.
    func response(method: HTTPMethod, uri: String) -> AgentHTTPResponse {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard path == AgentHTTPServer.metricsPath || path == AgentHTTPServer.snapshotPath else {
            return AgentHTTPResponse(status: .notFound, contentType: Self.plainText, body: Array("not found\n".utf8))
        }
        guard method == .GET || method == .HEAD else {
            return AgentHTTPResponse(
                status: .methodNotAllowed,
                contentType: Self.plainText,
                headers: [("Allow", "GET, HEAD")],
                body: Array("method not allowed\n".utf8)
            )
        }
        if path == AgentHTTPServer.metricsPath {
            let text = PrometheusTextEncoder().encode(self.registry.collectSamples())
            return AgentHTTPResponse(
                status: .ok,
                contentType: PrometheusTextEncoder.contentType,
                body: Array(text.utf8)
            )
        }
        do {
            var body = [UInt8](try self.registry.snapshot(agent: self.agentName).jsonLine())
            body.append(UInt8(ascii: "\n"))
            return AgentHTTPResponse(status: .ok, contentType: "application/json", body: body)
        } catch {
            return AgentHTTPResponse(
                status: .internalServerError,
                contentType: Self.plainText,
                body: Array("cannot encode snapshot: \(error)\n".utf8)
            )
        }
    }

    /// The response to an HTTP/1.1 request without `Host`, or a request with more than one.
    func hostMissing() -> AgentHTTPResponse {
        AgentHTTPResponse(
            status: .badRequest,
            contentType: Self.plainText,
            body: Array("a request needs exactly one Host header\n".utf8)
        )
    }

    /// The response to a request whose `Host` is not this server's (``AgentHTTPHostCheck``).
    func misdirected() -> AgentHTTPResponse {
        AgentHTTPResponse(
            status: .misdirectedRequest,
            contentType: Self.plainText,
            body: Array("misdirected request: use Host localhost, 127.0.0.1 or [::1]\n".utf8)
        )
    }

    /// The response to a request whose body is over the limit.
    func requestBodyTooLarge() -> AgentHTTPResponse {
        AgentHTTPResponse(
            status: .payloadTooLarge,
            contentType: Self.plainText,
            body: Array("request body longer than \(AgentHTTPServer.maxRequestBodyBytes) bytes\n".utf8)
        )
    }
}
