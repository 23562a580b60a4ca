import FoundationEssentials
import PerfKit

/// What a target reads from the series its selector matches (see docs/tracker.md).
public enum TrackerStatistic: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The median of a summary: its `quantile="0.5"` series.
    case p50
    /// The 90th percentile of a summary: its `quantile="0.9"` series.
    case p90
    /// The 95th percentile of a summary: its `quantile="0.95"` series.
    case p95
    /// The 99th percentile of a summary: its `quantile="0.99"` series.
    case p99
    /// A summary's maximum (`quantile="1"`), or the largest point of any other series in the window.
    case max
    /// A counter's average increase per second over the window, summed over the matching series of a source.
    case rate
    /// Δhits / (Δhits + Δmisses) over the window, from a `…hits…` counter and its `…misses…` twin.
    case hitRatio = "hit ratio"
    /// The newest value.
    case current
    /// A summary's mean over the window (Δ`_sum` / Δ`_count`), or the mean of any other series' points in it.
    case mean

    /// The `quantile` label value this statistic reads from a summary, for the percentiles and ``max``.
    public var quantile: Double? {
        switch self {
        case .p50: 0.5
        case .p90: 0.9
        case .p95: 0.95
        case .p99: 0.99
        case .max: 1
        case .rate, .hitRatio, .current, .mean: nil
        }
    }

    /// Whether this statistic can be read from the series `metric` selects: ``hitRatio`` needs a hits counter
    /// (a name containing `hits`, whose `misses` twin it finds); every other statistic reads any series.
    public func canRead(_ metric: MetricSelector) -> Bool {
        self != .hitRatio || metric.name.contains("hits")
    }

    /// The statistics that read a series of `kind` selected by `metric`, the one to offer first
    /// leading: for a summary or histogram ``p95`` (then the other percentiles, ``max`` and
    /// ``mean``); for a counter ``hitRatio`` when it is a hits counter (``canRead(_:)``), else
    /// ``rate`` (then ``current``); for a gauge or an untyped series ``current`` (then ``mean`` and
    /// ``max``).
    public static func choices(for kind: Sample.Kind, of metric: MetricSelector) -> [TrackerStatistic] {
        switch kind {
        case .summary, .histogram:
            return [.p95, .p50, .p90, .p99, .max, .mean]
        case .counter:
            return Self.hitRatio.canRead(metric) ? [.hitRatio, .rate, .current] : [.rate, .current]
        case .gauge, .untyped:
            return [.current, .mean, .max]
        }
    }

    /// The name as written in a tracker file, e.g. `p95` or `hit ratio`.
    public var description: String {
        self.rawValue
    }

    /// Reads a statistic's name, case-insensitively: the names above, plus `hit_ratio`, `hit rate`, `average`,
    /// `avg`, `latest` and `last`.
    ///
    /// - Throws: ``TrackerError`` listing the names it knows.
    public init(parsing text: String) throws {
        let key = text.trimmingWhitespace().lowercased()
        switch key {
        case "hit_ratio", "hitratio", "hit rate", "hit_rate": self = .hitRatio
        case "average", "avg": self = .mean
        case "latest", "last": self = .current
        default:
            guard let statistic = Self(rawValue: key) else {
                let names = Self.allCases.map(\.rawValue).joined(separator: ", ")
                throw TrackerError("unknown statistic '\(text)' (expected one of \(names))")
            }
            self = statistic
        }
    }

    /// The statistic a free-text measurement method names, e.g. `p95 latency` → ``p95``, `Average lookup time`
    /// → ``mean``, `requests per second` → ``rate``; nil when it names none.
    public init?(describedBy method: String) {
        let words = method.lowercased()
        let tokens = Set(words.split { !$0.isLetter && !$0.isNumber }.map(String.init))
        if let percentile = [Self.p50, .p90, .p95, .p99].first(where: { tokens.contains($0.rawValue) }) {
            self = percentile
        } else if tokens.contains("median") {
            self = .p50
        } else if words.contains("hit ratio") || words.contains("hit rate") {
            self = .hitRatio
        } else if tokens.contains("average") || tokens.contains("mean") || tokens.contains("avg") {
            self = .mean
        } else if tokens.contains("max") || tokens.contains("maximum") || tokens.contains("peak") {
            self = .max
        } else if tokens.contains("rate") || tokens.contains("throughput") || words.contains("per second") {
            self = .rate
        } else {
            return nil
        }
    }
}
