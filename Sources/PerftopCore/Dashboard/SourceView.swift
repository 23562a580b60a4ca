import PerfKit

/// The series of one source as the dashboard reads them: by the well-known names of PerfKit's
/// vocabulary, grouped by the label that names a cache, processor or distribution, with every rate
/// and ratio from the one window math (``SeriesStore/Series``) over ``DashboardModel/window``.
///
/// Cost: each lookup reads only the series of one metric name (the store's index), so building a
/// source's views is linear in the series it reported.
struct SourceView {
    let source: String
    /// The source's series, found once in the store: a lookup by name hashes only the name.
    let index: SeriesStore.SourceIndex
    /// The window of every rate and ratio the views show.
    var window: Window
    /// Whether the views are for the dashboard: with their histories for the graphs and the details
    /// only panes show (a cache's lifetime hit rate, similarity and tiers). The advisor needs none.
    var isForDisplay: Bool

    /// The views of `source` in `store` over `window`, for the dashboard unless `isForDisplay` is false.
    init(store: SeriesStore, source: String, window: Window = DashboardModel.window, isForDisplay: Bool = true) {
        self.source = source
        self.index = store.index(of: source)
        self.window = window
        self.isForDisplay = isForDisplay
    }

    func series(_ name: String) -> [SeriesStore.Series] {
        self.index.series(named: name)
    }

    /// The series called `name` whose label `label` is `value`.
    func series(_ name: String, _ label: String, _ value: String) -> [SeriesStore.Series] {
        self.series(name).filter { $0.id.label(label) == value }
    }

    // Scans read the series in place: iterating an array of them copies each one (four references).

    /// The distinct values of the label `label` among `series`, sorted; series without it are left out.
    /// Sorted, then deduplicated: a source has a few caches or processors, and hashing each value
    /// for a set cost more than comparing them.
    static func values(of label: String, in series: [SeriesStore.Series]) -> [String] {
        var values = series.withUnsafeBufferPointer { series in
            var values: [String] = []
            for index in series.indices {
                if let value = series[index].id.label(label) {
                    values.append(value)
                }
            }
            return values
        }
        values.sort()
        var distinct = values.isEmpty ? 0 : 1
        for index in values.indices.dropFirst() where values[index] != values[distinct - 1] {
            values.swapAt(index, distinct)
            distinct += 1
        }
        values.removeLast(values.count - distinct)
        return values
    }

    /// The series of `series` whose label `label` is `value`.
    static func labelled(_ series: [SeriesStore.Series], _ label: String, _ value: String) -> [SeriesStore.Series] {
        series.withUnsafeBufferPointer { series in
            var labelled: [SeriesStore.Series] = []
            for index in series.indices where series[index].id.label(label) == value {
                labelled.append(series[index])
            }
            return labelled
        }
    }

    /// The first series of `series` whose label `label` is `value`.
    static func first(_ series: [SeriesStore.Series], _ label: String, _ value: String) -> SeriesStore.Series? {
        series.withUnsafeBufferPointer { series in
            series.firstIndex { $0.id.label(label) == value }.map { series[$0] }
        }
    }

    /// The points of `series` for a graph, or none when the views carry no histories.
    func history(_ series: SeriesStore.Series?) -> PointHistory {
        guard self.isForDisplay, let series else {
            return []
        }
        return series.points
    }

    /// The summed rate of `series` over the view's window, or nil when none has one.
    func rate(_ series: [SeriesStore.Series]) -> Double? {
        SeriesStore.Series.sumOfRates(series, over: self.window)?.value
    }

    // MARK: - Caches

    /// A cache's view and what the advisor weighs besides: its hit rate with the span it covers, and
    /// the fewest points its hit and miss counters hold (nil for both without those counters).
    struct CacheFindings {
        var view: CacheView
        var hitRate: Derived?
        var counterPoints: Int?
    }

    func caches() -> [CacheView] {
        self.cacheFindings().map(\.view)
    }

