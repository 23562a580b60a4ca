import NIOCore

/// What an ``HTTPResponseCache`` sends its origin requests through: any HTTP client that can send one
/// request and read its whole response before a deadline.
///
/// The cache depends on no client: `PerfKitHTTPCacheAsyncHTTPClient` provides
/// `AsyncHTTPClientTransport`, for AsyncHTTPClient, and an app with its own client conforms it in a few
/// lines.
///
/// A transport must:
/// - send the request's method, URL, header fields and body as given (the cache adds the conditional
///   headers of a revalidation itself);
/// - read at most `maximumBodyBytes` of body and throw ``HTTPOriginTransportError/bodyTooLarge`` past it,
///   so that no more than the limit is held;
/// - finish, head and body, before `deadline` or throw ``HTTPOriginTransportError/deadlineExceeded``;
/// - throw any other failure (a refused connection, a TLS error) as its client reports it: the cache
///   passes it on to its caller unchanged.
///
/// It is called concurrently, by every request that the cache cannot answer.
public protocol HTTPOriginTransport: Sendable {
    /// Sends `request` and returns the response with its whole body, before `deadline`.
    func send(
        _ request: HTTPOriginRequest,
        maximumBodyBytes: Int,
        deadline: NIODeadline
    ) async throws -> HTTPOriginResponse
}

/// The two failures an ``HTTPOriginTransport`` reports in the same terms whatever its client, so that
/// ``HTTPResponseCache`` can name them with the URL and the limit (``HTTPResponseCacheError``).
public enum HTTPOriginTransportError: Error, Sendable, Hashable {
    /// The body was longer than the request's `maximumBodyBytes`.
    case bodyTooLarge
    /// The deadline passed before the whole response arrived.
    case deadlineExceeded
}
