import MallocInterposerSwift
import PerfKit

/// Exact allocation counts for the whole process, from ordo-one's malloc interposer: every `malloc`,
/// `calloc`, `realloc` and `free` of every thread and library is counted.
///
/// Opt-in because it replaces malloc process-wide: linking this library (product
/// `PerfKitAllocationCounting`) puts the interposer ahead of libc, so every allocation of the process
/// carries a 16-byte header and one relaxed atomic add per counter, whether or not a source exists.
/// Counting starts when the first source is created and never stops, so the counters only grow.
///
/// | name | kind | meaning |
/// |---|---|---|
/// | `allocs_total` | counter | allocation calls (`malloc`, `calloc`, `realloc`, aligned variants) |
/// | `frees_total` | counter | `free` calls |
/// | `alloc_bytes_total` | counter | bytes requested by those allocations |
/// | `freed_bytes_total` | counter | bytes released by those frees |
/// | `process_heap_live_bytes` | gauge | allocated minus freed since counting started, at least 0 |
/// | `perfkit_allocation_counters_info{source="interposer"}` | gauge, 1 | where the churn figures come from |
///
/// Allocations made before counting started but freed after it count as frees, so live bytes can
/// underestimate; use `process_heap_in_use_bytes` from ``AllocationSampleSource`` for the level.
/// Cost of ``collectSamples()``: the interposer sums per-thread counters under a mutex, O(threads).
public struct AllocationCountingSampleSource: SampleSource {
    /// The value of the `source` label of `perfkit_allocation_counters_info`.
    public static let counterSource = LabelValue.AllocationCounters.interposer.rawValue

    /// Starts counting, once per process, and creates a source reporting the counts.
    public init() {
        _ = Self.counting
    }

    /// Resets the counters and enables counting; run once, on first use (static lets initialise once).
    private static let counting: Void = {
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
    }()

    /// The counters now, with the names in the table above.
    public func collectSamples() -> [Sample] {
        let statistics = MallocInterposerSwift.getStatistics()
        let info = [LabelName.source: Self.counterSource]
        return [
            Sample(name: MetricName.allocations, kind: .counter, value: Double(statistics.mallocCount)),
            Sample(name: MetricName.frees, kind: .counter, value: Double(statistics.freeCount)),
            Sample(name: MetricName.allocatedBytes, kind: .counter, value: Double(statistics.mallocBytesCount)),
            Sample(name: MetricName.freedBytes, kind: .counter, value: Double(statistics.freeBytesCount)),
            Sample(
                name: MetricName.processHeapLive,
                kind: .gauge,
                value: Double(max(0, statistics.mallocBytesCount - statistics.freeBytesCount))
            ),
            Sample(name: MetricName.allocationCountersInfo, labels: info, kind: .gauge, value: 1),
        ]
    }
}
