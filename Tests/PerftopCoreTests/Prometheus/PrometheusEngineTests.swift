import Foundation
import NIOHTTP1
import PerfKit
import PerfKitAgent
import ServerTestKit
import Synchronization
import Testing

@testable import PerftopCore

/// A real Prometheus server from Debian's packages (skipped, saying why, when it is not installed)
/// scraping PerfKit agents served in this process over real HTTP: every target becomes a source
/// with the agent's own counts at the time it was scraped, a stopped agent is down with Prometheus'
/// reason, a bad query is shown as the server's state, and the backfill fills the window before the
/// first round. Prometheus' warnings and a 503 come from a fake server (failure injection). No
/// assertion depends on elapsed time.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct PrometheusEngineTests {
    static let isInstalled = ServerTestProcess.isInstalled(ServerTestProcess.prometheusPath)
    static let skipReason: Comment = "prometheus is not installed (apt install prometheus; .ci/run does it as root)"

    /// An agent serving `/metrics` with one cache, `users`, that has seen `hits` hits and `misses`
    /// misses; with `steady`, it goes on with 3 hits and 1 miss every 10 ms until `stop`.
    final class TestAgent: Sendable {
        let server: AgentHTTPServer
        let traffic: Task<Void, Never>?

        init(hits: Int, misses: Int, steady: Bool = false) async throws {
            let registry = MetricsRegistry()
            let cache = Cache<Int, Int>(name: "users", capacity: 10)
            registry.register(cache)
            cache.setValue(1, forKey: 1)
            for _ in 0..<hits {
                _ = cache.value(forKey: 1)
            }
            for key in 0..<misses {
                _ = cache.value(forKey: -1 - key)
            }
            self.server = try await AgentHTTPServer.start(registry: registry, agentName: "test")
            self.traffic =
                steady
                ? Task {
                    var missing = -1_000_000
                    while !Task.isCancelled {
                        for _ in 0..<3 {
                            _ = cache.value(forKey: 1)
                        }
                        _ = cache.value(forKey: missing)
                        missing -= 1
                        try? await Task.sleep(for: .milliseconds(10))
                    }
                } : nil
        }

        /// `127.0.0.1:PORT`, the target Prometheus scrapes and the source's name.
        var target: String {
            "127.0.0.1:\(self.server.port)"
        }

        func stop() async {
            self.traffic?.cancel()
            await self.server.shutdown(gracePeriod: .zero)
        }
    }

    /// Starts Prometheus scraping `agents`, waits until each was scraped `scrapes` times, runs `body`
    /// with it and a client, then stops the client, Prometheus and the agents, whatever `body` did
    /// (an error it throws is recorded).
    private static func withPrometheus(
        scraping agents: [TestAgent],
        scrapes: Int,
        _ body: (ServerTestProcess, HTTP1Client) async throws -> Void
    ) async throws {
        let prometheus = try await ServerTestProcess.prometheus(scraping: agents.map(\.target))
        let client = HTTPFeed.makeClient()
        do {
            try await prometheus.waitForPrometheus(scrapes: scrapes, targets: agents.count)
            try await body(prometheus, client)
        } catch {
            Issue.record(error)
        }
        await client.shutdown()
        prometheus.stop()
        for agent in agents {
            await agent.stop()
        }
    }

    private static func value(_ samples: [Sample], _ name: String) -> Double? {
        samples.first { $0.name == name && $0.labels == [LabelName.cache: "users"] }?.value
    }

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func everyTargetIsASourceWithTheAgentsOwnCountsAtItsScrapeTime() async throws {
        let first = try await TestAgent(hits: 30, misses: 10)
        let second = try await TestAgent(hits: 5, misses: 15)
        try await Self.withPrometheus(scraping: [first, second], scrapes: 2) { prometheus, client in
            let engine = PrometheusEngine(url: prometheus.baseURL + "/", client: client)
            let server = PrometheusServerFeed(engine: engine)
            #expect(server.name == "prometheus:" + prometheus.baseURL)
            let reading = try await server.read(timeout: .mustSucceed)
            #expect(reading.samples.isEmpty)
            #expect(reading.warning == nil)
            let feeds = engine.feeds(replacing: [server])
            let targets = [first.target, second.target].sorted()
            #expect(feeds.map(\.name) == [server.name] + targets.map { engine.sourceName(ofTarget: $0) })
            #expect(feeds.dropFirst().map(\.displayName) == targets)
            #expect(feeds.last?.query?.contains("instance=\"\(targets[1])\"") == true)
            let start = Date().timeIntervalSince1970
            for (agent, counts) in [(first, (30.0, 10.0)), (second, (5.0, 15.0))] {
                let feed = try #require(feeds.first { $0.name == engine.sourceName(ofTarget: agent.target) })
                let reading = try await feed.read(timeout: .mustSucceed)
                // Prometheus goes on scraping meanwhile: on a loaded machine the read can return a
                // scrape made seconds after `start`, never one after the read.
                let end = Date().timeIntervalSince1970
                #expect(Self.value(reading.samples, MetricName.cacheHits) == counts.0)
                #expect(Self.value(reading.samples, MetricName.cacheMisses) == counts.1)
                #expect(reading.samples.first { $0.name == MetricName.cacheHits }?.kind == .counter)
                #expect(reading.samples.allSatisfy { $0.labels["instance"] == nil && $0.labels["job"] == nil })
                let time = try #require(reading.time)
                #expect(time <= end + 1 && time > start - 30)
            }
            // The same feeds again: none added, none dropped.
            #expect(engine.feeds(replacing: feeds).map(\.name) == feeds.map(\.name))
        }
    }

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func aTargetPrometheusCannotScrapeIsDownWithItsReason() async throws {
        let first = try await TestAgent(hits: 1, misses: 1)
        let second = try await TestAgent(hits: 1, misses: 1)
        try await Self.withPrometheus(scraping: [first, second], scrapes: 1) { prometheus, client in
            let engine = PrometheusEngine(url: prometheus.baseURL, client: client)
            _ = try await PrometheusServerFeed(engine: engine).read(timeout: .mustSucceed)
            await second.stop()
            while try await !prometheus.prometheusQuery("up{instance=\"\(second.target)\"} == 0").contains("\"0\"]") {
                try await Task.sleep(for: .milliseconds(200))
            }
            // A fetch is reused for 250 ms; the next one sees the failed scrape.
            try await Task.sleep(for: PrometheusEngine.reuseWithin + .milliseconds(50))
            let feeds = engine.feeds(replacing: [])
            #expect(feeds.count == 2)
            let down = try #require(feeds.first { $0.name == engine.sourceName(ofTarget: second.target) })
            await #expect(throws: FeedError("scrape failing in Prometheus (up 0)")) {
                try await down.read(timeout: .mustSucceed)
            }
            let up = try #require(feeds.first { $0.name == engine.sourceName(ofTarget: first.target) })
            #expect(try await Self.value(up.read(timeout: .mustSucceed).samples, MetricName.cacheHits) == 1)
        }
    }

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func aBadQueryOverrideIsTheServersStateWithPrometheusMessage() async throws {
        let agent = try await TestAgent(hits: 1, misses: 1)
        try await Self.withPrometheus(scraping: [agent], scrapes: 1) { prometheus, client in
            let engine = PrometheusEngine(
                url: prometheus.baseURL,
                queries: PrometheusQueries(overrides: [MetricName.cacheHits: "sum by (instance) ("]),
                client: client
            )
            let collector = Collector(
                feeds: [PrometheusServerFeed(engine: engine)],
                discovery: { engine.feeds(replacing: $0) }
            )
            let round = await collector.collectOnce()
            let state = try #require(round.model.sources.first?.state)
            guard case .down(let reason) = state else {
                Issue.record("expected down, got \(state)")
                return
            }
            #expect(reason.hasPrefix("prometheus 400 bad_data: "))
        }
    }

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func theBackfillFillsTheWindowSoTheFirstRoundHasRates() async throws {
        let agent = try await TestAgent(hits: 0, misses: 0, steady: true)
        try await Self.withPrometheus(scraping: [agent], scrapes: 6) { prometheus, client in
            let engine = PrometheusEngine(url: prometheus.baseURL, client: client)
            let received = Mutex<[String: [FeedReading]]>([:])
            try await engine.backfill(window: .seconds(60), points: 60, timeout: .mustSucceed) { history in
                received.withLockedValue { $0.merge(history) { $0 + $1 } }
            }
            let history = received.withLockedValue { $0 }
            let source = engine.sourceName(ofTarget: agent.target)
            #expect(Array(history.keys) == [source])
            let readings = try #require(history[source])
            let times = readings.compactMap(\.time)
            #expect(times.count == readings.count)
            #expect(times.count >= 4)
            #expect(times == times.sorted())
            let hits = readings.compactMap { Self.value($0.samples, MetricName.cacheHits) }
            #expect(hits == hits.sorted())
            let collector = Collector(
                feeds: [PrometheusServerFeed(engine: engine)],
                configuration: Collector.Configuration(interval: .seconds(1)),
                discovery: { engine.feeds(replacing: $0) }
            )
            collector.recordHistory(history)
            let round = await collector.collectOnce()
            // Rates on the first round: the window's history came from Prometheus.
            let cache = try #require(round.model.caches.first { $0.source == source })
            let hitRate = try #require(cache.hitRate)
            #expect(abs(hitRate - 0.75) < 0.01)
            let points = collector.withStore {
                $0.series(source: source, named: MetricName.cacheHits).first?.points.count
            }
            #expect((points ?? 0) >= times.count)
        }
    }

    // MARK: - Failure injection

    @Test func prometheusWarningsKeepTheServerOkAndSayWhy() async throws {
        let body = """
            {"status":"success","warnings":["results truncated"],"data":{"resultType":"vector","result":[
              {"metric":{"__name__":"cache_hits_total","cache":"users","instance":"a:1"},"value":[1700000000,"4"]}]}}
            """
        let fake = try await HTTPTestServer(.ok(body, contentType: "application/json"))
        let client = HTTPFeed.makeClient()
        let engine = PrometheusEngine(url: fake.url(""), client: client)
        let collector = Collector(
            feeds: [PrometheusServerFeed(engine: engine)],
            discovery: { engine.feeds(replacing: $0) }
        )
        _ = await collector.collectOnce()
        try await Task.sleep(for: PrometheusEngine.reuseWithin + .milliseconds(50))
        let round = await collector.collectOnce()
        #expect(round.model.sources.map(\.state) == [.ok, .ok])
        #expect(round.model.sources.map(\.warning) == ["results truncated", "results truncated"])
        #expect(round.model.sources.last?.displayName == "a:1")
        await client.shutdown()
        await fake.stop()
    }

    @Test func anUnavailablePrometheusIsDownWithItsReason() async throws {
        let fake = try await HTTPTestServer(
            .respond(
                status: .serviceUnavailable,
                contentType: "application/json",
                body: Array(#"{"status":"error","errorType":"unavailable","error":"TSDB not ready"}"#.utf8)
            )
        )
        let client = HTTPFeed.makeClient()
        let engine = PrometheusEngine(url: fake.url(""), client: client)
        await #expect(throws: FeedError("prometheus 503 unavailable: TSDB not ready")) {
            try await PrometheusServerFeed(engine: engine).read(timeout: .mustSucceed)
        }
        await #expect(throws: FeedError("prometheus 503 unavailable: TSDB not ready")) {
            try await engine.backfill(window: .seconds(60), points: 60, timeout: .mustSucceed) { _ in }
        }
        await client.shutdown()
        await fake.stop()
    }
}
