import PerfKit

/// Estimates quantiles from cumulative histogram buckets, the way Prometheus' `histogram_quantile` does.
///
/// A histogram only says how many observations fell at or below each bucket bound (`le`), so a
/// quantile is an estimate: the bucket holding the rank is found and the value is interpolated
/// linearly inside it, assuming observations spread evenly between its bounds. The estimate can be
/// off by up to the width of that bucket. ``estimates(from:quantiles:)`` therefore emits it as a
/// summary quantile with the extra label `estimate="buckets"`, so it is never mistaken for a quantile
/// the source measured.
public enum HistogramQuantiles {
    /// The quantiles estimated for every histogram by default: the median, p95 and p99.
    public static let defaultQuantiles = [0.5, 0.95, 0.99]

    /// Estimates the `q` quantile of one histogram.
    ///
    /// Follows Prometheus: the buckets are sorted by bound and their counts made monotonic; the result
    /// is `nil` (no estimate) when there is no `+Inf` bucket, fewer than two buckets, no observation, or
    /// `q` is NaN. A rank in the `+Inf` bucket returns the highest finite bound; a rank in a first
    /// bucket whose bound is not positive returns that bound; otherwise the lower bound of the first
    /// bucket is 0. `q` below 0 gives `-Inf` and above 1 gives `+Inf`.
    ///
    /// Cost: sorting the buckets, O(n log n).
    ///
    /// - Parameters:
    ///   - q: the quantile, 0…1.
    ///   - buckets: each bucket's upper bound and cumulative count, in any order.
    public static func quantile(_ q: Double, buckets: [(upperBound: Double, count: Double)]) -> Double? {
        if q.isNaN {
            return nil
        }
        if q < 0 {
            return -.infinity
        }
        if q > 1 {
            return .infinity
        }
        var sorted = buckets.sorted { $0.upperBound < $1.upperBound }
        guard sorted.count >= 2, sorted.last?.upperBound == .infinity else {
            return nil
        }
        for index in sorted.indices.dropFirst() where sorted[index].count < sorted[index - 1].count {
            sorted[index].count = sorted[index - 1].count
        }
        let observations = sorted[sorted.count - 1].count
        guard observations > 0 else {
            return nil
        }
        var rank = q * observations
        let bucket = sorted.firstIndex { $0.count >= rank } ?? sorted.count - 1
        if bucket == sorted.count - 1 {
            return sorted[sorted.count - 2].upperBound
        }
        if bucket == 0, sorted[0].upperBound <= 0 {
            return sorted[0].upperBound
        }
        var lowerBound = 0.0
        var count = sorted[bucket].count
        if bucket > 0 {
            lowerBound = sorted[bucket - 1].upperBound
            count -= sorted[bucket - 1].count
            rank -= sorted[bucket - 1].count
        }
        guard count > 0 else {
            return lowerBound
        }
        return lowerBound + (sorted[bucket].upperBound - lowerBound) * (rank / count)
    }

    /// Estimated quantiles of every histogram in `samples`, as summary samples marked `estimate="buckets"`.
    ///
    /// A histogram is the set of ``Sample/Kind/histogram`` samples named `NAME_bucket` that share
    /// their labels other than `le`. For each one and each quantile that has an estimate, the result
    /// holds `NAME{…labels, quantile="0.95", estimate="buckets"}` of kind ``Sample/Kind/summary``.
    /// Buckets count since the source started, so the estimate covers the source's lifetime, not the
    /// last interval. Buckets whose `le` is not a number are ignored.
    ///
    /// Cost: linear in the number of samples, plus sorting each histogram's buckets.
    ///
    /// - Parameters:
    ///   - samples: any samples; those that are not histogram buckets are ignored.
    ///   - quantiles: the quantiles to estimate, each 0…1.
    public static func estimates(
        from samples: [Sample],
        quantiles: [Double] = HistogramQuantiles.defaultQuantiles
    ) -> [Sample] {
        var histograms: [SeriesID: [(upperBound: Double, count: Double)]] = [:]
        var order: [SeriesID] = []
        for sample in samples where sample.kind == .histogram && sample.name.hasSuffix(MetricName.bucketSuffix) {
            guard let bound = sample.labels[LabelName.bucketBound].flatMap(Double.init) else {
                continue
            }
            var labels = sample.labels
            labels[LabelName.bucketBound] = nil
            let identity = SeriesID(name: String(sample.name.dropLast(MetricName.bucketSuffix.count)), labels: labels)
            if histograms[identity] == nil {
                order.append(identity)
            }
            histograms[identity, default: []].append((bound, sample.value))
        }
        return order.flatMap { identity in
            quantiles.compactMap { q -> Sample? in
                guard let value = Self.quantile(q, buckets: histograms[identity] ?? []) else {
                    return nil
                }
                var labels = identity.labelDictionary
                labels[LabelName.quantile] = String(q)
                labels[LabelName.estimate] = LabelValue.estimatedFromBuckets
                return Sample(name: identity.name, labels: labels, kind: .summary, value: value)
            }
        }
    }
}
