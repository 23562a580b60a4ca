import PerfKit

/// Allocation churn, GC activity and heap of one source, by the conventions of the runtimes that
/// report them (docs/metrics.md, "Allocation churn and heap"): the Go client's `go_memstats_*` and
/// `go_gc_duration_seconds`, Python prometheus_client's `python_gc_*`, JVM Micrometer's `jvm_gc_*` and
/// `jvm_memory_used_bytes`, and PerfKit's own names; /proc minor faults stand in when none of them is there.
extension SourceView {
    // MARK: - Memory

    /// The process's resident memory and heap: PerfKit's heap gauge, else Go's heap, else the JVM's
    /// heap pools; with Redis' `maxmemory` as the heap's limit.
    func processMemory() -> ProcessMemoryView? {
        let resident = self.series(MetricName.processResidentMemory).first
        let heap = self.heapSeries().flatMap(Self.latestSum)
        guard resident != nil || heap != nil else {
            return nil
        }
        return ProcessMemoryView(
            source: self.source,
            residentBytes: resident?.latest,
            heapInUseBytes: heap,
            residentHistory: resident.map(\.points) ?? [],
            residentGrowthBytesPerSecond: resident?.fit(over: .retained)?.slope,
            heapLimitBytes: self.series(MetricName.redisMaxMemory).first?.latest.flatMap { $0 > 0 ? $0 : nil }
        )
    }

    /// How fast the heap in use grew over the window, in bytes per second, by the first convention
    /// the source reports; nil when it reports none.
    func heapGrowthPerSecond() -> Double? {
        self.heapSeries().flatMap(self.growth)
    }

    /// The process's CPU use over the window, in percent of one core, from `process_cpu_seconds_total`.
    func cpuPercent() -> Double? {
        let series = self.series(MetricName.processCPUSeconds)
        return series.isEmpty ? nil : self.rate(series).map { $0 * 100 }
    }

    /// The series whose sum is the heap in use, by the first convention the source reports.
    private func heapSeries() -> [SeriesStore.Series]? {
        let candidates = [
            self.series(MetricName.processHeapInUse),
            self.series(MetricName.goHeapAllocated),
            self.series(MetricName.jvmMemoryUsed, LabelName.area, Self.jvmHeapArea),
        ]
        return candidates.first { !$0.isEmpty }
    }

    // MARK: - Churn

    /// Every convention the source speaks, each with its origin and readouts, in one view; nil when
    /// it speaks none and reports no minor faults either.
    func churn() -> ChurnView? {
        var parts = [self.goChurn(), self.jvmChurn(), self.pythonChurn(), self.perfKitChurn()].compactMap { $0 }
        if parts.isEmpty, let faults = self.series(MetricName.processMinorFaults).first {
            let readout = ChurnReadout(measure: "minor faults", value: self.rate([faults]), unit: .perSecond)
            parts.append(("/proc minor faults", [readout]))
        }
        guard !parts.isEmpty else {
            return nil
        }
        return ChurnView(
            source: self.source,
            origin: parts.map(\.origin).joined(separator: " + "),
            readouts: parts.flatMap(\.readouts)
        )
    }

    /// Go's client_golang: GC collections/s and pauses from `go_gc_duration_seconds`, then
    /// allocations, frees and bytes allocated per second, then the heap (`go_memstats_heap_alloc_bytes`).
    private func goChurn() -> (origin: String, readouts: [ChurnReadout])? {
        var readouts = self.gcReadouts(pauses: MetricName.goGCDurationSeconds)
        readouts += self.rateReadouts([
            ("allocated", MetricName.goAllocatedBytes, .bytesPerSecond),
            ("allocations", MetricName.goMallocs, .perSecond),
            ("frees", MetricName.goFrees, .perSecond),
        ])
        readouts += self.heapReadouts(self.series(MetricName.goHeapAllocated))
        return readouts.isEmpty ? nil : ("Go runtime (go_memstats)", readouts)
    }

    /// Micrometer's JVM binders: GC collections/s and pauses from `jvm_gc_pause_seconds` (every `gc`,
    /// `action` and `cause` together), bytes allocated per second, and the heap pools' use.
    private func jvmChurn() -> (origin: String, readouts: [ChurnReadout])? {
        var readouts = self.gcReadouts(pauses: MetricName.jvmGCPauseSeconds)
        readouts += self.rateReadouts([("allocated", MetricName.jvmGCAllocatedBytes, .bytesPerSecond)])
        readouts += self.heapReadouts(self.series(MetricName.jvmMemoryUsed, LabelName.area, Self.jvmHeapArea))
        return readouts.isEmpty ? nil : ("JVM (Micrometer jvm_gc)", readouts)
    }

    /// Python's prometheus_client: collections and collected objects per second, all generations together.
    private func pythonChurn() -> (origin: String, readouts: [ChurnReadout])? {
        let readouts = self.rateReadouts([
            ("GC collections", MetricName.pythonGCCollections, .perSecond),
            ("GC objects collected", MetricName.pythonGCObjectsCollected, .perSecond),
        ])
        return readouts.isEmpty ? nil : ("Python runtime (python_gc)", readouts)
    }

