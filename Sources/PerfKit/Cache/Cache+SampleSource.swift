// MARK: - SampleSource

extension Cache: SampleSource {
    /// The cache's well-known samples, all labelled `cache=<name>`.
    ///
    /// In this order: `cache_hits_total`, `cache_misses_total` (counters), `cache_evictions_total`
    /// once per ``CacheEvictionCause`` with a `cause` label, even when zero (counters),
    /// `cache_entries`, `cache_capacity` (only when the entry count is bounded, so a cache bounded by
    /// weight alone exports no invented capacity) and `cache_weight` (gauges). Cost: one lock and up to
    /// nine samples.
    public func collectSamples() -> [Sample] {
        let stats = self.stats
        let cacheLabel = [LabelName.cache: self.name]
        var samples = [
            Sample(name: MetricName.cacheHits, labels: cacheLabel, kind: .counter, value: Double(stats.hits)),
            Sample(name: MetricName.cacheMisses, labels: cacheLabel, kind: .counter, value: Double(stats.misses)),
        ]
        for cause in CacheEvictionCause.allCases {
            samples.append(
                Sample(
                    name: MetricName.cacheEvictions,
                    labels: [LabelName.cache: self.name, LabelName.cause: cause.rawValue],
                    kind: .counter,
                    value: Double(stats.evictions(cause))
                )
            )
        }
        samples.append(
            Sample(name: MetricName.cacheEntries, labels: cacheLabel, kind: .gauge, value: Double(stats.entries))
        )
        if stats.capacity != .max {
            samples.append(
                Sample(name: MetricName.cacheCapacity, labels: cacheLabel, kind: .gauge, value: Double(stats.capacity))
            )
        }
        samples.append(
            Sample(name: MetricName.cacheWeight, labels: cacheLabel, kind: .gauge, value: Double(stats.weight))
        )
        return samples
    }
}
