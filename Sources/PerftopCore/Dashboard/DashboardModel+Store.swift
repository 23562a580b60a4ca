import PerfKit

/// Builds the dashboard's view model from the series store: the one place that derives hit rates,
/// throughput, CPU busy share and churn from raw samples, by the well-known names of docs/metrics.md.
extension DashboardModel {
    /// Derives a model from what `store` holds now.
    ///
    /// Cost: linear in the number of series the sources reported last.
    public init(
        store: SeriesStore,
        sources: [SourceStatus],
        timestamp: Double,
        interval: Double,
        selfCost: SelfCost = SelfCost()
    ) {
        var caches: [CacheView] = []
        var processors: [ProcessorView] = []
        var latencies: [LatencyView] = []
        var memory = MemoryView()
        var churn: [ChurnView] = []
        for source in store.sources {
            let view = SourceView(store: store, source: source)
            caches += view.caches()
            processors += view.processors()
            latencies += view.latencies()
            view.addSystemMemory(to: &memory)
            if let process = view.processMemory() {
                memory.processes.append(process)
            }
            churn += view.churn()
        }
        self.init(
            timestamp: timestamp,
            interval: interval,
            sources: sources,
            caches: caches,
            processors: processors,
            latencies: latencies,
            memory: memory,
            churn: churn,
            selfCost: selfCost
        )
    }
}

/// The series of one source, grouped by the label that names a cache, processor or distribution.
private struct SourceView {
    let store: SeriesStore
    let source: String

    private func series(_ name: String) -> [SeriesStore.Series] {
        self.store.series(source: self.source, named: name)
    }

    /// The series called `name` whose label `label` is `value`.
    private func series(_ name: String, _ label: String, _ value: String) -> [SeriesStore.Series] {
        self.series(name).filter { $0.id.label(label) == value }
    }

    private func names(of name: String, label: String) -> [String] {
        Array(Set(self.series(name).compactMap { $0.id.label(label) })).sorted()
    }

    private func sumOfRates(_ series: [SeriesStore.Series]) -> Double? {
        let rates = series.compactMap(\.rate)
        return rates.isEmpty ? nil : rates.reduce(0, +)
    }

    // MARK: - Caches

    func caches() -> [CacheView] {
        self.names(of: "cache_hits_total", label: "cache").map { cache in
            let hits = self.series("cache_hits_total", "cache", cache).first
            let misses = self.series("cache_misses_total", "cache", cache).first
            var view = CacheView(source: self.source, name: cache)
            if let hits, let misses {
                if let hitIncrease = hits.lastIncrease, let missIncrease = misses.lastIncrease {
                    let requests = hitIncrease + missIncrease
                    view.hitRate = requests > 0 ? hitIncrease / requests : nil
                }
                if let hitRate = hits.rate, let missRate = misses.rate {
                    view.requestsPerSecond = hitRate + missRate
                }
                if let hitCount = hits.latest, let missCount = misses.latest, hitCount + missCount > 0 {
                    view.lifetimeHitRate = hitCount / (hitCount + missCount)
                }
                view.hitRateHistory = Self.ratioHistory(hits: hits, misses: misses)
            }
            view.evictionsPerSecond = self.sumOfRates(self.series("cache_evictions_total", "cache", cache))
            view.entries = self.series("cache_entries", "cache", cache).first?.latest
            // A cache bounded only by weight reports Int.max entries of capacity: no entry bound to show.
            view.capacity = self.series("cache_capacity", "cache", cache).first?.latest.flatMap {
                $0 < Double(Int.max) ? $0 : nil
            }
            return view
        }
    }

