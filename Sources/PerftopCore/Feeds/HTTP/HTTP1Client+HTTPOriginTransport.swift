import FoundationEssentials
import NIOCore
import NIOHTTP1
import PerfKitHTTPCache

/// perftop's own client as the transport of an `HTTPResponseCache` (the demo agent's `catalog`), so that
/// perftop does not link a second HTTP client for it (docs/release.md, "Size").
///
/// It sends GETs only, with the request's headers and no body; any other method fails with
/// ``Failure`` `method not supported`.
extension HTTP1Client: HTTPOriginTransport {
    /// Sends the GET `request` and returns its response, before `deadline`.
    ///
    /// - Throws: `HTTPOriginTransportError` for a body over `maximumBodyBytes` or a deadline passed,
    ///   else what ``get(_:headers:deadline:maximumBodyBytes:redirects:)`` throws.
    public func send(
        _ request: HTTPOriginRequest,
        maximumBodyBytes: Int,
        deadline: NIODeadline
    ) async throws -> HTTPOriginResponse {
        guard request.method == .GET else {
            throw Failure(.methodNotSupported)
        }
        guard let url = URL(string: request.url) else {
            throw Failure(.invalidURL)
        }
        do {
            let response = try await self.get(
                url,
                headers: request.headers,
                deadline: deadline,
                maximumBodyBytes: maximumBodyBytes
            )
            return HTTPOriginResponse(
                status: response.status,
                headers: response.headers,
                body: ByteBuffer(bytes: response.body)
            )
        } catch let failure as Failure where failure.kind == .tooLarge {
            throw HTTPOriginTransportError.bodyTooLarge
        } catch let failure as Failure where failure.kind == .deadlineExceeded {
            throw HTTPOriginTransportError.deadlineExceeded
        }
    }
}
