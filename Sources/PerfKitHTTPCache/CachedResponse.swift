import NIOCore
import NIOHTTP1

/// A response the ``HTTPResponseCache`` returns, its body read in full, and how it was served.
public struct CachedResponse: Sendable {
    /// How the ``HTTPResponseCache`` answered a request.
    public enum Source: Sendable, Hashable, CaseIterable {
        /// From the cache, without asking the origin: the stored response was fresh. A hit.
        case fresh
        /// From the cache after the origin confirmed it with `304 Not Modified`. A hit, and a revalidation.
        case revalidated
        /// From the origin, and the response was stored. A miss.
        case origin
        /// From the origin, and not stored: a method other than GET, a request or response that forbids
        /// storing, a status other than 200, or a response over the per-entry limit. A miss for a GET.
        case notCacheable
    }

    /// The response's status.
    public var status: HTTPResponseStatus
    /// The response's headers; a response served from the cache carries its current `Age`.
    public var headers: HTTPHeaders
    /// The whole body.
    public var body: ByteBuffer
    /// How the response was served.
    public var source: Source

    /// Creates a response.
    public init(status: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer, source: Source) {
        self.status = status
        self.headers = headers
        self.body = body
        self.source = source
    }
}
