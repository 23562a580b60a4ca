import PerfKit

/// Builds the dashboard's view model from the series store: the one place that derives hit rates,
/// throughput, percentiles, CPU busy share and churn from raw samples, by the well-known names of
/// docs/metrics.md.
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
            let distributions = view.latencies()
            caches += view.caches()
            processors += view.processors(latencies: distributions)
            latencies += distributions.map(\.view)
            view.addSystemMemory(to: &memory)
            if let process = view.processMemory() {
                memory.processes.append(process)
            }
            if let readouts = view.churn() {
                churn.append(readouts)
            }
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
struct SourceView {
    let store: SeriesStore
    let source: String

    func series(_ name: String) -> [SeriesStore.Series] {
        self.store.series(source: self.source, named: name)
    }

    /// The series called `name` whose label `label` is `value`.
    func series(_ name: String, _ label: String, _ value: String) -> [SeriesStore.Series] {
        self.series(name).filter { $0.id.label(label) == value }
    }

    private func names(of name: String, label: String) -> [String] {
        Array(Set(self.series(name).compactMap { $0.id.label(label) })).sorted()
    }

    func sumOfRates(_ series: [SeriesStore.Series]) -> Double? {
        let rates = series.compactMap(\.rate)
        return rates.isEmpty ? nil : rates.reduce(0, +)
    }

    // MARK: - Caches

    func caches() -> [CacheView] {
        self.names(of: MetricName.cacheHits, label: LabelName.cache).map { cache in
            let hits = self.series(MetricName.cacheHits, "cache", cache).first
            let misses = self.series(MetricName.cacheMisses, "cache", cache).first
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
            let evictions = self.series(MetricName.cacheEvictions, "cache", cache)
            view.evictionsPerSecond = self.sumOfRates(evictions)
            view.evictionsByCause = self.ratesByCause(evictions)
            view.entries = self.series(MetricName.cacheEntries, "cache", cache).first?.latest
            // A cache bounded only by weight reports Int.max entries of capacity: no entry bound to show.
            view.capacity = self.series(MetricName.cacheCapacity, "cache", cache).first?.latest.flatMap {
                $0 < Double(Int.max) ? $0 : nil
            }
            return view
        }
    }

