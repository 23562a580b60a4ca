import PerfKit

extension DashboardModel {
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
        add(SystemFeed.sourceName, "perftop_cpu_busy_percent", [:], self.memory.systemCPUBusyPercent)
        for (core, busy) in self.memory.perCoreBusyPercent.enumerated() {
            add(SystemFeed.sourceName, "perftop_cpu_busy_percent", ["cpu": String(core)], busy)
        }
        add(SystemFeed.sourceName, "perftop_memory_available_bytes", [:], self.memory.systemAvailableBytes)
        for cache in self.caches {
            let labels = ["cache": cache.name]
            add(cache.source, "perftop_cache_hit_ratio", labels, cache.hitRate)
            add(cache.source, "perftop_cache_requests_per_second", labels, cache.requestsPerSecond)
            add(cache.source, "perftop_cache_evictions_per_second", labels, cache.evictionsPerSecond)
        }
        for processor in self.processors {
            let labels = ["processor": processor.name]
            add(processor.source, "perftop_processor_succeeded_per_second", labels, processor.succeededPerSecond)
            add(processor.source, "perftop_processor_failed_per_second", labels, processor.failedPerSecond)
            add(processor.source, "perftop_processor_rejected_per_second", labels, processor.rejectedPerSecond)
            add(processor.source, "perftop_processor_retries_per_second", labels, processor.retriesPerSecond)
        }
        for latency in self.latencies {
            let labels = ["distribution": latency.distribution]
            add(latency.source, "perftop_latency_p95_seconds", labels, latency.p95)
            add(latency.source, "perftop_latency_p99_seconds", labels, latency.p99)
            add(latency.source, "perftop_latency_requests_per_second", labels, latency.requestsPerSecond)
        }
        for churn in self.churn {
            for readout in churn.readouts {
                let labels = ["measure": readout.measure]
                switch readout.unit {
                case .perSecond: add(churn.source, "perftop_churn_per_second", labels, readout.value)
                case .bytesPerSecond: add(churn.source, "perftop_churn_bytes_per_second", labels, readout.value)
                case .seconds: add(churn.source, "perftop_churn_seconds", labels, readout.value)
                case .bytes: break
                }
            }
        }
        let failing = Set(self.sources.filter { $0.state != .ok && $0.state != .pending }.map(\.name))
        return derived.filter { !failing.contains($0.0) }
    }
}
