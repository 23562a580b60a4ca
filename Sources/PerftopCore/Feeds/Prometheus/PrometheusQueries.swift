import PerfKit

/// The PromQL perftop asks a Prometheus server (`--prometheus URL`), and how it turns the answers
/// into each source's samples.
///
/// By default one query reads every series with a well-known name (docs/metrics.md) as it was
/// scraped: the raw counters, gauges, summary quantiles and histogram buckets, as an agent serves
/// them. perftop's own window math then derives the rates, ratios and quantiles, so a pane shows the
/// same numbers whether it reads the agent directly or through Prometheus. Any well-known name can
/// be given its own PromQL instead (``overrides``), e.g. to map a service's own metric names onto
/// perftop's; such a query must give the same kind of value (a counter stays a cumulative count).
///
/// Series become sources by the value of ``sourceLabel`` (`instance` by default). Prometheus' target
/// labels `job` and `instance` and the source label are removed from each sample, so the labels left
/// are the agent's own.
public struct PrometheusQueries: Sendable, Equatable {
    /// The label whose value names a source: `instance` by default.
    public var sourceLabel: String
    /// Label matchers added to every default query, e.g. `job="demo"`; empty reads every target.
    public var match: String
    /// PromQL replacing the default query of a well-known metric name, by name.
    public var overrides: [String: String]

    /// The metric names the default query reads, as a PromQL regular expression: the families of
    /// docs/metrics.md.
    public static let wellKnownNames =
        "(cache|processor|operation|process|perfkit|go|jvm|python|gc|redis|memcached|postgres)_.+"
        + "|allocs_total|frees_total|alloc_bytes_total|freed_bytes_total"

    /// Creates the queries.
    ///
    /// - Parameters:
    ///   - sourceLabel: the label that tells sources apart.
    ///   - match: label matchers added to the default queries, without braces.
    ///   - overrides: PromQL by well-known metric name.
    public init(sourceLabel: String = "instance", match: String = "", overrides: [String: String] = [:]) {
        self.sourceLabel = sourceLabel
        self.match = match
        self.overrides = overrides
    }

    /// One query, and the metric name its series take (nil: each keeps its own `__name__`).
    struct Query: Sendable, Equatable {
        var promQL: String
        var metricName: String?
    }

    /// The queries of one round: the default one, then one per override, by name.
    var queries: [Query] {
        [Query(promQL: self.defaultQuery, metricName: nil)]
            + self.overrides.sorted { $0.key < $1.key }.map { Query(promQL: $0.value, metricName: $0.key) }
    }

    /// The default query: every well-known name but the overridden ones, with ``match``.
    var defaultQuery: String {
        var matchers = ["__name__=~\"\(Self.wellKnownNames)\""]
        if !self.overrides.isEmpty {
            matchers.append("__name__!~\"\(self.overrides.keys.sorted().joined(separator: "|"))\"")
        }
        if !self.match.isEmpty {
            matchers.append(self.match)
        }
        return "{" + matchers.joined(separator: ",") + "}"
    }

    /// The query that reads `up` for the targets of ``match``, which says whether each was scraped.
    var upQuery: String {
        "up" + (self.match.isEmpty ? "" : "{\(self.match)}")
    }

    /// What perftop asks about one source, shown on request: the default query narrowed to it, and
    /// each override.
    public func description(ofSource value: String) -> String {
        ([self.defaultQuery(narrowedTo: value)]
            + self.overrides.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" })
            .joined(separator: "; ")
    }

    /// The default query for the one source `value` of the source label.
    func defaultQuery(narrowedTo value: String) -> String {
        String(self.defaultQuery.dropLast()) + ",\(self.sourceLabel)=\"\(SeriesID.escape(value))\"}"
    }

    // MARK: - Samples

    /// The labels Prometheus adds to every scraped series, removed from samples.
    static let targetLabels: Set<String> = ["__name__", "job", "instance"]

    /// The series of `response` as samples by source (the value of ``sourceLabel``), each point of a
    /// series at its own time: `[source: [time: samples]]`. Series without the source label (or with
    /// an empty one) or without a valid metric name are skipped; `_created` series are dropped.
    ///
    /// Cost: linear in the points of the answer.
    func samples(
        of response: PrometheusResponse,
        named metricName: String?
    ) -> [String: [Double: [Sample]]] {
        var histogramFamilies = Set<Substring>()
        for series in response.series {
            if let name = metricName ?? series.labels["__name__"], name.hasSuffix(MetricName.bucketSuffix),
                series.labels[LabelName.bucketBound] != nil
            {
                histogramFamilies.insert(name.dropLast(MetricName.bucketSuffix.count))
            }
        }
        var bySource: [String: [Double: [Sample]]] = [:]
        for series in response.series {
            guard let source = series.labels[self.sourceLabel], !source.isEmpty,
                let name = metricName ?? series.labels["__name__"],
                PrometheusName.isValid(name, allowsColon: true), !name.hasSuffix(MetricName.createdSuffix)
            else {
                continue
            }
            var labels = series.labels
            for label in Self.targetLabels.union([self.sourceLabel]) {
                labels[label] = nil
            }
            let kind = Self.kind(of: name, labels: labels, histogramFamilies: histogramFamilies)
            for point in series.points {
                bySource[source, default: [:]][point.time, default: []]
                    .append(Sample(name: name, labels: labels, kind: kind, value: point.value))
            }
        }
        return bySource
    }

    /// The kind of a series by Prometheus' naming conventions, since query answers carry no types:
    /// a `quantile` label is a summary's; `_bucket` with `le`, and the `_sum` and `_count` of a family
    /// with buckets, a histogram's; other `_sum` and `_count` a summary's; `_total` a counter; the
    /// rest gauges.
    static func kind(of name: String, labels: [String: String], histogramFamilies: Set<Substring>) -> Sample.Kind {
        if labels[LabelName.quantile] != nil {
            return .summary
        }
        if name.hasSuffix(MetricName.bucketSuffix), labels[LabelName.bucketBound] != nil {
            return .histogram
        }
        for suffix in [MetricName.sumSuffix, MetricName.countSuffix] where name.hasSuffix(suffix) {
            return histogramFamilies.contains(name.dropLast(suffix.count)) ? .histogram : .summary
        }
        return name.hasSuffix(MetricName.totalSuffix) ? .counter : .gauge
    }
}