    /// The eviction rate of each `cause` label, by cause; series without the label are left out
    /// (they still count in the total). Cost: O(series × causes).
    func ratesByCause(_ evictions: [SeriesStore.Series]) -> [EvictionRate] {
        Set(evictions.compactMap { $0.id.label(LabelName.cause) }).sorted().map { cause in
            EvictionRate(
                cause: cause,
                perSecond: self.sumOfRates(evictions.filter { $0.id.label(LabelName.cause) == cause })
            )
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

    /// The series whose `processor` labels name the processors a source has.
    private static let processorNames = [
        MetricName.processorQueueDepth, MetricName.processorInFlight, MetricName.processorConcurrencyLimit,
        MetricName.processorTasks,
        MetricName.processorSubmitted,
    ]

    func processors(latencies: [Distribution]) -> [ProcessorView] {
        let names = Set(Self.processorNames.flatMap { self.names(of: $0, label: LabelName.processor) })
        let p95ByDistribution = Dictionary(
            latencies.map { ($0.id, $0.view.p95) },
            uniquingKeysWith: { first, _ in first }
        )
        return names.sorted().map { processor in
            let gauge = { (name: String) in self.series(name, "processor", processor).first?.latest }
            let depth = self.series(MetricName.processorQueueDepth, "processor", processor).first
            let running = self.series(MetricName.processorInFlight, "processor", processor).first
            let tasks = self.series(MetricName.processorTasks, "processor", processor)
            let outcomes = { (outcomes: Set<String>) in
                self.sumOfRates(tasks.filter { $0.id.label(LabelName.outcome).map(outcomes.contains) ?? false })
            }
            let labels = [LabelName.processor: processor]
            return ProcessorView(
                source: self.source,
                name: processor,
                queueDepth: depth?.latest,
                queueCapacity: gauge(MetricName.processorQueueCapacity),
                inFlight: running?.latest,
                concurrencyLimit: gauge(MetricName.processorConcurrencyLimit),
                succeededPerSecond: outcomes(["succeeded"]),
                failedPerSecond: outcomes(["failed", "timed_out"]),
                rejectedPerSecond: outcomes(["rejected", "dropped"]),
                retriesPerSecond: self.sumOfRates(self.series(MetricName.processorRetries, "processor", processor)),
                oldestQueuedSeconds: gauge(MetricName.processorOldestQueuedSeconds),
                waitP95: p95ByDistribution[SeriesID(name: MetricName.processorWaitSeconds, labels: labels)] ?? nil,
                serviceP95: p95ByDistribution[SeriesID(name: MetricName.processorServiceSeconds, labels: labels)]
                    ?? nil,
                depthHistory: depth.map { $0.points.map(\.value) } ?? [],
                inFlightHistory: running.map { $0.points.map(\.value) } ?? []
            )
        }
    }

    // MARK: - Latency

    /// One latency distribution: its identity (the summary's name and labels without `quantile`)
    /// and its view.
    struct Distribution {
        let id: SeriesID
        let view: LatencyView
    }

    /// Every `*_seconds` summary the source reported last, by its quantile samples or its `_count`:
    /// processors first (wait before service), then operations, then the rest, each by name.
    func latencies() -> [Distribution] {
        let current = self.store.series(source: self.source)
        var quantilesByID: [SeriesID: [(quantile: Double, series: SeriesStore.Series)]] = [:]
        var countsByID: [SeriesID: SeriesStore.Series] = [:]
        for series in current where series.kind == .summary {
            if series.id.name.hasSuffix(MetricName.secondsSuffix),
                let quantile = series.id.label(LabelName.quantile).flatMap(Double.init)
            {
                var labels = series.id.labelDictionary
                labels[LabelName.quantile] = nil
                quantilesByID[SeriesID(name: series.id.name, labels: labels), default: []].append((quantile, series))
            } else if series.id.name.hasSuffix("_seconds_count") {
                let name = String(series.id.name.dropLast(MetricName.countSuffix.count))
                countsByID[SeriesID(name: name, labels: series.id.labelDictionary)] = series
            }
        }
        let ids = Set(quantilesByID.keys).union(countsByID.keys)
        let distributions = ids.map { id in
            let quantiles = quantilesByID[id] ?? []
            let value = { (quantile: Double) in quantiles.first { $0.quantile == quantile }?.series.latest }
            var p95Labels = id.labelDictionary
            p95Labels[LabelName.quantile] = "0.95"
            let p95Series =
                quantiles.first { $0.quantile == 0.95 }?.series
                ?? self.store.series(source: self.source, id: SeriesID(name: id.name, labels: p95Labels))
            let title = Self.latencyTitle(id)
            let view = LatencyView(
                source: self.source,
                name: title.name,
                distribution: id.description,
                p50: value(0.5),
                p95: value(0.95),
                p99: value(0.99),
                max: value(1),
                requestsPerSecond: countsByID[id]?.rate,
                p95History: p95Series.map { $0.points.map(\.value) } ?? []
            )
            return (order: title.order, distribution: Distribution(id: id, view: view))
        }
        return distributions.sorted {
            ($0.order.group, $0.order.subject, $0.order.phase, $0.distribution.id)
                < ($1.order.group, $1.order.subject, $1.order.phase, $1.distribution.id)
        }
        .map(\.distribution)
    }

    /// The short name a distribution is shown by and where it sorts: `jobs wait` and `jobs service`
    /// (group 0) for a processor's summaries, the `op` label for `operation_seconds` (group 1),
    /// otherwise the identity (group 2).
    static func latencyTitle(_ id: SeriesID) -> (name: String, order: (group: Int, subject: String, phase: Int)) {
        let labels = id.labelDictionary
        if labels.count == 1, let processor = labels[LabelName.processor] {
            switch id.name {
            case MetricName.processorWaitSeconds: return (processor + " wait", (0, processor, 0))
            case MetricName.processorServiceSeconds: return (processor + " service", (0, processor, 1))
            default: break
            }
        }
        if id.name == MetricName.operationSeconds, labels.count == 1, let operation = labels[LabelName.operation] {
            return (operation, (1, operation, 0))
        }
        return (id.description, (2, id.description, 0))
    }

    // MARK: - Memory

    func addSystemMemory(to memory: inout MemoryView) {
        if let total = self.series(MetricName.nodeMemoryTotal).first?.latest {
            memory.systemTotalBytes = total
        }
        if let available = self.series(MetricName.nodeMemoryAvailable).first?.latest {
            memory.systemAvailableBytes = available
        }
        var machine: [SeriesStore.Series] = []
        var cores: [Int: [SeriesStore.Series]] = [:]
        for series in self.series(MetricName.nodeCPUSeconds) {
            if let label = series.id.label(LabelName.cpu) {
                if let core = Int(label) {
                    cores[core, default: []].append(series)
                }
            } else {
                machine.append(series)
            }
        }
        // Every source's view runs this; only the one reporting CPU time may set the figures.
        if let busy = Self.busyPercent(machine) {
            memory.systemCPUBusyPercent = busy
        }
        let perCore = cores.keys.sorted().compactMap { Self.busyPercent(cores[$0] ?? []) }
        if !perCore.isEmpty, perCore.count == cores.count {
            memory.perCoreBusyPercent = perCore
        }
    }

    /// The busy share, 0 to 100, of CPU time split by `mode` over the last interval: everything but
    /// `idle` and `iowait`; `nil` before two readings.
    private static func busyPercent(_ modes: [SeriesStore.Series]) -> Double? {
        var total = 0.0
        var idle = 0.0
        for series in modes {
            guard let rate = series.rate else {
                continue
            }
            total += rate
            if let mode = series.id.label(LabelName.mode), mode == "idle" || mode == "iowait" {
                idle += rate
            }
        }
        return total > 0 ? (total - idle) / total * 100 : nil
    }
}
