extension PerfKitMetricsFactory: SampleSource {
    /// The samples of every series the factory holds, ordered by name and labels, followed by the
    /// factory's own bookkeeping:
    ///
    /// | name | kind | labels |
    /// |---|---|---|
    /// | `perfkit_metrics_series` | gauge | |
    /// | `perfkit_metrics_dropped_series_total` | counter | `reason`: `limit` or `conflict` |
    ///
    /// The factory's lock is held only to copy the list of handlers; each handler is then read under
    /// its own lock. Cost: O(n log n) in the number of series for the ordering, plus a
    /// ``LatencySummary`` (O(buckets)) per timer.
    public func collectSamples() -> [Sample] {
        let held = self.heldSeries()
        var samples = held.handlers.sorted { $0.id < $1.id }.flatMap { $0.samples() }
        samples.append(Sample(name: "perfkit_metrics_series", kind: .gauge, value: Double(held.handlers.count)))
        samples.append(
            Sample(
                name: MetricName.metricsDroppedSeries,
                labels: ["reason": "limit"],
                kind: .counter,
                value: Double(held.droppedForLimit)
            )
        )
        samples.append(
            Sample(
                name: MetricName.metricsDroppedSeries,
                labels: ["reason": "conflict"],
                kind: .counter,
                value: Double(held.droppedForConflict)
            )
        )
        return samples
    }
}
