import AsyncHTTPClient
import NIOCore
import PerfKitHTTPCache

/// An `HTTPOriginTransport` on AsyncHTTPClient: an `HTTPResponseCache` in front of an `HTTPClient`,
/// with its HTTP/2, proxies and connection pool.
///
/// ```swift
/// let cache = HTTPResponseCache(
///     name: "catalog-api",
///     transport: AsyncHTTPClientTransport(client: .shared),
///     maximumBytes: 16 << 20
/// )
/// ```
///
/// The transport does not own the client: the caller shuts it down after the cache's last request.
public struct AsyncHTTPClientTransport: HTTPOriginTransport {
    /// The client that sends the requests.
    public let client: HTTPClient

    /// Creates a transport that sends requests through `client`.
    public init(client: HTTPClient) {
        self.client = client
    }

    /// Sends `request` with `client` and reads its body, both before `deadline`.
    ///
    /// - Throws: `HTTPOriginTransportError` for a body over `maximumBodyBytes` or a deadline passed,
    ///   else what `HTTPClient` throws.
    public func send(
        _ request: HTTPOriginRequest,
        maximumBodyBytes: Int,
        deadline: NIODeadline
    ) async throws -> HTTPOriginResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method
        outgoing.headers = request.headers
        if let body = request.body {
            outgoing.body = .bytes(body)
        }
        do {
            let response = try await self.client.execute(outgoing, deadline: deadline)
            let body = try await Self.collect(response.body, upTo: maximumBodyBytes, before: deadline)
            return HTTPOriginResponse(status: response.status, headers: response.headers, body: body)
        } catch is NIOTooManyBytesError {
            throw HTTPOriginTransportError.bodyTooLarge
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw HTTPOriginTransportError.deadlineExceeded
        }
    }

    /// Reads `body` up to `limit` bytes; the client's deadline covers only the head, so the body races
    /// the same deadline here, and losing cancels the read (and with it the request).
    private static func collect(
        _ body: HTTPClientResponse.Body,
        upTo limit: Int,
        before deadline: NIODeadline
    ) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await body.collect(upTo: limit) }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(max(0, (deadline - .now()).nanoseconds)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else {
                throw HTTPOriginTransportError.deadlineExceeded
            }
            return buffer
        }
    }
}
