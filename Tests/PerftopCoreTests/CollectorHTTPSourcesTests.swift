import NIOHTTP1
import Testing

@testable import PerftopCore

/// The collector over real HTTP servers on 127.0.0.1, one good and four bad: the good source keeps
/// updating every round and each bad one shows its own state. No assertion depends on elapsed time.
@Suite(.timeLimit(.minutes(1))) struct CollectorHTTPSourcesTests {
    @Test func badSourcesShowTheirStateWhileAGoodOneKeepsUpdating() async throws {
        let good = try await HTTPTestServer(.ok("requests_total 1\n", contentType: "text/plain; version=0.0.4"))
        let hanging = try await HTTPTestServer(.hang)
        let garbage = try await HTTPTestServer(.ok("up 1\nthis is { not metrics\n", contentType: "text/plain"))
        let unavailable = try await HTTPTestServer(
            .respond(status: .serviceUnavailable, contentType: "text/plain", body: Array("busy".utf8))
        )
        let oversized = try await HTTPTestServer(.huge(bytes: 50 << 20, declareLength: false))
        let servers = [good, hanging, garbage, unavailable, oversized]
        let client = HTTPFeed.makeClient()
        let feeds = servers.map { HTTPFeed(url: $0.url(), maximumResponseBytes: 1 << 20, client: client) }
        // A 3 s interval (the polls' timeout): 300 ms, then 1 s, were too short for the good source's
        // polls while the end-to-end suites run debug builds of perftop and its demo agents and start
        // database servers on this 2-core machine.
        let collector = Collector(
            feeds: feeds,
            configuration: Collector.Configuration(interval: .seconds(3), staleLimit: .seconds(60))
        )

        var goodValues: [Double] = []
        var goodFailures: [String] = []
        for round in 1...3 {
            good.setBehavior(.ok("requests_total \(round)\n", contentType: "text/plain; version=0.0.4"))
            let result = await collector.collectOnce()
            let goodResult = result.results.first { $0.source == good.url() }
            goodValues += (goodResult?.samples ?? []).filter { $0.name == "requests_total" }.map(\.value)
            goodFailures += goodResult?.failure.map { ["round \(round): \($0)"] } ?? []
        }
        #expect(goodValues == [1, 2, 3], "the good source updated every round despite the bad ones: \(goodFailures)")

        let states = Dictionary(uniqueKeysWithValues: collector.model.sources.map { ($0.name, $0.state) })
        #expect(states[good.url()] == .ok)
        #expect(
            Self.reason(states[hanging.url()])?.contains("timeout") == true,
            "\(String(describing: states[hanging.url()]))"
        )
        #expect(
            Self.reason(states[garbage.url()])?.contains("line 2") == true,
            "\(String(describing: states[garbage.url()]))"
        )
        #expect(Self.reason(states[unavailable.url()])?.contains("HTTP 503") == true)
        #expect(
            Self.reason(states[oversized.url()])?.contains("larger than") == true,
            "\(String(describing: states[oversized.url()]))"
        )

        await client.shutdown()
        for server in servers {
            await server.stop()
        }
    }

    /// The reason of a down or stale state.
    private static func reason(_ state: SourceState?) -> String? {
        switch state {
        case .down(let reason), .stale(_, let reason): reason
        default: nil
        }
    }
}
