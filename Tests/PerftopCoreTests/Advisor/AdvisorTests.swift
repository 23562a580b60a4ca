import PerfKit
import Testing

@testable import PerftopCore

// MARK: - Support

extension SeriesStore {
    /// A store (retention 300) holding `count` polls of `source`, one every `interval` seconds from
    /// time 1000; `samples(i)` is what poll `i` (from 0) reported.
    static func polls(
        _ count: Int,
        interval: Double = 1,
        source: String = "agent",
        _ samples: (Int) -> [Sample]
    ) -> SeriesStore {
        var store = SeriesStore(retention: 300)
        for poll in 0..<count {
            store.record(source: source, samples: samples(poll), at: 1000 + Double(poll) * interval)
        }
        return store
    }
}

extension Advisor {
    /// The advice of an advisor with default thresholds but only `rule` enabled.
    static func only(_ rule: AdvisorRule, _ store: SeriesStore) -> [Advice] {
        Advisor(thresholds: AdvisorThresholds(enabledRules: [rule])).advise(store: store)
    }
}

// MARK: - Tests

@Suite("Advisor: ordering, enabled rules, source states, line format")
struct AdvisorTests {
    /// Sources with a cache that evicts by size under its target, a saturated processor and
    /// steadily growing resident memory, polled 20 times every 10 seconds.
    private func troubled(sources: [String] = ["demo"]) -> SeriesStore {
        var store = SeriesStore(retention: 300)
        for poll in 0..<20 {
            let time = Double(poll) * 10
            let cache = ["cache": "users"]
            let processor = ["processor": "jobs"]
            let samples: [Sample] = [
                .counter("cache_hits_total", 40 * time, cache),
                .counter("cache_misses_total", 60 * time, cache),
                .counter("cache_evictions_total", 5 * time, ["cache": "users", "cause": "size"]),
                .gauge("cache_entries", 1000, cache),
                .gauge("cache_capacity", 1000, cache),
                .gauge("processor_oldest_queued_seconds", 1 + 0.5 * time, processor),
                .gauge("processor_in_flight", 8, processor),
                .gauge("processor_concurrency_limit", 8, processor),
                .gauge("processor_queue_depth", 10 + time, processor),
                .gauge("process_resident_memory_bytes", 100_000_000 + 2 * 1_048_576 * time / 60),
            ]
            for source in sources {
                store.record(source: source, samples: samples, at: 1000 + time)
            }
        }
        return store
    }

    @Test("advice is ordered by severity, then rule, then subject")
    func ordering() {
        let advice = Advisor().advise(store: self.troubled(sources: ["b", "a"]))
        #expect(
            advice.map { "\($0.rule.rawValue) \($0.subject.source)" } == [
                "processor-saturated a", "processor-saturated b", "cache-capacity a", "cache-capacity b",
                "memory-leak a", "memory-leak b",
            ]
        )
        #expect(advice.map(\.severity) == [.critical, .critical, .warning, .warning, .warning, .warning])
    }

    @Test("a rule left out of enabledRules stays silent")
    func disabledRule() {
        let store = self.troubled(sources: ["agent"])
        var thresholds = AdvisorThresholds()
        thresholds.enabledRules.remove(.cacheCapacity)
        let rules = Advisor(thresholds: thresholds).advise(store: store).map(\.rule)
        #expect(rules == [.processorSaturated, .memoryLeak])
    }

    @Test("a stale or down source gets no advice; an ok, pending or unlisted one does")
    func failingSources() {
        let store = self.troubled(sources: ["agent"])
        let advisor = Advisor()
        #expect(
            advisor.advise(store: store, sources: [SourceStatus(name: "agent", state: .down(reason: "gone"))]).isEmpty
        )
        let stale = SourceStatus(name: "agent", state: .stale(age: 3, reason: "timeout"))
        #expect(advisor.advise(store: store, sources: [stale]).isEmpty)
        #expect(advisor.advise(store: store, sources: [SourceStatus(name: "agent", state: .ok)]).count == 3)
        #expect(advisor.advise(store: store, sources: [SourceStatus(name: "agent", state: .pending)]).count == 3)
        #expect(
            advisor.advise(store: store, sources: [SourceStatus(name: "other", state: .down(reason: "x"))]).count == 3
        )
    }

    @Test("the rendered line: severity, rule, subject, finding, action and every cited number")
    func line() throws {
        let advice = try #require(Advisor.only(.cacheCapacity, self.troubled()).first)
        #expect(
            advice.line
                == "warning cache-capacity cache users of demo: hit rate under target while evicting by size: "
                + "raise capacity (hit rate 40.0%, target 70.0%, requests 100/s, size evictions 5.00/s, fill 100%, "
                + "entries 1.00k, capacity 1.00k, window 190s)"
        )
        #expect(advice.value("size evictions") == 5)
        #expect(advice.value("no such number") == nil)
    }

    @Test("an empty store gets no advice")
    func emptyStore() {
        #expect(Advisor().advise(store: SeriesStore(retention: 10)).isEmpty)
    }
}
