/// Reports the C heap of the calling process as samples, the allocation-churn source every agent can
/// use without preloading anything.
///
/// Register it with a ``MetricsRegistry`` next to a ``ProcessSampleSource``, whose
/// `process_minor_faults_total` gives the page-fault side of churn:
///
/// | name | kind | labels |
/// |---|---|---|
/// | `process_heap_in_use_bytes` | gauge | |
/// | `process_heap_arena_bytes` | gauge | |
/// | `process_heap_mmapped_bytes` | gauge | |
/// | `process_heap_free_bytes` | gauge | |
/// | `perfkit_allocation_counters_info` | gauge, always 1 | `source`: `mallinfo2` |
///
/// The info sample tells the dashboard where the heap figures come from (glibc's heap statistics, see
/// ``AllocationStatistics``); they are levels, not counts of allocations, so churn shows as the heap
/// growing and shrinking rather than as an allocation rate.
///
/// Cost: one ``AllocationStatistics/read()`` per ``collectSamples()`` call. Where the statistics cannot
/// be read (not glibc), it returns no samples rather than invented ones.
public struct AllocationSampleSource: SampleSource {
    /// The value of the `source` label of `perfkit_allocation_counters_info`.
    public static let counterSource = LabelValue.AllocationCounters.mallinfo2.rawValue

    /// Creates a source for the calling process's heap.
    public init() {}

    /// The heap's samples now, or an empty array where the statistics cannot be read.
    public func collectSamples() -> [Sample] {
        guard let statistics = AllocationStatistics.read() else {
            return []
        }
        return Self.samples(from: statistics)
    }

    /// The samples that describe `statistics`, with the names in the table above. Cost: no I/O.
    public static func samples(from statistics: AllocationStatistics) -> [Sample] {
        [
            Sample(name: MetricName.processHeapInUse, kind: .gauge, value: Double(statistics.heapInUseBytes)),
            Sample(name: MetricName.processHeapArena, kind: .gauge, value: Double(statistics.arenaBytes)),
            Sample(name: MetricName.processHeapMmapped, kind: .gauge, value: Double(statistics.mmappedBytes)),
            Sample(name: MetricName.processHeapFree, kind: .gauge, value: Double(statistics.freeBytes)),
            Sample(
                name: MetricName.allocationCountersInfo,
                labels: [LabelName.source: Self.counterSource],
                kind: .gauge,
                value: 1
            ),
        ]
    }
}