    /// The hit ratio of each interval in which the cache served requests, oldest first.
    static func ratioHistory(hits: SeriesStore.Series, misses: SeriesStore.Series) -> [Double] {
        let missesByTime = Dictionary(misses.points.map { ($0.time, $0) }, uniquingKeysWith: { _, last in last })
        var history: [Double] = []
        for (earlier, later) in zip(hits.points.dropLast(), hits.points.dropFirst()) {
            guard let missEarlier = missesByTime[earlier.time], let missLater = missesByTime[later.time] else {
                continue
            }
            let hitIncrease = SeriesStore.Series.increase(from: earlier, to: later)
            let requests = hitIncrease + SeriesStore.Series.increase(from: missEarlier, to: missLater)
            if requests > 0 {
                history.append(hitIncrease / requests)
            }
        }
        return history
    }

    // MARK: - Processors

    func processors() -> [ProcessorView] {
        self.names(of: "processor_queue_depth", label: "processor").map { processor in
            let depth = self.series("processor_queue_depth", "processor", processor).first
            let tasks = self.series("processor_tasks_total", "processor", processor)
            return ProcessorView(
                source: self.source,
                name: processor,
                queueDepth: depth?.latest,
                inFlight: self.series("processor_in_flight", "processor", processor).first?.latest,
                concurrencyLimit: self.series("processor_concurrency_limit", "processor", processor).first?.latest,
                completedPerSecond: self.sumOfRates(tasks),
                failedPerSecond: self.sumOfRates(tasks.filter { $0.id.label("outcome") == "failed" }),
                depthHistory: depth.map { $0.points.map(\.value) } ?? []
            )
        }
    }

    // MARK: - Latency

    func latencies() -> [LatencyView] {
        var byDistribution: [SeriesID: LatencyView] = [:]
        for series in self.store.series(source: self.source)
        where series.kind == .summary && series.id.name.hasSuffix("_seconds") {
            guard let quantile = series.id.label("quantile").flatMap(Double.init), let value = series.latest else {
                continue
            }
            var labels = series.id.labelDictionary
            labels["quantile"] = nil
            let distribution = SeriesID(name: series.id.name, labels: labels)
            var view = byDistribution[distribution] ?? LatencyView(source: self.source, name: distribution.description)
            switch quantile {
            case 0.5: view.p50 = value
            case 0.95: view.p95 = value
            case 0.99: view.p99 = value
            default: break
            }
            byDistribution[distribution] = view
        }
        return byDistribution.sorted { $0.key < $1.key }.map(\.value)
    }

    // MARK: - Memory

    func addSystemMemory(to memory: inout MemoryView) {
        if let total = self.series("node_memory_MemTotal_bytes").first?.latest {
            memory.systemTotalBytes = total
        }
        if let available = self.series("node_memory_MemAvailable_bytes").first?.latest {
            memory.systemAvailableBytes = available
        }
        let machineCPU = self.series("node_cpu_seconds_total").filter { $0.id.label("cpu") == nil }
        let rates = machineCPU.compactMap { series in series.rate.map { (series.id.label("mode") ?? "", $0) } }
        let total = rates.reduce(0) { $0 + $1.1 }
        if total > 0 {
            let idle = rates.filter { $0.0 == "idle" || $0.0 == "iowait" }.reduce(0) { $0 + $1.1 }
            memory.systemCPUBusyPercent = (total - idle) / total * 100
        }
    }

    func processMemory() -> ProcessMemoryView? {
        guard let resident = self.series("process_resident_memory_bytes").first else {
            return nil
        }
        return ProcessMemoryView(
            source: self.source,
            residentBytes: resident.latest,
            residentHistory: resident.points.map(\.value)
        )
    }

    // MARK: - Allocation churn

    func churn() -> [ChurnView] {
        if let allocations = self.series("allocs_total").first {
            return [
                ChurnView(
                    source: self.source,
                    measure: "allocations",
                    origin: "allocator counters (allocs_total)",
                    perSecond: allocations.rate
                )
            ]
        }
        if let faults = self.series("process_minor_faults_total").first {
            return [
                ChurnView(
                    source: self.source,
                    measure: "minor faults",
                    origin: "/proc minor faults (no allocator counters)",
                    perSecond: faults.rate
                )
            ]
        }
        return []
    }
}
