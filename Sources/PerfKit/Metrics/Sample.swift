/// One measured value in the Prometheus data model: a metric name, its labels, a type and a value.
///
/// Every feed normalises what it reads into samples, and an agent exports its caches and processors as
/// samples, so panes select data by well-known names (see docs/metrics.md). Counters stay cumulative;
/// consumers turn them into rates. A summary quantile is a sample of kind ``Kind/summary`` with a
/// `quantile` label; a histogram bucket is a sample of kind ``Kind/histogram`` with an `le` label.
public struct Sample: Sendable, Hashable, Codable {
    /// The Prometheus metric type the sample belongs to.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A cumulative count that only grows, except when its process restarts.
        case counter
        /// A value that goes up and down.
        case gauge
        /// A summary: quantiles (`quantile` label) plus `_sum` and `_count` samples.
        case summary
        /// A histogram: cumulative buckets (`le` label) plus `_sum` and `_count` samples.
        case histogram
        /// A value whose type the source did not say.
        case untyped
    }

    /// The metric name, e.g. `cache_hits_total`.
    public var name: String
    /// The labels that tell this series apart from others of the same name, e.g. `["cache": "users"]`.
    public var labels: [String: String]
    /// The metric type.
    public var kind: Kind
    /// The value; may be NaN or infinite where the source says so.
    public var value: Double

    /// Creates a sample.
    public init(name: String, labels: [String: String] = [:], kind: Kind, value: Double) {
        self.name = name
        self.labels = labels
        self.kind = kind
        self.value = value
    }

    /// The identity of the series this sample belongs to.
    public var seriesID: SeriesID {
        SeriesID(name: self.name, labels: self.labels)
    }
}

/// The identity of a series: a metric name and its labels, with the labels in a canonical order.
///
/// Its ``description`` is the Prometheus form, `name{a="1",b="2"}`, with label values escaped.
public struct SeriesID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The metric name.
    public let name: String
    /// The labels, sorted by name.
    public let labels: [Label]

    /// One label of a series.
    public struct Label: Sendable, Hashable, Comparable {
        /// The label name.
        public let name: String
        /// The label value.
        public let value: String

        /// Creates a label.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }

        public static func < (lhs: Label, rhs: Label) -> Bool {
            (lhs.name, lhs.value) < (rhs.name, rhs.value)
        }
    }

    /// Creates a series identity; the labels are sorted by name.
    public init(name: String, labels: [String: String] = [:]) {
        self.name = name
        var sorted = labels.map { Label(name: $0.key, value: $0.value) }
        sorted.sort()
        self.labels = sorted
    }

    /// This identity without its label `name` (the same identity when it has no such label).
    public func removingLabel(_ name: String) -> SeriesID {
        guard let index = self.labels.firstIndex(where: { $0.name == name }) else {
            return self
        }
        var labels = self.labels
        labels.remove(at: index)
        return SeriesID(name: self.name, sortedLabels: labels)
    }

    /// This identity with its label `name` set to `value`, added or replaced.
    public func settingLabel(_ name: String, to value: String) -> SeriesID {
        var labels = self.labels
        let label = Label(name: name, value: value)
        if let index = labels.firstIndex(where: { $0.name == name }) {
            labels[index] = label
        } else {
            labels.insert(label, at: labels.firstIndex { $0.name > name } ?? labels.endIndex)
        }
        return SeriesID(name: self.name, sortedLabels: labels)
    }

    /// This identity under another metric name, with the same labels.
    public func renamed(to name: String) -> SeriesID {
        SeriesID(name: name, sortedLabels: self.labels)
    }

    /// An identity whose labels are already in canonical order.
    private init(name: String, sortedLabels: [Label]) {
        self.name = name
        self.labels = sortedLabels
    }

    /// The value of the label called `name`, if the series has one.
    public func label(_ name: String) -> String? {
        self.labels.first { $0.name == name }?.value
    }

    /// The labels as a dictionary.
    public var labelDictionary: [String: String] {
        Dictionary(uniqueKeysWithValues: self.labels.map { ($0.name, $0.value) })
    }

    /// The labels in Prometheus form without the name, e.g. `{cache="users"}`, or an empty string.
    public var labelText: String {
        if self.labels.isEmpty {
            return ""
        }
        let pairs = self.labels.map { "\($0.name)=\"\(Self.escape($0.value))\"" }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    public var description: String {
        self.name + self.labelText
    }

    public static func < (lhs: SeriesID, rhs: SeriesID) -> Bool {
        if lhs.name != rhs.name {
            return lhs.name < rhs.name
        }
        return lhs.labels.lexicographicallyPrecedes(rhs.labels)
    }

    /// Escapes a label value as the Prometheus text format requires (backslash, quote, newline).
    ///
    /// Works on Unicode scalars, not characters, so that the line feed of a `\r\n` pair (one
    /// `Character`) is escaped too.
    public static func escape(_ value: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
