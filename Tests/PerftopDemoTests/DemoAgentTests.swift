import PerfKit
import PerftopDemo
import Testing

/// The demo agent's traffic, read back from its registry as perftop would: every cache has hits and
/// misses, and the HTTP cache revalidates with its origin. No assertion depends on elapsed time; the
/// waits poll, bounded by the suite's time limit.
@Suite(.timeLimit(.minutes(1)))
struct DemoAgentTests {
    private static func value(_ agent: DemoAgent, _ name: String, cache: String) -> Double {
        agent.registry.collectSamples().first { $0.name == name && $0.labels == [LabelName.cache: cache] }?.value ?? 0
    }

    @Test func theCatalogCacheHitsMissesAndRevalidates() async throws {
        let agent = DemoAgent()
        let traffic = Task { await agent.run() }
        defer { traffic.cancel() }
        while Self.value(agent, MetricName.cacheRevalidations, cache: "catalog") == 0 {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(Self.value(agent, MetricName.cacheHits, cache: "catalog") > 0)
        #expect(Self.value(agent, MetricName.cacheMisses, cache: "catalog") > 0)
        for cache in ["users", "embeddings", "answers"] {
            #expect(Self.value(agent, MetricName.cacheHits, cache: cache) > 0, "\(cache) has hits")
        }
        #expect(
            !agent.registry.collectSamples().contains { $0.labels[LabelName.cache] == "profiles" },
            "no Redis tier without Redis"
        )
        traffic.cancel()
        await traffic.value
    }
}
