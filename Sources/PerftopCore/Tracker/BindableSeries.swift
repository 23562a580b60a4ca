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
    /// metric name, then labels, then source, at most ``maximumCount``.
    ///
    /// Cost: one hash lookup per series reported (no copy of its points), then O(f log f) for the f
    /// distinct series: 36 ms for a hundred sources of 200 series each in a debug build. The
    /// collector therefore lists them again only when a series comes or goes
    /// (``SeriesStore/identityGeneration``), and only while a tracker is loaded.
    public static func catalog(of store: SeriesStore) -> [BindableSeries] {
        var families: [SeriesID: (kind: Sample.Kind, sources: [String])] = [:]
        for source in store.sources {
            for series in store.series(source: source, namesWhere: { _ in true }) {
                let family = Self.family(of: series.id, kind: series.kind)
                if let found = families.index(forKey: family) {
                    // A histogram's estimated quantiles are summaries; its buckets make it a histogram.
                    if series.kind == .histogram {
                        families.values[found].kind = .histogram
                    }
                    if families.values[found].sources.last != source {
                        families.values[found].sources.append(source)
                    }
                } else {
                    families[family] = (series.kind, [source])
                }
            }
        }
        var entries: [BindableSeries] = []
        for family in families.keys.sorted() {
            guard entries.count < Self.maximumCount, let (kind, sources) = families[family] else {
                break
            }
            let matchers = family.labels.map { MetricSelector.Matcher(label: $0.name, value: $0.value) }
            guard sources.count > 1 else {
                entries.append(
                    BindableSeries(selector: MetricSelector(name: family.name, matchers: matchers), kind: kind)
                )
                continue
            }
            // A series with a `source` label of its own is told apart by the pseudo-label.
            let sourceLabel = family.label(LabelName.source) != nil ? "__source__" : LabelName.source
            for source in sources.prefix(Self.maximumCount - entries.count) {
                let selector = MetricSelector(
                    name: family.name,
                    matchers: matchers + [MetricSelector.Matcher(label: sourceLabel, value: source)]
                )
                entries.append(BindableSeries(selector: selector, kind: kind))
            }
        }
        return entries
    }

    /// The identity a series is bound by: a summary's or histogram's base name without the `_sum`,
    /// `_count` or `_bucket` suffix, and without the `quantile`, `le` and `estimate` labels; any other
    /// series' own identity.
    static func family(of id: SeriesID, kind: Sample.Kind) -> SeriesID {
        guard kind == .summary || kind == .histogram else {
            return id
        }
        var family = id
        for suffix in [MetricName.sumSuffix, MetricName.countSuffix, MetricName.bucketSuffix]
        where id.name.hasSuffix(suffix) {
            family = id.renamed(to: String(id.name.dropLast(suffix.count)))
            break
        }
        return family.removingLabel(LabelName.quantile).removingLabel(LabelName.bucketBound)
            .removingLabel(LabelName.estimate)
    }
}
