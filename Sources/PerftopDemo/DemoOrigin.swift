import NIOCore
import NIOHTTP1
import NIOPosix

/// The demo's HTTP origin on 127.0.0.1: a catalogue of items that the demo agent reads through its
/// HTTP response cache, so that cache has real fresh hits, revalidations and misses to show.
///
/// `GET /items/N` answers `item N, revision R` with `ETag: "N-R"` and `Cache-Control: max-age=2`; an
/// item's revision changes every ``revisionPeriod`` seconds (offset by its number), so a stale entry is
/// usually confirmed with `304 Not Modified` and sometimes replaced. Any other request gets 404.
public final class DemoOrigin: Sendable {
    /// How often an item changes, in seconds.
    public static let revisionPeriod: Int64 = 15

    /// The port the origin listens on.
    public let port: Int
    private let channel: any Channel

    private init(port: Int, channel: any Channel) {
        self.port = port
        self.channel = channel
    }

    /// Starts the origin on a free port of 127.0.0.1.
    public static func start(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws
        -> DemoOrigin
    {
        let start = ContinuousClock.now
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    try child.pipeline.syncOperations.addHandler(DemoOriginHandler(start: start))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return DemoOrigin(port: channel.localAddress?.port ?? 0, channel: channel)
    }

    /// The URL of item `item`.
    public func url(ofItem item: Int) -> String {
        "http://127.0.0.1:\(self.port)/items/\(item)"
    }

    /// Stops listening.
    public func shutdown() async {
        try? await self.channel.close()
    }
}

/// Answers one connection's requests.
final class DemoOriginHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let start: ContinuousClock.Instant
    private var request: HTTPRequestHead?

    init(start: ContinuousClock.Instant) {
        self.start = start
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.request = head
        case .body:
            break
        case .end:
            guard let head = self.request else {
                return
            }
            self.request = nil
            self.respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "/")
        guard head.method == .GET, path.count == 2, path[0] == "items", let item = Int(path[1]), item >= 0 else {
            self.write(.notFound, headers: [:], body: "not found\n", keepAlive: head.isKeepAlive, context: context)
            return
        }
        let elapsed = (ContinuousClock.now - self.start).components.seconds
        let revision = (elapsed + Int64(item % Int(DemoOrigin.revisionPeriod))) / DemoOrigin.revisionPeriod
        let tag = "\"\(item)-\(revision)\""
        let headers: HTTPHeaders = ["ETag": tag, "Cache-Control": "max-age=2"]
        if head.headers["If-None-Match"].contains(tag) {
            self.write(.notModified, headers: headers, body: nil, keepAlive: head.isKeepAlive, context: context)
        } else {
            let body = "item \(item), revision \(revision)\n" + String(repeating: "·", count: 200 + item % 300)
            self.write(.ok, headers: headers, body: body, keepAlive: head.isKeepAlive, context: context)
        }
    }

    private func write(
        _ status: HTTPResponseStatus,
        headers: HTTPHeaders,
        body: String?,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        var headers = headers
        let bytes = body.map { Array($0.utf8) } ?? []
        headers.add(name: "Content-Length", value: String(bytes.count))
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        }
        context.write(
            self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
            promise: nil
        )
        if !bytes.isEmpty {
            context.write(
                self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))),
                promise: nil
            )
        }
        let done = context.writeAndFlush(self.wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
