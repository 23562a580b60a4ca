import NIOCore
import NIOHTTP1
import PerfKitHTTPCache
import ServerTestKit
import Testing

@testable import PerftopCore

/// perftop's HTTP/1.1 client as an `HTTPResponseCache`'s transport, against real NIO servers on
/// 127.0.0.1: a response passes through whole, and the body limit and the deadline come out as the
/// cache expects them. (The cache over this transport, with the demo's origin, is in
/// `DemoOriginTests`.) Only the deadline test's bound is short, and the server there never answers.
@Suite(.timeLimit(.minutes(1)))
struct HTTP1ClientOriginTransportTests {
    /// Sends `request` on a client of its own, shut down afterwards.
    private static func send(
        _ request: HTTPOriginRequest,
        maximumBodyBytes: Int = 1 << 20,
        timeout: Duration = .mustSucceed
    ) async throws -> HTTPOriginResponse {
        let client = HTTPFeed.makeClient()
        do {
            let response = try await client.send(
                request,
                maximumBodyBytes: maximumBodyBytes,
                deadline: .now() + TimeAmount(timeout)
            )
            await client.shutdown()
            return response
        } catch {
            await client.shutdown()
            throw error
        }
    }

    @Test func aResponseComesBackWithItsStatusHeadersAndBody() async throws {
        let server = try await HTTPTestServer(
            .respond(status: .accepted, contentType: "text/plain", body: Array("catalogue".utf8))
        )
        let response = try await Self.send(HTTPOriginRequest(url: server.url("/items/7"), headers: ["X-Team": "a"]))
        await server.stop()
        #expect(response.status == .accepted)
        #expect(response.headers.first(name: "Content-Type") == "text/plain")
        #expect(String(buffer: response.body) == "catalogue")
        #expect(server.targets == ["/items/7"])
    }

    @Test func aBodyOverTheLimitIsBodyTooLarge() async throws {
        for declareLength in [true, false] {
            let server = try await HTTPTestServer(.huge(bytes: 200_000, declareLength: declareLength))
            await #expect(throws: HTTPOriginTransportError.bodyTooLarge) {
                try await Self.send(HTTPOriginRequest(url: server.url()), maximumBodyBytes: 100_000)
            }
            await server.stop()
        }
    }

    @Test func aServerThatNeverAnswersIsDeadlineExceeded() async throws {
        let server = try await HTTPTestServer(.hang)
        await #expect(throws: HTTPOriginTransportError.deadlineExceeded) {
            try await Self.send(HTTPOriginRequest(url: server.url()), timeout: .milliseconds(200))
        }
        await server.stop()
    }

    @Test func aMethodOtherThanGETFailsBeforeAnythingIsSent() async throws {
        let server = try await HTTPTestServer(.ok("posted", contentType: nil))
        await #expect(throws: HTTP1Client.Failure(.methodNotSupported)) {
            try await Self.send(HTTPOriginRequest(method: .POST, url: server.url(), body: ByteBuffer(string: "x")))
        }
        await server.stop()
        #expect(server.targets.isEmpty)
    }
}
