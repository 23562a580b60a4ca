import PerfKit

extension DashboardModel {
    /// The names of the series ``derivedSamples()`` makes, which a replay skips and derives again.
    public static let derivedNames: Set<String> = [
        MetricName.derivedCPUBusyPercent, MetricName.derivedMemoryAvailable, MetricName.derivedCacheHitRatio,
        MetricName.derivedCacheRequestsPerSecond, MetricName.derivedCacheEvictionsPerSecond,
        MetricName.derivedProcessorSucceededPerSecond, MetricName.derivedProcessorFailedPerSecond,
        MetricName.derivedProcessorRejectedPerSecond, MetricName.derivedProcessorRetriesPerSecond,
        MetricName.derivedLatencyP95, MetricName.derivedLatencyP99, MetricName.derivedLatencyRequestsPerSecond,
        MetricName.derivedChurnPerSecond, MetricName.derivedChurnBytesPerSecond, MetricName.derivedChurnSeconds,
    ]

    /// The values perftop derives for its panes, as samples named `perftop_*`, each with its source.
    ///
    /// Exporters write these next to the raw samples so a spreadsheet gets the same hit rates,
    /// rates, percentiles and CPU share the screen shows. Values a pane shows as "no data" are left
    /// out, and so are values the raw samples already hold as they are (gauges such as the heap in use).
    /// A source whose last poll failed (stale or down) gets none: its values would be the last good
    /// ones repeated, which a trend must not mistake for fresh readings.
    public func derivedSamples() -> [(source: String, sample: Sample)] {
        var derived: [(String, Sample)] = []
        func add(_ source: String, _ name: String, _ labels: [String: String], _ value: Double?) {
            if let value {
                derived.append((source, Sample(name: name, labels: labels, kind: .gauge, value: value)))
            }
        }
        add(SystemFeed.sourceName, MetricName.derivedCPUBusyPercent, [:], self.memory.systemCPUBusyPercent)
        for (core, busy) in self.memory.perCoreBusyPercent.enumerated() {
            add(SystemFeed.sourceName, MetricName.derivedCPUBusyPercent, [LabelName.cpu: String(core)], busy)
        }
        add(SystemFeed.sourceName, MetricName.derivedMemoryAvailable, [:], self.memory.systemAvailableBytes)
        for cache in self.caches {
            let labels = [LabelName.cache: cache.name]
            add(cache.source, MetricName.derivedCacheHitRatio, labels, cache.hitRate)
            add(cache.source, MetricName.derivedCacheRequestsPerSecond, labels, cache.requestsPerSecond)
            add(cache.source, MetricName.derivedCacheEvictionsPerSecond, labels, cache.evictionsPerSecond)
        }
        for processor in self.processors {
            let labels = [LabelName.processor: processor.name]
            add(processor.source, MetricName.derivedProcessorSucceededPerSecond, labels, processor.succeededPerSecond)
            add(processor.source, MetricName.derivedProcessorFailedPerSecond, labels, processor.failedPerSecond)
            add(processor.source, MetricName.derivedProcessorRejectedPerSecond, labels, processor.rejectedPerSecond)
            add(processor.source, MetricName.derivedProcessorRetriesPerSecond, labels, processor.retriesPerSecond)
        }
        for latency in self.latencies {
            let labels = [LabelName.distribution: latency.distribution]
            add(latency.source, MetricName.derivedLatencyP95, labels, latency.p95)
            add(latency.source, MetricName.derivedLatencyP99, labels, latency.p99)
            add(latency.source, MetricName.derivedLatencyRequestsPerSecond, labels, latency.requestsPerSecond)
        }
        for churn in self.churn {
            for readout in churn.readouts {
                let labels = [LabelName.measure: readout.measure]
                switch readout.unit {
                case .perSecond: add(churn.source, MetricName.derivedChurnPerSecond, labels, readout.value)
                case .bytesPerSecond: add(churn.source, MetricName.derivedChurnBytesPerSecond, labels, readout.value)
                case .seconds: add(churn.source, MetricName.derivedChurnSeconds, labels, readout.value)
                case .bytes: break
                }
            }
        }
        let failing = Set(self.sources.filter { $0.state != .ok && $0.state != .pending }.map(\.name))
        return derived.filter { !failing.contains($0.0) }
    }
}
