import PerfKit
import Testing

@testable import PerftopCore

/// The GC and allocation names of Go, Python and JVM runtimes, pushed through a real store.
@Suite("DashboardModel from Go, Python and JVM runtime samples")
struct DashboardModelRuntimeTests {
    /// What client_golang's Go collector reports; `go_gc_duration_seconds` has quantiles 0 to 1 but no 0.95.
    private func goSamples(gcs: Double, pauseSeconds: Double, mallocs: Double, heap: Double) -> [Sample] {
        var samples: [Sample] = [
            .counter("go_memstats_mallocs_total", mallocs),
            .counter("go_memstats_frees_total", mallocs / 2),
            .counter("go_memstats_alloc_bytes_total", mallocs * 64),
            .gauge("go_memstats_heap_alloc_bytes", heap),
            .gauge("process_resident_memory_bytes", heap * 2),
            Sample(name: "go_gc_duration_seconds_sum", kind: .summary, value: pauseSeconds),
            Sample(name: "go_gc_duration_seconds_count", kind: .summary, value: gcs),
        ]
        for (quantile, value) in [("0", 0.0001), ("0.5", 0.0002), ("1", 0.003)] {
            samples.append(
                Sample(name: "go_gc_duration_seconds", labels: ["quantile": quantile], kind: .summary, value: value)
            )
        }
        return samples
    }

