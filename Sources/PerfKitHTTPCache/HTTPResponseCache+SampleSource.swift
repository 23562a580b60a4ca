import PerfKit

// MARK: - SampleSource

extension HTTPResponseCache: SampleSource {
    /// The cache's samples, all labelled `cache=<name>`.
    ///
    /// `cache_hits_total` (fresh hits plus revalidations), `cache_misses_total` (GETs answered with a full
    /// origin response) and `cache_revalidations_total` (`304`s) (counters), then the stored responses'
    /// `cache_evictions_total` by `cause` (counters), `cache_entries` (URLs) and `cache_weight` (bytes)
    /// (gauges), as their `Cache` reports them. Cost: two locks and nine samples.
    public func collectSamples() -> [Sample] {
        let stats = self.stats
        let cacheLabel = [LabelName.cache: self.name]
        let requestSamples = [
            Sample(name: MetricName.cacheHits, labels: cacheLabel, kind: .counter, value: Double(stats.hits)),
            Sample(name: MetricName.cacheMisses, labels: cacheLabel, kind: .counter, value: Double(stats.misses)),
            Sample(
                name: MetricName.cacheRevalidations,
                labels: cacheLabel,
                kind: .counter,
                value: Double(stats.revalidations)
            ),
        ]
        let storageSamples = self.storage.collectSamples().filter {
            $0.name != MetricName.cacheHits && $0.name != MetricName.cacheMisses
        }
        return requestSamples + storageSamples
    }
}