    func cacheFindings() -> [CacheFindings] {
        let (hits, misses) = (self.series(MetricName.cacheHits), self.series(MetricName.cacheMisses))
        let evictions = self.series(MetricName.cacheEvictions)
        let (entries, capacities) = (self.series(MetricName.cacheEntries), self.series(MetricName.cacheCapacity))
        let similarHits = self.series(MetricName.cacheSimilarHits)
        let tiersUp = self.series(MetricName.cacheTierUp)
        let first = { (series: [SeriesStore.Series], cache: String) in Self.first(series, LabelName.cache, cache) }
        return Self.values(of: LabelName.cache, in: hits).map { cache in
            var findings = CacheFindings(view: CacheView(source: self.source, name: cache))
            if let hits = first(hits, cache), let misses = first(misses, cache) {
                findings.hitRate = SeriesStore.Series.share(of: hits, and: misses, over: self.window)
                findings.counterPoints = min(hits.points.count, misses.points.count)
                findings.view.hitRate = findings.hitRate?.value
                findings.view.requestsPerSecond = self.rate([hits, misses])
                if self.isForDisplay {
                    if let hitCount = hits.latest, let missCount = misses.latest, hitCount + missCount > 0 {
                        findings.view.lifetimeHitRate = hitCount / (hitCount + missCount)
                    }
                    findings.view.hitRateTrend = .shares(of: hits, and: misses)
                }
            }
            if self.isForDisplay, let similar = first(similarHits, cache) {
                self.addSimilarity(to: &findings.view, similarHits: similar, hits: first(hits, cache))
            }
            let evictions = Self.labelled(evictions, LabelName.cache, cache)
            findings.view.evictionsPerSecond = self.rate(evictions)
            findings.view.evictionsByCause = self.ratesByCause(evictions)
            findings.view.entries = first(entries, cache)?.latest
            if self.isForDisplay {
                findings.view.downTiers = Self.labelled(tiersUp, LabelName.cache, cache).compactMap { tier in
                    tier.latest == 0 ? tier.id.label(LabelName.tier) : nil
                }
            }
            // A cache bounded only by weight reports Int.max entries of capacity: no entry bound to show.
            findings.view.capacity = first(capacities, cache)?.latest.flatMap {
                $0 < Double(Int.max) ? $0 : nil
            }
            return findings
        }
    }

    /// The `cache_similarity` histogram's `_sum` and `_count`, named once: a joined name is a new string
    /// on the heap each time.
    private static let similaritySum = MetricName.cacheSimilarity + MetricName.sumSuffix
    private static let similarityCount = MetricName.cacheSimilarity + MetricName.countSuffix

    /// A semantic cache's share of similar hits and their mean similarity over the window, from
    /// `cache_similar_hits_total` and the `cache_similarity` histogram's `_sum` and `_count`.
    private func addSimilarity(to view: inout CacheView, similarHits: SeriesStore.Series, hits: SeriesStore.Series?) {
        if let hits {
            view.similarShareOfHits =
                SeriesStore.Series.meanPerEvent(total: similarHits, count: hits, over: self.window)?
                .value
        }
        let label = (LabelName.cache, view.name)
        if let sum = Self.first(self.series(Self.similaritySum), label.0, label.1),
            let count = Self.first(self.series(Self.similarityCount), label.0, label.1)
        {
            view.meanSimilarity = SeriesStore.Series.meanPerEvent(total: sum, count: count, over: self.window)?.value
        }
    }

    /// The eviction rate of each `cause` label, by cause; series without the label are left out
    /// (they still count in the total). Cost: O(series × causes).
    func ratesByCause(_ evictions: [SeriesStore.Series]) -> [EvictionRate] {
        Self.values(of: LabelName.cause, in: evictions).map { cause in
            EvictionRate(cause: cause, perSecond: self.rate(Self.labelled(evictions, LabelName.cause, cause)))
        }
    }

    // MARK: - Processors

    /// The series whose `processor` labels name the processors a source has.
    private static let processorNames = [
        MetricName.processorQueueDepth, MetricName.processorInFlight, MetricName.processorConcurrencyLimit,
        MetricName.processorTasks, MetricName.processorSubmitted,
    ]

    /// The series a processor's row reads.
    private static let processorRowNames =
        Self.processorNames + [
            MetricName.processorQueueCapacity, MetricName.processorRetries, MetricName.processorOldestQueuedSeconds,
        ]

    /// The outcomes each processor column counts.
    static let succeeded: Set<ProcessorOutcome> = [.succeeded]
    static let failed: Set<ProcessorOutcome> = [.failed, .timedOut]
    static let refused: Set<ProcessorOutcome> = [.rejected, .dropped]

    /// The tasks of `tasks` (a processor's `processor_tasks_total` series) that ended in one of `outcomes`.
    static func tasks(_ tasks: [SeriesStore.Series], endingIn outcomes: Set<ProcessorOutcome>) -> [SeriesStore.Series] {
        tasks.filter { series in
            series.id.label(LabelName.outcome).flatMap(ProcessorOutcome.init(rawValue:)).map(outcomes.contains) ?? false
        }
    }

