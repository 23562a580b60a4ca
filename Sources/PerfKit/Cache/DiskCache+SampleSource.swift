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
        let labels = [LabelName.cache: self.name, LabelName.tier: LabelValue.CacheTier.disk.rawValue]
        let sizeLabels = labels.merging([LabelName.cause: CacheEvictionCause.size.rawValue]) { $1 }
        let values: [(name: String, labels: [String: String], kind: Sample.Kind, value: Int)] = [
            (MetricName.cacheHits, labels, .counter, stats.hits),
            (MetricName.cacheMisses, labels, .counter, stats.misses),
            (MetricName.cacheWrites, labels, .counter, stats.writes),
            (MetricName.cacheEvictions, sizeLabels, .counter, stats.evictions),
            (MetricName.cacheInvalidations, labels, .counter, stats.invalidations),
            (MetricName.cacheCorruptEntries, labels, .counter, stats.corruptEntries),
            (MetricName.cacheEntries, labels, .gauge, stats.entries),
            (MetricName.cacheBytes, labels, .gauge, stats.bytes),
            (MetricName.cacheCapacityBytes, labels, .gauge, stats.maxBytes),
        ]
        return values.map { Sample(name: $0.name, labels: $0.labels, kind: $0.kind, value: Double($0.value)) }
    }
}