    /// PerfKit: exact allocator counters (`allocs_total`, or an interposer named by
    /// `perfkit_allocation_counters_info`), the heap gauge (`process_heap_in_use_bytes`), and minor
    /// faults as the stand-in when there are no exact counters.
    private func perfKitChurn() -> (origin: String, readouts: [ChurnReadout])? {
        let info = self.series(MetricName.allocationCountersInfo).filter { $0.latest == 1 }
        let counterSources = Set(
            info.compactMap { $0.id.label(LabelName.source).flatMap(LabelValue.AllocationCounters.init(rawValue:)) }
        )
        let allocations = self.series(MetricName.allocations).first
        let faults = self.series(MetricName.processMinorFaults).first
        let heap = self.series(MetricName.processHeapInUse)
        let exact = counterSources.contains(.interposer) || allocations != nil
        var origins: [String] = []
        var readouts: [ChurnReadout] = []
        if exact {
            origins.append(counterSources.contains(.interposer) ? "exact: malloc interposer" : "allocator counters")
            let rate = { (name: String) in self.rate(self.series(name)) }
            readouts += [
                ChurnReadout(measure: "allocations", value: allocations.flatMap { self.rate([$0]) }, unit: .perSecond),
                ChurnReadout(measure: "frees", value: rate(MetricName.frees), unit: .perSecond),
                ChurnReadout(measure: "allocated", value: rate(MetricName.allocatedBytes), unit: .bytesPerSecond),
                ChurnReadout(measure: "freed", value: rate(MetricName.freedBytes), unit: .bytesPerSecond),
            ]
        }
        if !heap.isEmpty {
            origins.append(counterSources.contains(.mallinfo2) ? "glibc mallinfo2" : "heap gauge")
        }
        if !exact, !heap.isEmpty, let faults {
            origins.append("/proc minor faults")
            readouts.append(ChurnReadout(measure: "minor faults", value: self.rate([faults]), unit: .perSecond))
        }
        readouts += self.heapReadouts(heap)
        return readouts.isEmpty ? nil : (origins.joined(separator: " + "), readouts)
    }

    /// The change per second of the summed `series` over the window; nil when one of them has none.
    private func growth(_ series: [SeriesStore.Series]) -> Double? {
        let changes = series.map { $0.change(over: self.window)?.value }
        return changes.contains { $0 == nil } ? nil : changes.compactMap { $0 }.reduce(0, +)
    }

    // MARK: - Readouts

    /// One per-second readout per counter the source reports (every label set summed); none for a
    /// counter it does not report.
    private func rateReadouts(
        _ counters: [(measure: String, name: String, unit: ChurnReadout.Unit)]
    ) -> [ChurnReadout] {
        counters.compactMap { counter in
            let series = self.series(counter.name)
            return series.isEmpty
                ? nil : ChurnReadout(measure: counter.measure, value: self.rate(series), unit: counter.unit)
        }
    }

    /// `heap in use` and `heap growth` (per second over the last interval) of the summed `series`;
    /// none when it is empty.
    private func heapReadouts(_ series: [SeriesStore.Series]) -> [ChurnReadout] {
        guard let inUse = Self.latestSum(series) else {
            return []
        }
        let growth = self.growth(series)
        return [
            ChurnReadout(measure: "heap in use", value: inUse, unit: .bytes),
            ChurnReadout(measure: "heap growth", value: growth, unit: .bytesPerSecond),
        ]
    }

    /// GC collections per second (the rate of `name_count`) and the pause: p95 when the summary has
    /// a `0.95` quantile (the worst label set), else the mean pause over the last interval
    /// (Δ`name_sum` / Δ`name_count`, no value when no GC ran in it); then the largest recent pause
    /// (quantile `1`, or Micrometer's `name_max`). None when the source has no such summary.
    private func gcReadouts(pauses name: String) -> [ChurnReadout] {
        let counts = self.series(name + MetricName.countSuffix)
        guard !counts.isEmpty else {
            return []
        }
        var readouts = [ChurnReadout(measure: "GC collections", value: self.rate(counts), unit: .perSecond)]
        let quantiles = self.series(name)
        let p95Series = quantiles.filter { $0.id.label(LabelName.quantile) == LabelValue.Quantile.p95 }
        let p95 = p95Series.compactMap(\.latest)
        if !p95.isEmpty {
            // A p95 the HTTP feed estimated from histogram buckets is labelled so, never shown as measured.
            let estimated = p95Series.contains { $0.id.label(LabelName.estimate) != nil }
            let measure = estimated ? "GC pause p95 (est.)" : "GC pause p95"
            readouts.append(ChurnReadout(measure: measure, value: p95.max(), unit: .seconds))
        } else {
            let sums = self.series(name + MetricName.sumSuffix)
            let means = counts.compactMap { count in
                sums.first { $0.id.labels == count.id.labels }.map { (sum: $0, count: count) }
            }
            readouts.append(ChurnReadout(measure: "GC pause mean", value: self.meanPerEvent(means), unit: .seconds))
        }
        let maxima =
            quantiles.filter { $0.id.label(LabelName.quantile) == LabelValue.Quantile.maximum }.compactMap(\.latest)
            + self.series(name + MetricName.maxSuffix).compactMap(\.latest)
        if let largest = maxima.max() {
            readouts.append(ChurnReadout(measure: "GC pause max", value: largest, unit: .seconds))
        }
        return readouts
    }

    /// The sum of the newest values of `series`, or nil when it is empty.
    private static func latestSum(_ series: [SeriesStore.Series]) -> Double? {
        let values = series.compactMap(\.latest)
        return values.isEmpty ? nil : values.reduce(0, +)
    }

    /// Δsum ÷ Δcount over the view's window across every label set of a summary (e.g. the mean GC
    /// pause of every collector together); nil when no event happened in it.
    private func meanPerEvent(_ pairs: [(sum: SeriesStore.Series, count: SeriesStore.Series)]) -> Double? {
        var total = 0.0
        var events = 0.0
        for pair in pairs {
            guard let sum = pair.sum.increase(over: self.window), let count = pair.count.increase(over: self.window)
            else {
                continue
            }
            total += sum.value
            events += count.value
        }
        return events > 0 ? total / events : nil
    }

    /// The `area` label value of the JVM's heap pools.
    static let jvmHeapArea = "heap"
}
