import PerfKit

/// A live series a tracker target can be bound to, as the tracker pane's `b` picker lists it: the
/// selector that picks it, its kind, and the statistics that can read it.
///
/// A summary or histogram is one entry under its base name (`operation_seconds{op="lookup"}`), not
/// one per quantile, bucket, `_sum` or `_count`. When the same series comes from several sources,
/// each source gets an entry whose selector names it (`source="demo"`), so a binding never takes
/// the worst of sources the user did not choose; a series of one source needs no `source`.
public struct BindableSeries: Sendable, Hashable {
    /// The most entries ``catalog(of:)`` lists, so a fleet with many series keeps the model small.
    public static let maximumCount = 2_000

    /// The selector written into the tracker file.
    public var selector: MetricSelector
    /// The kind of the series (a summary for quantile estimates of a histogram too).
    public var kind: Sample.Kind

    /// Creates an entry.
    public init(selector: MetricSelector, kind: Sample.Kind) {
        self.selector = selector
        self.kind = kind
    }

    /// The statistics that read it, the one to offer first leading (``TrackerStatistic/choices(for:of:)``).
    public var statistics: [TrackerStatistic] {
        TrackerStatistic.choices(for: self.kind, of: self.selector)
    }

    /// The series of `store` (reported in each source's last poll) as binding candidates, sorted by
    /// selector, at most ``maximumCount``. Cost: O(series log series) over every source.
    public static func catalog(of store: SeriesStore) -> [BindableSeries] {
        struct Family: Hashable {
            var name: String
            var labels: [SeriesID.Label]
        }
        var kinds: [Family: Sample.Kind] = [:]
        var sources: [Family: [String]] = [:]
        for source in store.sources {
            for series in store.series(source: source, namesWhere: { _ in true }) {
                let family = Self.family(of: series.id, kind: series.kind)
                let key = Family(name: family.name, labels: family.labels)
                if sources[key]?.last != source {
                    sources[key, default: []].append(source)
                }
                // A histogram's estimated quantiles are summaries; its buckets make it a histogram.
                if kinds[key] == nil || series.kind == .histogram {
                    kinds[key] = series.kind
                }
            }
        }
        var entries: [BindableSeries] = []
        for (family, familySources) in sources {
            let matchers = family.labels.map { MetricSelector.Matcher(label: $0.name, value: $0.value) }
            let kind = kinds[family] ?? .untyped
            guard familySources.count > 1 else {
                entries.append(
                    BindableSeries(selector: MetricSelector(name: family.name, matchers: matchers), kind: kind)
                )
                continue
            }
            // A series with a `source` label of its own is told apart by the pseudo-label.
            let sourceLabel = family.labels.contains { $0.name == LabelName.source } ? "__source__" : LabelName.source
            for source in familySources {
                let selector = MetricSelector(
                    name: family.name,
                    matchers: matchers + [MetricSelector.Matcher(label: sourceLabel, value: source)]
                )
                entries.append(BindableSeries(selector: selector, kind: kind))
            }
        }
        entries.sort { $0.selector.description < $1.selector.description }
        return Array(entries.prefix(Self.maximumCount))
    }

    /// The name and labels a series is bound by: a summary's or histogram's base name without the
    /// `_sum`, `_count` or `_bucket` suffix, and without the `quantile`, `le` and `estimate` labels.
    static func family(of id: SeriesID, kind: Sample.Kind) -> (name: String, labels: [SeriesID.Label]) {
        guard kind == .summary || kind == .histogram else {
            return (id.name, id.labels)
        }
        var name = id.name
        for suffix in [MetricName.sumSuffix, MetricName.countSuffix, MetricName.bucketSuffix]
        where name.hasSuffix(suffix) {
            name.removeLast(suffix.count)
            break
        }
        let dropped: Set<String> = [LabelName.quantile, LabelName.bucketBound, LabelName.estimate]
        return (name, id.labels.filter { !dropped.contains($0.name) })
    }
}
