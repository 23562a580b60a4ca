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
        self.init(
            store: store,
            sources: sources,
            timestamp: timestamp,
            interval: interval,
            selfCost: selfCost,
            latencyLayouts: nil
        )
    }

    /// ``init(store:sources:timestamp:interval:selfCost:)``, grouping the latency distributions of
    /// a source again only when its series changed since the layouts `latencyLayouts` keeps, and
    /// keeping this round's there.
    init(
        store: SeriesStore,
        sources: [SourceStatus],
        timestamp: Double,
        interval: Double,
        selfCost: SelfCost,
        latencyLayouts: LatencyLayouts?
    ) {
        var caches: [CacheView] = []
        var processors: [ProcessorView] = []
        var latencies: [LatencyView] = []
        var memory = MemoryView()
        var churn: [ChurnView] = []
        var queries: [QueriesView] = []
        var fleet: [String: FleetRow] = [:]
        let states = Dictionary(sources.map { ($0.name, $0.state) }, uniquingKeysWith: { first, _ in first })
        let previousLayouts = latencyLayouts?.layouts ?? [:]
        var layouts: [String: LatencyLayout] = [:]
        for source in store.sources {
            let view = SourceView(store: store, source: source)
            let distributions = view.latencies(reusing: previousLayouts[source])
            if distributions.layout.stamp != nil {
                layouts[source] = distributions.layout
            }
            let (cacheCount, processorCount, latencyCount) = (caches.count, processors.count, latencies.count)
            caches += view.caches()
            processors += view.processors()
            latencies += distributions.views
            view.addSystemMemory(to: &memory)
            let process = view.processMemory()
            if let process {
                memory.processes.append(process)
            }
            fleet[source] = FleetRow(
                source: source,
                state: states[source] ?? .ok,
                caches: caches[cacheCount...],
                processors: processors[processorCount...],
                latencies: latencies[latencyCount...],
                process: process,
                heapGrowthBytesPerSecond: view.heapGrowthPerSecond(),
                cpuPercent: view.cpuPercent()
            )
            if let readouts = view.churn() {
                churn.append(readouts)
            }
            if let statements = view.queries() {
                queries.append(statements)
            }
        }
        latencyLayouts?.layouts = layouts
        self.init(
            timestamp: timestamp,
            interval: interval,
            sources: sources,
            caches: caches,
            processors: processors,
            latencies: latencies,
            memory: memory,
            churn: churn,
            queries: queries,
            fleet: sources.map { fleet[$0.name] ?? FleetRow(source: $0.name, state: $0.state) },
            selfCost: selfCost
        )
    }
}
