import Foundation
import NIOCore
import NIOHTTP1
import PerfKit
import ServerTestKit
import Synchronization
import Testing

@testable import PerftopCore

/// The HTTP/1.1 client's connection handling, against real NIO servers on 127.0.0.1: connections
/// kept alive and reused, a dropped idle connection retried, `Connection: close` honoured, a server
/// that hangs up at once answered with a reason, and shutdown. (What the feed makes of responses and
/// failures is in ``HTTPFeedTests``.) No assertion depends on elapsed time.
@Suite(.timeLimit(.minutes(1)))
struct HTTP1ClientTests {
    private static let metrics = HTTPTestServer.Behavior.ok("m 1\n", contentType: "text/plain; version=0.0.4")

    /// `count` GETs of `server`'s metrics, one after the other, on a client shut down afterwards.
    private static func get(_ server: HTTPTestServer, times count: Int) async throws -> [HTTP1Client.Response] {
        let client = HTTPFeed.makeClient()
        var responses: [HTTP1Client.Response] = []
        do {
            for _ in 0..<count {
                responses.append(try await Self.get(server, with: client))
            }
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
        return responses
    }

    /// A GET whose deadline only a starved machine reaches: a full parallel test run on two cores
    /// once held one of these loopback requests past 10 s (the suite's time limit is a minute).
    private static func get(_ server: HTTPTestServer, with client: HTTP1Client) async throws -> HTTP1Client.Response {
        try await client.get(
            try #require(URL(string: server.url())),
            headers: [:],
            deadline: .now() + .seconds(40),
            maximumBodyBytes: 1 << 20
        )
    }

    /// Cancels `request` once `server` has seen `count` requests, and expects it to end with
    /// `CancellationError`.
    private static func cancel(
        _ request: Task<HTTP1Client.Response, any Error>,
        onceServerSaw count: Int,
        _ server: HTTPTestServer
    ) async throws {
        while server.targets.count < count {
            try await Task.sleep(for: .milliseconds(5))
        }
        request.cancel()
        await #expect(throws: CancellationError.self) { try await request.value }
    }

    /// Where a redirect `response` sends the client, resolved against the last URL requested; `nil`
    /// for a response without a `Location`.
    private static func location(of response: HTTP1Client.Response, after requested: [URL]) -> URL? {
        response.headers.first(name: "Location").flatMap { URL(string: $0, relativeTo: requested.last)?.absoluteURL }
    }

    @Test func keepsTheConnectionAliveBetweenRequests() async throws {
        let server = try await HTTPTestServer(Self.metrics)
        let responses = try await Self.get(server, times: 3)
        await server.stop()
        #expect(responses.map { String(decoding: $0.body, as: UTF8.self) } == ["m 1\n", "m 1\n", "m 1\n"])
        #expect(server.targets == ["/metrics", "/metrics", "/metrics"])
        #expect(server.connectionsAccepted == 1)
    }

    /// The server drops the connection when a second request comes on it, as one does whose idle
    /// timeout passed while the connection sat in the client's pool: the request goes again, on a new
    /// connection, and the caller sees no error.
    @Test func retriesOnANewConnectionWhenTheServerDroppedAnIdleOne() async throws {
        let server = try await HTTPTestServer(.onlyFirstPerConnection(Self.metrics))
        let responses = try await Self.get(server, times: 2)
        await server.stop()
        #expect(responses.map(\.status) == [.ok, .ok])
        #expect(server.connectionsAccepted == 2)
        #expect(server.targets.count == 3, "the second request was sent twice")
    }

    @Test func opensANewConnectionAfterConnectionClose() async throws {
        let server = try await HTTPTestServer(.closing(Self.metrics))
        let responses = try await Self.get(server, times: 2)
        await server.stop()
        #expect(responses.map(\.status) == [.ok, .ok])
        #expect(server.connectionsAccepted == 2)
    }

    /// A connection closed before the request reached it once lost the request's promise and hung the
    /// poll; the poll now ends with a reason.
    @Test func namesAServerThatHangsUpAtOnce() async throws {
        let server = try await HTTPTestServer(.closeOnAccept)
        let client = HTTPFeed.makeClient()
        let reason = await failureReason(polling: HTTPFeed(url: server.url(), client: client), timeout: .mustSucceed)
        await client.shutdown()
        await server.stop()
        #expect(
            ["connection closed before a response", "connection reset"].contains(reason),
            "\(reason ?? "no error")"
        )
    }

    /// Response headers are bounded by SwiftNIO's decoder (80 KiB), not by the body limit.
    @Test func refusesResponseHeadersOverTheDecodersLimit() async throws {
        let server = try await HTTPTestServer(.hugeHeader(bytes: 100 << 10))
        let client = HTTPFeed.makeClient()
        let reason = await failureReason(polling: HTTPFeed(url: server.url(), client: client), timeout: .mustSucceed)
        await client.shutdown()
        await server.stop()
        #expect(reason == "malformed HTTP response")
    }

