/// Writes samples in the Prometheus text exposition format, version 0.0.4.
///
/// Samples are grouped into metric families, each introduced by one `# TYPE` line, and the families are
/// sorted by name; within a family the samples keep the order they were given in. A family's name is
/// the metric name, except that:
///
/// - a ``Sample/Kind/summary`` sample named `<base>_sum` or `<base>_count` without a `quantile` label
///   belongs to the family `<base>`, next to its quantile samples named `<base>`;
/// - a ``Sample/Kind/histogram`` sample named `<base>_bucket`, `<base>_sum` or `<base>_count` belongs
///   to the family `<base>`; a histogram sample with an `le` label whose name lacks the `_bucket`
///   suffix is written with it, as Prometheus requires.
///
/// The output is always valid exposition text, whatever the samples hold:
///
/// - characters not allowed in a metric or label name become `_` (as
///   ``PerfKitMetricsFactory/metricName(forLabel:)`` does), and a leading digit gets a `_` in front; of
///   two labels that become the same name, the one whose original name sorts last is kept;
/// - label values are escaped: backslash as `\\`, double quote as `\"`, line feed as `\n`;
/// - NaN and the infinities are written `NaN`, `+Inf` and `-Inf`; whole numbers below 2^53 without a
///   fraction (`42`), other values in the shortest form that reads back exactly (`0.25`, `1e-05`);
/// - a series written before (the same name and labels) is skipped, and so is a sample whose family
///   already has another type, because Prometheus rejects a scrape with either.
///
/// No `# HELP` lines and no timestamps are written. Cost: O(n log n) for n samples, one pass to group
/// them and a sort of the family names; the text is built in one string.
public struct PrometheusTextEncoder: Sendable {
    /// The `Content-Type` of the text this encoder writes, for an HTTP response.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Creates an encoder.
    public init() {}

    /// The exposition text of `samples`: one line per sample, each ending with a newline, and an empty
    /// string when there are none.
    public func encode(_ samples: [Sample]) -> String {
        var families: [String: Family] = [:]
        var seen: Set<SeriesID> = []
        for sample in samples {
            let line = Self.line(for: sample)
            guard seen.insert(SeriesID(name: line.name, labels: line.labels)).inserted else {
                continue
            }
            let type = Self.typeName(of: sample.kind)
            if let family = families[line.family], family.type != type {
                continue
            }
            families[line.family, default: Family(type: type)].lines.append(line)
        }
        var text = ""
        for name in families.keys.sorted() {
            let family = families[name]!
            text += "# TYPE \(name) \(family.type)\n"
            for line in family.lines {
                text += line.name
                text += Self.labelText(line.labels)
                text += " "
                text += Self.format(line.value)
                text += "\n"
            }
        }
        return text
    }
}

// MARK: - Families and lines

extension PrometheusTextEncoder {
    /// The lines of one metric family and its type.
    private struct Family {
        var type: String
        var lines: [Line] = []
    }

    /// One sample line, with its names already made valid.
    private struct Line {
        var family: String
        var name: String
        var labels: [String: String]
        var value: Double
    }

    private static func line(for sample: Sample) -> Line {
        let name = PrometheusName.sanitized(sample.name, allowsColon: true)
        var labels: [String: String] = [:]
        labels.reserveCapacity(sample.labels.count)
        for (label, value) in sample.labels.sorted(by: { $0.key < $1.key }) {
            labels[PrometheusName.sanitized(label, allowsColon: false)] = value
        }
        var line = Line(family: name, name: name, labels: labels, value: sample.value)
        switch sample.kind {
        case .summary:
            if labels[LabelName.quantile] == nil,
                let base = Self.base(of: name, suffixes: [MetricName.sumSuffix, MetricName.countSuffix])
            {
                line.family = base
            }
        case .histogram:
            if let base = Self.base(of: name, suffixes: [MetricName.bucketSuffix]) {
                line.family = base
            } else if labels[LabelName.bucketBound] != nil {
                line.name = name + MetricName.bucketSuffix
            } else if let base = Self.base(of: name, suffixes: [MetricName.sumSuffix, MetricName.countSuffix]) {
                line.family = base
            }
        case .counter, .gauge, .untyped:
            break
        }
        return line
    }

    /// `name` without the first of `suffixes` it ends with, or `nil` if it ends with none or nothing
    /// would be left.
    private static func base(of name: String, suffixes: [String]) -> String? {
        for suffix in suffixes where name.hasSuffix(suffix) && name.utf8.count > suffix.utf8.count {
            return String(name.dropLast(suffix.count))
        }
        return nil
    }

    private static func typeName(of kind: Sample.Kind) -> String {
        switch kind {
        case .counter: "counter"
        case .gauge: "gauge"
        case .summary: "summary"
        case .histogram: "histogram"
        case .untyped: "untyped"
        }
    }
}

// MARK: - Text

extension PrometheusTextEncoder {
    /// `{a="1",b="2"}` with the labels sorted by name, or an empty string when there are none.
    static func labelText(_ labels: [String: String]) -> String {
        if labels.isEmpty {
            return ""
        }
        let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(SeriesID.escape($0.value))\"" }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    /// The largest magnitude below which every whole `Double` is exact, so it is written as an integer.
    private static let exactIntegerLimit = 9_007_199_254_740_992.0

    /// A sample value as Prometheus writes it: `NaN`, `+Inf`, `-Inf`, an integer, or the shortest
    /// decimal form that reads back as the same `Double`.
    package static func format(_ value: Double) -> String {
        if value.isNaN {
            return "NaN"
        }
        if value.isInfinite {
            return value > 0 ? "+Inf" : "-Inf"
        }
        if value == value.rounded(.towardZero), abs(value) < Self.exactIntegerLimit {
            return String(Int64(value))
        }
        return value.description
    }
}
