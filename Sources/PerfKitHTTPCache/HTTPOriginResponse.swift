import NIOCore
import NIOHTTP1

/// An origin's response, as an ``HTTPOriginTransport`` returns it: the status, the header fields and the
/// whole body.
public struct HTTPOriginResponse: Sendable {
    /// The status.
    public var status: HTTPResponseStatus
    /// The header fields.
    public var headers: HTTPHeaders
    /// The whole body, at most the request's limit.
    public var body: ByteBuffer

    /// Creates a response.
    public init(status: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
