// MARK: - SampleSource

extension DiskCache: SampleSource {
    /// The disk tier's samples, all labelled `cache=<name>` and `tier="disk"`.
    ///
    /// In this order: `cache_hits_total`, `cache_misses_total`, `cache_writes_total`,
    /// `cache_evictions_total` with `cause="size"`, `cache_invalidations_total` (source file changed) and
    /// `cache_corrupt_entries_total` (counters), then `cache_entries`, `cache_bytes` and
    /// `cache_capacity_bytes` (gauges). Cost: one lock and nine samples; no file I/O.
    public func collectSamples() -> [Sample] {
        let stats = self.stats
        let labels = ["cache": self.name, "tier": "disk"]
        let sizeLabels = labels.merging(["cause": "size"]) { $1 }
        let values: [(name: String, labels: [String: String], kind: Sample.Kind, value: Int)] = [
            ("cache_hits_total", labels, .counter, stats.hits),
            ("cache_misses_total", labels, .counter, stats.misses),
            ("cache_writes_total", labels, .counter, stats.writes),
            ("cache_evictions_total", sizeLabels, .counter, stats.evictions),
            ("cache_invalidations_total", labels, .counter, stats.invalidations),
            ("cache_corrupt_entries_total", labels, .counter, stats.corruptEntries),
            ("cache_entries", labels, .gauge, stats.entries),
            ("cache_bytes", labels, .gauge, stats.bytes),
            ("cache_capacity_bytes", labels, .gauge, stats.maxBytes),
        ]
        return values.map { Sample(name: $0.name, labels: $0.labels, kind: $0.kind, value: Double($0.value)) }
    }
}