    @Test("Go: GC collections/s, mean pause from _sum/_count, max pause, allocation rates and the heap")
    func go() throws {
        let model = DashboardModel.recorded([
            (0, self.goSamples(gcs: 10, pauseSeconds: 0.5, mallocs: 1000, heap: 4096)),
            (2, self.goSamples(gcs: 14, pauseSeconds: 0.75, mallocs: 5000, heap: 8192)),
        ])
        let churn = try #require(model.churn.first)
        #expect(model.churn.count == 1)
        #expect(churn.origin == "Go runtime (go_memstats)")
        #expect(
            churn.readouts == [
                ChurnReadout(measure: "GC collections", value: 2, unit: .perSecond),
                ChurnReadout(measure: "GC pause mean", value: 0.0625, unit: .seconds),
                ChurnReadout(measure: "GC pause max", value: 0.003, unit: .seconds),
                ChurnReadout(measure: "allocated", value: 128_000, unit: .bytesPerSecond),
                ChurnReadout(measure: "allocations", value: 2000, unit: .perSecond),
                ChurnReadout(measure: "frees", value: 1000, unit: .perSecond),
                ChurnReadout(measure: "heap in use", value: 8192, unit: .bytes),
                ChurnReadout(measure: "heap growth", value: 2048, unit: .bytesPerSecond),
            ]
        )
        let process = try #require(model.memory.processes.first)
        #expect(process.heapInUseBytes == 8192)
        #expect(process.residentBytes == 16384)
    }

    @Test("Go: a 0.95 quantile is shown as the pause p95; no GC in the interval is no mean, not zero")
    func goP95AndIdle() throws {
        var first = self.goSamples(gcs: 10, pauseSeconds: 0.01, mallocs: 1, heap: 1)
        var second = self.goSamples(gcs: 10, pauseSeconds: 0.01, mallocs: 1, heap: 1)
        let idle = try #require(DashboardModel.recorded([(0, first), (1, second)]).churn.first)
        #expect(idle.readouts.contains(ChurnReadout(measure: "GC collections", value: 0, unit: .perSecond)))
        #expect(idle.readouts.contains(ChurnReadout(measure: "GC pause mean", value: nil, unit: .seconds)))
        let p95 = Sample(name: "go_gc_duration_seconds", labels: ["quantile": "0.95"], kind: .summary, value: 0.002)
        first.append(p95)
        second.append(p95)
        let churn = try #require(DashboardModel.recorded([(0, first), (1, second)]).churn.first)
        #expect(churn.readouts.contains(ChurnReadout(measure: "GC pause p95", value: 0.002, unit: .seconds)))
        #expect(!churn.readouts.contains { $0.measure == "GC pause mean" })
    }

    @Test("Go: a pause p95 the HTTP feed estimated from histogram buckets is marked as an estimate")
    func goEstimatedP95() throws {
        let estimate = Sample(
            name: "go_gc_duration_seconds",
            labels: ["quantile": "0.95", "estimate": "buckets"],
            kind: .summary,
            value: 0.004
        )
        let first = self.goSamples(gcs: 10, pauseSeconds: 0.01, mallocs: 1, heap: 1) + [estimate]
        let second = self.goSamples(gcs: 12, pauseSeconds: 0.02, mallocs: 1, heap: 1) + [estimate]
        let churn = try #require(DashboardModel.recorded([(0, first), (1, second)]).churn.first)
        #expect(churn.readouts.contains(ChurnReadout(measure: "GC pause p95 (est.)", value: 0.004, unit: .seconds)))
        #expect(!churn.readouts.contains { $0.measure == "GC pause p95" })
    }

    private func pythonSamples(scale: Double) -> [Sample] {
        (0..<3).flatMap { generation -> [Sample] in
            let labels = ["generation": String(generation)]
            return [
                .counter("python_gc_collections_total", scale * Double(10 - 3 * generation), labels),
                .counter("python_gc_objects_collected_total", scale * 100, labels),
                .counter("python_gc_objects_uncollectable_total", 0, labels),
            ]
        } + [.gauge("process_resident_memory_bytes", 50_000_000 * scale)]
    }

    @Test("Python: collections and collected objects per second over all generations; RSS in the memory pane")
    func python() throws {
        let model = DashboardModel.recorded([(0, self.pythonSamples(scale: 1)), (1, self.pythonSamples(scale: 2))])
        let churn = try #require(model.churn.first)
        #expect(churn.origin == "Python runtime (python_gc)")
        #expect(
            churn.readouts == [
                ChurnReadout(measure: "GC collections", value: 21, unit: .perSecond),
                ChurnReadout(measure: "GC objects collected", value: 300, unit: .perSecond),
            ]
        )
        #expect(model.memory.processes.first?.residentBytes == 100_000_000)
        #expect(model.memory.processes.first?.heapInUseBytes == nil)
    }

    /// What Micrometer's Prometheus registry writes for the JVM binders: two collectors' pauses
    /// (`_count`, `_sum`, `_max`), allocated bytes, and heap and non-heap pools.
    private func jvmSamples(scale: Double, heap: Double) -> [Sample] {
        let young = ["action": "end of minor GC", "cause": "G1 Evacuation Pause", "gc": "G1 Young Generation"]
        let old = ["action": "end of major GC", "cause": "System.gc()", "gc": "G1 Old Generation"]
        return [
            Sample(name: "jvm_gc_pause_seconds_count", labels: young, kind: .summary, value: 20 * scale),
            Sample(name: "jvm_gc_pause_seconds_sum", labels: young, kind: .summary, value: 0.25 * scale),
            .gauge("jvm_gc_pause_seconds_max", 0.02, young),
            Sample(name: "jvm_gc_pause_seconds_count", labels: old, kind: .summary, value: 1),
            Sample(name: "jvm_gc_pause_seconds_sum", labels: old, kind: .summary, value: 0.5),
            .gauge("jvm_gc_pause_seconds_max", 0, old),
            .counter("jvm_gc_memory_allocated_bytes_total", 1_000_000 * scale),
            .gauge("jvm_memory_used_bytes", heap, ["area": "heap", "id": "G1 Eden Space"]),
            .gauge("jvm_memory_used_bytes", heap / 2, ["area": "heap", "id": "G1 Old Gen"]),
            .gauge("jvm_memory_used_bytes", 7_000_000, ["area": "nonheap", "id": "Metaspace"]),
        ]
    }

    @Test("JVM: collections/s and mean pause over every collector, the largest recent pause, allocation and heap pools")
    func jvm() throws {
        let model = DashboardModel.recorded([
            (0, self.jvmSamples(scale: 1, heap: 2000)), (1, self.jvmSamples(scale: 2, heap: 4000)),
        ])
        let churn = try #require(model.churn.first)
        #expect(churn.origin == "JVM (Micrometer jvm_gc)")
        #expect(
            churn.readouts == [
                ChurnReadout(measure: "GC collections", value: 20, unit: .perSecond),
                ChurnReadout(measure: "GC pause mean", value: 0.0125, unit: .seconds),
                ChurnReadout(measure: "GC pause max", value: 0.02, unit: .seconds),
                ChurnReadout(measure: "allocated", value: 1_000_000, unit: .bytesPerSecond),
                ChurnReadout(measure: "heap in use", value: 6000, unit: .bytes),
                ChurnReadout(measure: "heap growth", value: 3000, unit: .bytesPerSecond),
            ]
        )
        #expect(model.memory.processes.first?.heapInUseBytes == 6000)
    }

    @Test("a runtime seen once has its gauges but no rates; derived export series include the pauses")
    func firstPollAndDerived() throws {
        let once = try #require(
            DashboardModel.recorded([(0, self.goSamples(gcs: 1, pauseSeconds: 0.001, mallocs: 1, heap: 1))]).churn.first
        )
        #expect(once.readouts.first == ChurnReadout(measure: "GC collections", value: nil, unit: .perSecond))
        #expect(once.readouts.contains(ChurnReadout(measure: "heap in use", value: 1, unit: .bytes)))
        let model = DashboardModel.recorded([
            (0, self.jvmSamples(scale: 1, heap: 2000)), (1, self.jvmSamples(scale: 2, heap: 4000)),
        ])
        let derived = model.derivedValues
        #expect(derived["perftop_churn_per_second{measure=\"GC collections\"}"] == 20)
        #expect(derived["perftop_churn_seconds{measure=\"GC pause mean\"}"] == 0.0125)
        #expect(derived["perftop_churn_bytes_per_second{measure=\"allocated\"}"] == 1_000_000)
    }
}