    /// A processor's view and the series and rate the advisor weighs besides, as the view found them.
    struct ProcessorFindings {
        var view: ProcessorView
        var oldestQueued: SeriesStore.Series?
        var inFlight: SeriesStore.Series?
        var concurrencyLimit: SeriesStore.Series?
        /// Its `processor_tasks_total` series, every outcome.
        var tasks: [SeriesStore.Series]
        /// The tasks rejected or dropped, and their summed rate over the window.
        var refused: [SeriesStore.Series]
        var refusedRate: Derived?
    }

    /// Every processor the source reports, by name. The wait and service p95s are the summaries'
    /// `quantile="0.95"` series, as the latency pane shows them.
    func processors() -> [ProcessorView] {
        self.processorFindings().map(\.view)
    }

    func processorFindings() -> [ProcessorFindings] {
        let byName = Self.processorRowNames.map { (name: $0, series: self.series($0)) }
        let names = Self.values(
            of: LabelName.processor,
            in: byName.filter { Self.processorNames.contains($0.name) }.flatMap(\.series)
        )
        let (waits, services) = (
            self.series(MetricName.processorWaitSeconds), self.series(MetricName.processorServiceSeconds)
        )
        return names.map { processor in
            let series = { (name: String) in
                Self.labelled(byName.first { $0.name == name }?.series ?? [], LabelName.processor, processor)
            }
            let gauge = { (name: String) in series(name).first?.latest }
            let p95 = { (summaries: [SeriesStore.Series]) in
                summaries.first {
                    $0.id.labels.count == 2 && $0.id.label(LabelName.processor) == processor
                        && $0.id.label(LabelName.quantile) == LabelValue.Quantile.p95
                }?.latest
            }
            let depth = series(MetricName.processorQueueDepth).first
            let running = series(MetricName.processorInFlight).first
            let limit = series(MetricName.processorConcurrencyLimit).first
            let oldest = series(MetricName.processorOldestQueuedSeconds).first
            let tasks = series(MetricName.processorTasks)
            let refused = Self.tasks(tasks, endingIn: Self.refused)
            let refusedRate = SeriesStore.Series.sumOfRates(refused, over: self.window)
            let view = ProcessorView(
                source: self.source,
                name: processor,
                queueDepth: depth?.latest,
                queueCapacity: gauge(MetricName.processorQueueCapacity),
                inFlight: running?.latest,
                concurrencyLimit: limit?.latest,
                succeededPerSecond: self.rate(Self.tasks(tasks, endingIn: Self.succeeded)),
                failedPerSecond: self.rate(Self.tasks(tasks, endingIn: Self.failed)),
                rejectedPerSecond: refusedRate?.value,
                retriesPerSecond: self.rate(series(MetricName.processorRetries)),
                oldestQueuedSeconds: oldest?.latest,
                waitP95: p95(waits),
                serviceP95: p95(services),
                depthHistory: self.history(depth),
                inFlightHistory: self.history(running)
            )
            return ProcessorFindings(
                view: view,
                oldestQueued: oldest,
                inFlight: running,
                concurrencyLimit: limit,
                tasks: tasks,
                refused: refused,
                refusedRate: refusedRate
            )
        }
    }

    // MARK: - Latency

    /// Every `*_seconds` summary the source reported last, by its quantile samples or its `_count`,
    /// in ``latencyLayout()``'s order, with the layout they were read by. `previous` is kept when
    /// the source's current series are those it was found for (its stamp is the index's), so a round
    /// only reads the values; otherwise the summaries are grouped again. Cost: a hash of a name per
    /// series read, plus the grouping when it is done.
    func latencies(reusing previous: LatencyLayout?) -> (views: [LatencyView], layout: LatencyLayout) {
        if let previous, let stamp = previous.stamp, stamp == self.index.currentSeriesStamp,
            let views = self.latencies(previous)
        {
            return (views, previous)
        }
        let layout = self.latencyLayout()
        return (self.latencies(layout) ?? [], layout)
    }

    /// The views of the distributions of `layout`, read from this round's series; nil when a series
    /// the layout places is not where it says.
    func latencies(_ layout: LatencyLayout) -> [LatencyView]? {
        var views: [LatencyView] = []
        views.reserveCapacity(layout.distributions.count)
        var isMoved = false
        func read(_ place: SeriesStore.SourceIndex.Place?) -> SeriesStore.Series? {
            guard let place else {
                return nil
            }
            let series = self.index.series(at: place)
            isMoved = isMoved || series == nil
            return series
        }
        for distribution in layout.distributions {
            views.append(
                LatencyView(
                    source: self.source,
                    name: distribution.name,
                    distribution: distribution.identity,
                    p50: read(distribution.p50)?.latest,
                    p95: read(distribution.p95)?.latest,
                    p99: read(distribution.p99)?.latest,
                    max: read(distribution.maximum)?.latest,
                    requestsPerSecond: read(distribution.count)?.rate(over: self.window)?.value,
                    p95History: self.history(read(distribution.p95History))
                )
            )
            if isMoved {
                return nil
            }
        }
        return views
    }

