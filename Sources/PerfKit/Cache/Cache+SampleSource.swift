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
        let cacheLabel = ["cache": self.name]
        var samples = [
            Sample(name: "cache_hits_total", labels: cacheLabel, kind: .counter, value: Double(stats.hits)),
            Sample(name: "cache_misses_total", labels: cacheLabel, kind: .counter, value: Double(stats.misses)),
        ]
        for cause in CacheEvictionCause.allCases {
            samples.append(
                Sample(
                    name: "cache_evictions_total",
                    labels: ["cache": self.name, "cause": cause.rawValue],
                    kind: .counter,
                    value: Double(stats.evictions(cause))
                )
            )
        }
        samples.append(Sample(name: "cache_entries", labels: cacheLabel, kind: .gauge, value: Double(stats.entries)))
        if stats.capacity != .max {
            samples.append(
                Sample(name: "cache_capacity", labels: cacheLabel, kind: .gauge, value: Double(stats.capacity))
            )
        }
        samples.append(Sample(name: "cache_weight", labels: cacheLabel, kind: .gauge, value: Double(stats.weight)))
        return samples
    }
}