    @Test func shutdownClosesIdleConnectionsAndRefusesNewRequests() async throws {
        let server = try await HTTPTestServer(Self.metrics)
        let client = HTTPFeed.makeClient()
        _ = try await Self.get(server, with: client)
        await client.shutdown()
        await server.connectionsClosed()
        await #expect(throws: HTTP1Client.Failure(.shutDown)) {
            try await Self.get(server, with: client)
        }
        await server.stop()
        #expect(server.connectionsAccepted == 1)
    }

    /// Cancelling the task of a request the server never answers ends it with `CancellationError`
    /// well before its deadline, and closes its connection.
    @Test func cancellingARequestInFlightEndsItAndClosesItsConnection() async throws {
        let server = try await HTTPTestServer(.hang)
        let client = HTTPFeed.makeClient()
        let request = Task { try await Self.get(server, with: client) }
        try await Self.cancel(request, onceServerSaw: 1, server)
        await server.connectionsClosed()
        await client.shutdown()
        await server.stop()
        #expect(server.targets == ["/metrics"])
    }

    /// A request whose task is cancelled before it starts sends nothing.
    @Test func aCancelledTaskSendsNoRequest() async throws {
        let server = try await HTTPTestServer(Self.metrics)
        let client = HTTPFeed.makeClient()
        let request = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await Self.get(server, with: client)
        }
        await #expect(throws: CancellationError.self) { try await request.value }
        await client.shutdown()
        await server.connectionsClosed()
        await server.stop()
        #expect(server.targets.isEmpty)
    }

    // MARK: - Redirects

    /// The caller's `redirects` sees every response with the URLs requested so far and decides the
    /// next request and its headers; the first `nil` ends the `get` with that response.
    @Test func followsRedirectsAsTheCallerDecides() async throws {
        let server = try await HTTPTestServer(
            .byPath(["/a": .redirect(location: "/b"), "/b": .redirect(location: "/c"), "/c": Self.metrics])
        )
        let client = HTTPFeed.makeClient()
        let seen = Mutex<[[String]]>([])
        let response = try await client.get(
            try #require(URL(string: server.url("/a"))),
            headers: ["X-Hop": "0"],
            deadline: .now() + .seconds(40),
            maximumBodyBytes: 1 << 20
        ) { response, requested in
            seen.withLockedValue { $0.append(requested.map(\.path)) }
            return Self.location(of: response, after: requested).map { ($0, ["X-Hop": "\(requested.count)"]) }
        }
        await client.shutdown()
        await server.stop()
        #expect(String(decoding: response.body, as: UTF8.self) == "m 1\n")
        #expect(server.targets == ["/a", "/b", "/c"])
        #expect(server.requests.map { $0.first(name: "X-Hop") } == ["0", "1", "2"])
        #expect(seen.withLockedValue { $0 } == [["/a"], ["/a", "/b"], ["/a", "/b", "/c"]])
    }

    /// What `redirects` throws ends the `get` with that error, and no further request goes out.
    @Test func aRedirectTheCallerRefusesEndsTheRequest() async throws {
        struct Refused: Error {}
        let server = try await HTTPTestServer(.byPath(["/a": .redirect(location: "/b"), "/b": Self.metrics]))
        let client = HTTPFeed.makeClient()
        await #expect(throws: Refused.self) {
            try await client.get(
                try #require(URL(string: server.url("/a"))),
                headers: [:],
                deadline: .now() + .seconds(40),
                maximumBodyBytes: 1 << 20
            ) { _, _ in throw Refused() }
        }
        await client.shutdown()
        await server.stop()
        #expect(server.targets == ["/a"])
    }

    /// Cancelling the task while a redirect's next request hangs ends the whole `get`.
    @Test func cancellingDuringARedirectEndsTheRequest() async throws {
        let server = try await HTTPTestServer(.byPath(["/a": .redirect(location: "/b"), "/b": .hang]))
        let client = HTTPFeed.makeClient()
        let url = try #require(URL(string: server.url("/a")))
        let request = Task {
            try await client.get(
                url,
                headers: [:],
                deadline: .now() + .seconds(40),
                maximumBodyBytes: 1 << 20,
                redirects: { response, requested in Self.location(of: response, after: requested).map { ($0, [:]) } }
            )
        }
        try await Self.cancel(request, onceServerSaw: 2, server)
        await client.shutdown()
        await server.connectionsClosed()
        await server.stop()
        #expect(server.targets == ["/a", "/b"])
    }

    @Test func sendsHostWithThePortAndTheTargetWithItsQuery() async throws {
        let server = try await HTTPTestServer(Self.metrics)
        let client = HTTPFeed.makeClient()
        let url = try #require(URL(string: server.url("/m%20x?format=text&a=b")))
        _ = try await client.get(url, headers: ["X-A": "1"], deadline: .now() + .seconds(10), maximumBodyBytes: 1024)
        await client.shutdown()
        await server.stop()
        #expect(server.targets == ["/m%20x?format=text&a=b"])
        #expect(server.requests.first?.first(name: "Host") == "127.0.0.1:\(server.port)")
        #expect(server.requests.first?.first(name: "X-A") == "1")
    }
}
