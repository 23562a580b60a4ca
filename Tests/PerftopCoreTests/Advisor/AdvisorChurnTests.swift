import PerfKit
import Testing

@testable import PerftopCore

@Suite("Advisor: churn-dominating")
struct AdvisorChurnTests {
    private static let gibibyte = 1_073_741_824.0

    /// Counters polled once a second, each growing by its per-second amount.
    private func counters(points: Int = 10, _ perSecond: [(name: String, kind: Sample.Kind, rate: Double)])
        -> SeriesStore
    {
        SeriesStore.polls(points) { poll in
            perSecond.map { Sample(name: $0.name, kind: $0.kind, value: $0.rate * Double(poll)) }
        }
    }

    @Test("PerfKit allocations above the threshold name the measure and the origin")
    func perfKitAllocations() throws {
        let store = self.counters([("allocs_total", .counter, 2_000_000), ("alloc_bytes_total", .counter, 1e8)])
        let advice = Advisor().advise(store: store)
        #expect(advice.count == 1)
        let churn = try #require(advice.first)
        #expect(churn.rule == .churnDominating)
        #expect(churn.severity == .warning)
        #expect(churn.subject == AdviceSubject(source: "agent", kind: .process))
        #expect(churn.finding == "churn dominated by allocations/s from allocator counters")
        #expect(churn.value("allocations") == 2_000_000)
        #expect(churn.value("allocated") == 1e8)
        #expect(churn.message.contains("allocations 2.00M/s, allocated 95.4MiB/s, window 9.00s"))
        #expect(churn.action.contains("reuse buffers"))
    }

    @Test("Go's GC pause share above the threshold names GC pause time and the Go runtime")
    func goPauses() throws {
        let store = self.counters([
            ("go_gc_duration_seconds_sum", .summary, 0.125),
            ("go_gc_duration_seconds_count", .summary, 30),
            ("go_memstats_mallocs_total", .counter, 50_000),
        ])
        let churn = try #require(Advisor().advise(store: store).first)
        #expect(churn.finding == "churn dominated by GC pause time from Go runtime (go_memstats)")
        #expect(churn.value("GC pause time") == 0.125)
        #expect(churn.message.contains("allocations 50.0k/s, GC pause time 12.5%"))
        #expect(churn.action.contains("heap headroom"))
    }

    @Test("the measure furthest over its threshold is the one named")
    func dominantMeasure() throws {
        let store = self.counters([
            ("allocs_total", .counter, 1_500_000),
            ("alloc_bytes_total", .counter, 4 * Self.gibibyte),
        ])
        let churn = try #require(Advisor().advise(store: store).first)
        #expect(churn.finding.hasPrefix("churn dominated by allocated/s"))
    }

    @Test("the JVM's allocated bytes count, with the origin the churn pane gives them")
    func jvm() throws {
        let store = self.counters([
            ("jvm_gc_memory_allocated_bytes_total", .counter, 2 * Self.gibibyte),
            ("jvm_gc_pause_seconds_count", .summary, 2),
            ("jvm_gc_pause_seconds_sum", .summary, 0.01),
        ])
        let churn = try #require(Advisor().advise(store: store).first)
        #expect(churn.finding == "churn dominated by allocated/s from JVM (Micrometer jvm_gc)")
        #expect(churn.message.contains("allocated 2.00GiB/s, GC pause time 1.0%"))
    }

    @Test("churn at the thresholds fires; under every threshold it does not")
    func thresholds() {
        #expect(Advisor().advise(store: self.counters([("allocs_total", .counter, 1_000_000)])).count == 1)
        #expect(Advisor().advise(store: self.counters([("allocs_total", .counter, 999_000)])).isEmpty)
        let gcBelow = self.counters([("go_gc_duration_seconds_sum", .summary, 0.04)])
        #expect(Advisor().advise(store: gcBelow).isEmpty)
        let tuned = Advisor(thresholds: AdvisorThresholds(churnGCPauseShare: 0.04))
        #expect(tuned.advise(store: gcBelow).count == 1)
    }

    @Test("counters with fewer points than the minimum are no evidence")
    func tooLittle() {
        #expect(Advisor().advise(store: self.counters(points: 4, [("allocs_total", .counter, 5_000_000)])).isEmpty)
        #expect(Advisor().advise(store: self.counters(points: 5, [("allocs_total", .counter, 5_000_000)])).count == 1)
    }
}
