import Foundation
import PerfKit
import PerfKitTestKit
import Testing

@Suite struct MetricsRegistryTests {
    struct FixedSource: SampleSource {
        var samples: [Sample]

        func collectSamples() -> [Sample] {
            self.samples
        }
    }

    @Test func collectsSourcesInRegistrationOrder() {
        let registry = MetricsRegistry()
        let first = FixedSource(samples: [Sample(name: "first", kind: .gauge, value: 1)])
        let cache = Cache<Int, Int>(name: "middle", capacity: 1)
        let last = FixedSource(samples: [
            Sample(name: "last_a", kind: .counter, value: 2),
            Sample(name: "last_b", kind: .counter, value: 3),
        ])
        registry.register(first)
        registry.register(cache)
        registry.register(last)

        let names = registry.collectSamples().map(\.name)

        #expect(registry.sourceCount == 3)
        #expect(
            names == ["first"] + cache.collectSamples().map(\.name) + ["last_a", "last_b"]
        )
    }

    @Test func anEmptyRegistryHasNoSamples() {
        #expect(MetricsRegistry().collectSamples().isEmpty)
    }

    @Test func snapshotCarriesAgentPidTimeAndSamples() {
        let registry = MetricsRegistry()
        let cache = Cache<String, Int>(name: "users", capacity: 4)
        cache.setValue(1, forKey: "a")
        _ = cache.value(forKey: "a")
        registry.register(cache)

        let before = Date().timeIntervalSince1970
        let snapshot = registry.snapshot(agent: "demo")
        let after = Date().timeIntervalSince1970

        #expect(snapshot.schema == Snapshot.schemaName)
        #expect(snapshot.version == Snapshot.currentVersion)
        #expect(snapshot.agent == "demo")
        #expect(snapshot.pid == getpid())
        #expect(snapshot.timestamp >= before && snapshot.timestamp <= after)
        #expect(snapshot.samples == cache.collectSamples())
        let hits = samples(named: "cache_hits_total", in: snapshot.samples)
        #expect(hits[["cache": "users"]]?.value == 1)
    }

    @Test func registeringWhileCollectingIsSafe() async {
        let registry = MetricsRegistry()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<100 {
                group.addTask {
                    registry.register(FixedSource(samples: [Sample(name: "s\(index)", kind: .gauge, value: 1)]))
                }
                group.addTask {
                    _ = registry.collectSamples()
                }
            }
        }
        #expect(registry.collectSamples().count == 100)
        #expect(Set(registry.collectSamples().map(\.name)).count == 100)
    }
}
