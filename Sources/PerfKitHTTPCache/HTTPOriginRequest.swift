import NIOCore
import NIOHTTP1

/// A request to an ``HTTPResponseCache``, and from it to the origin: a method, an absolute URL, header
/// fields and, for a method other than GET, a body.
public struct HTTPOriginRequest: Sendable {
    /// The method; only GET is cached.
    public var method: HTTPMethod
    /// The absolute URL, e.g. `https://api.example.com/items/7`; it is the cache key.
    public var url: String
    /// The header fields; those named in a stored response's `Vary` select its variant.
    public var headers: HTTPHeaders
    /// The body, for a method that has one.
    public var body: ByteBuffer?

    /// Creates a request, a GET without a body by default.
    public init(method: HTTPMethod = .GET, url: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