    /// Groups the `*_seconds` summaries the source reported last into distributions, by their
    /// quantile samples or their `_count`: processors first (wait before service), then operations,
    /// then the rest, each by name. Cost: hashes and sorts the identities of those summaries.
    func latencyLayout() -> LatencyLayout {
        let countSuffix = MetricName.secondsSuffix + MetricName.countSuffix
        let current = self.index.series(
            namesWhere: { $0.hasSuffix(MetricName.secondsSuffix) || $0.hasSuffix(countSuffix) }
        )
        var quantilesByID: [SeriesID: [(quantile: String, id: SeriesID)]] = [:]
        var countsByID: [SeriesID: SeriesID] = [:]
        for series in current where series.kind == .summary {
            if series.id.name.hasSuffix(MetricName.secondsSuffix), let quantile = series.id.label(LabelName.quantile) {
                quantilesByID[series.id.removingLabel(LabelName.quantile), default: []].append((quantile, series.id))
            } else if series.id.name.hasSuffix(countSuffix) {
                let name = String(series.id.name.dropLast(MetricName.countSuffix.count))
                countsByID[series.id.renamed(to: name)] = series.id
            }
        }
        let ids = Set(quantilesByID.keys).union(countsByID.keys)
        let distributions = ids.map { id in
            let quantiles = quantilesByID[id] ?? []
            let quantile = { (value: String) in
                quantiles.first { $0.quantile == value }.flatMap { self.index.place(of: $0.id) }
            }
            let p95 = quantile(LabelValue.Quantile.p95)
            let title = Self.latencyTitle(id)
            let distribution = LatencyLayout.Distribution(
                name: title.name,
                identity: id.description,
                p50: quantile(LabelValue.Quantile.p50),
                p95: p95,
                p99: quantile(LabelValue.Quantile.p99),
                maximum: quantile(LabelValue.Quantile.maximum),
                count: countsByID[id].flatMap { self.index.place(of: $0) },
                p95History: p95
                    ?? self.index.place(of: id.settingLabel(LabelName.quantile, to: LabelValue.Quantile.p95))
            )
            return (order: title.order, id: id, distribution: distribution)
        }
        let sorted = distributions.sorted {
            ($0.order.group, $0.order.subject, $0.order.phase, $0.id) < (
                $1.order.group, $1.order.subject, $1.order.phase, $1.id
            )
        }
        return LatencyLayout(stamp: self.index.currentSeriesStamp, distributions: sorted.map(\.distribution))
    }

    /// The short name a distribution is shown by and where it sorts: `jobs wait` and `jobs service`
    /// (group 0) for a processor's summaries, the `op` label for `operation_seconds` and `redis get`
    /// for a Redis command (group 1), otherwise the identity (group 2).
    static func latencyTitle(_ id: SeriesID) -> (name: String, order: (group: Int, subject: String, phase: Int)) {
        let only = id.labels.count == 1 ? id.labels[0] : nil
        if let only, only.name == LabelName.processor {
            switch id.name {
            case MetricName.processorWaitSeconds: return (only.value + " wait", (0, only.value, 0))
            case MetricName.processorServiceSeconds: return (only.value + " service", (0, only.value, 1))
            default: break
            }
        }
        if id.name == MetricName.operationSeconds, let only, only.name == LabelName.operation {
            return (only.value, (1, only.value, 0))
        }
        if id.name == MetricName.redisCommandSeconds, let only, only.name == LabelName.command {
            return ("redis " + only.value, (1, "redis " + only.value, 0))
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
        if let busy = self.busyPercent(machine) {
            memory.systemCPUBusyPercent = busy
        }
        let perCore = cores.keys.sorted().compactMap { self.busyPercent(cores[$0] ?? []) }
        if !perCore.isEmpty, perCore.count == cores.count {
            memory.perCoreBusyPercent = perCore
        }
    }

    /// The busy share, 0 to 100, of CPU time split by `mode` over the view's window: everything but
    /// `idle` and `iowait`; `nil` before two readings.
    private func busyPercent(_ modes: [SeriesStore.Series]) -> Double? {
        let idle = modes.filter {
            $0.id.label(LabelName.mode).flatMap(LabelValue.CPUMode.init(rawValue:))?.isIdle == true
        }
        guard let total = self.rate(modes), total > 0 else {
            return nil
        }
        return (total - (self.rate(idle) ?? 0)) / total * 100
    }
}
