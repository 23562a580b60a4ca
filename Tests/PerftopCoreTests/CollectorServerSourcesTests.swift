import PerfKit
import ServerTestKit
import Testing

@testable import PerftopCore

/// The collector over a real Redis and three bad servers (one that hangs, one that is not memcached,
/// a PostgreSQL port nothing listens on): the good source updates every round and each bad one shows
/// its own reason. No assertion depends on elapsed time.
@Suite(.timeLimit(.minutes(1)))
struct CollectorServerSourcesTests {
    @Test(.enabled(if: RedisFeedTests.isInstalled, RedisFeedTests.skipReason))
    func badServersShowTheirStateWhileAGoodOneKeepsUpdating() async throws {
        let redis = try await ServerTestProcess.redis()
        defer { redis.stop() }
        let hung = try await SilentTCPServer()
        let http = try await HTTPTestServer(.ok("hello", contentType: "text/plain"))
        let closedPort = try await ServerTestProcess.freePort()
        let good = try RedisFeed(url: "redis://127.0.0.1:\(redis.port)")
        let feeds: [any Feed] = [
            good,
            try RedisFeed(url: "redis://127.0.0.1:\(hung.port)"),
            try MemcachedFeed(url: "memcached://127.0.0.1:\(http.port)"),
            try PostgresFeed(url: "postgresql://perftop@127.0.0.1:\(closedPort)/postgres"),
        ]
        // Polls time out after the interval. At 1 s, a full test run on two cores once kept the good
        // server's first poll waiting longer than that, and the test saw two rounds of hits, not three.
        let collector = Collector(
            feeds: feeds,
            configuration: Collector.Configuration(interval: .seconds(5), staleLimit: .seconds(60))
        )
        var hits: [Double] = []
        for _ in 1...3 {
            _ = try await redis.send("SET k v\r\nGET k\r\nPING\r\n") { $0.hasSuffix("+PONG\r\n") }
            let round = await collector.collectOnce()
            let samples = round.results.first { $0.source == good.name }?.samples ?? []
            hits += samples.filter { $0.name == MetricName.cacheHits }.map(\.value)
        }
        #expect(hits == [1, 2, 3], "the good server updated every round despite the bad ones")
        let reasons = Dictionary(
            uniqueKeysWithValues: collector.model.sources.map { source -> (String, String?) in
                switch source.state {
                case .down(let reason), .stale(_, let reason): (source.name, reason)
                default: (source.name, nil)
                }
            }
        )
        #expect(reasons[good.name] == .some(nil))
        #expect(reasons[feeds[1].name]??.hasPrefix("timeout after") == true)
        #expect(reasons[feeds[2].name]??.hasPrefix("not a memcached reply") == true)
        #expect(reasons[feeds[3].name] == "connection refused")
        await good.close()
        await hung.stop()
        await http.stop()
    }
}
