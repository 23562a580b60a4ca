import FoundationEssentials
import PerfKit

/// A unit a goal is written in, and how it converts to the base unit of its kind: seconds, bytes, a
/// fraction (for `%`) or per second.
///
/// Decimal byte units are powers of 1000 (`KB` = 1000 B), binary ones powers of 1024 (`KiB` = 1024 B).
public enum TrackerUnit: String, Sendable, Hashable, CaseIterable {
    /// A plain number.
    case none = ""
    /// Nanoseconds.
    case nanoseconds = "ns"
    /// Microseconds, written `µs` or `us`.
    case microseconds = "µs"
    /// Milliseconds.
    case milliseconds = "ms"
    /// Seconds.
    case seconds = "s"
    /// Percent: 70% is the fraction 0.7.
    case percent = "%"
    /// Bytes.
    case bytes = "B"
    /// 1000 bytes.
    case kilobytes = "KB"
    /// 1000² bytes.
    case megabytes = "MB"
    /// 1000³ bytes.
    case gigabytes = "GB"
    /// 1000⁴ bytes.
    case terabytes = "TB"
    /// 1024 bytes.
    case kibibytes = "KiB"
    /// 1024² bytes.
    case mebibytes = "MiB"
    /// 1024³ bytes.
    case gibibytes = "GiB"
    /// 1024⁴ bytes.
    case tebibytes = "TiB"
    /// Per second.
    case perSecond = "/s"

    /// What the base unit of a unit measures, which decides how values are shown.
    public enum Kind: Sendable, Hashable {
        /// A plain number.
        case plain
        /// Seconds.
        case time
        /// A fraction, shown as a percentage.
        case fraction
        /// Bytes.
        case bytes
        /// Events per second.
        case rate
    }

    /// The kind of quantity the unit measures.
    public var kind: Kind {
        switch self {
        case .none: .plain
        case .nanoseconds, .microseconds, .milliseconds, .seconds: .time
        case .percent: .fraction
        case .bytes, .kilobytes, .megabytes, .gigabytes, .terabytes, .kibibytes, .mebibytes, .gibibytes, .tebibytes:
            .bytes
        case .perSecond: .rate
        }
    }

    /// Reads a unit as written after a number, case-insensitively except that `b` is always bytes;
    /// `us` is microseconds. Nil for an unknown unit.
    public init?(symbol: String) {
        switch symbol.lowercased() {
        case "": self = .none
        case "ns": self = .nanoseconds
        case "µs", "μs", "us": self = .microseconds
        case "ms": self = .milliseconds
        case "s", "sec": self = .seconds
        case "%": self = .percent
        case "b": self = .bytes
        case "kb": self = .kilobytes
        case "mb": self = .megabytes
        case "gb": self = .gigabytes
        case "tb": self = .terabytes
        case "kib": self = .kibibytes
        case "mib": self = .mebibytes
        case "gib": self = .gibibytes
        case "tib": self = .tebibytes
        case "/s": self = .perSecond
        default: return nil
        }
    }

    /// `amount` of this unit in the base unit, e.g. 50 ms → 0.05 s; divisions by exact powers of ten keep
    /// `50 ms` the nearest double to 0.05.
    public func baseValue(_ amount: Double) -> Double {
        switch self {
        case .none, .seconds, .bytes, .perSecond: amount
        case .nanoseconds: amount / 1e9
        case .microseconds: amount / 1e6
        case .milliseconds: amount / 1e3
        case .percent: amount / 100
        case .kilobytes: amount * 1e3
        case .megabytes: amount * 1e6
        case .gigabytes: amount * 1e9
        case .terabytes: amount * 1e12
        case .kibibytes: amount * 1024
        case .mebibytes: amount * 1_048_576
        case .gibibytes: amount * 1_073_741_824
        case .tebibytes: amount * 1_099_511_627_776
        }
    }

    // MARK: - Formatting

    /// The unit of the kind's base: seconds, bytes, percent (a fraction), per second, or none.
    public init(base kind: Kind) {
        switch kind {
        case .plain: self = .none
        case .time: self = .seconds
        case .fraction: self = .percent
        case .bytes: self = .bytes
        case .rate: self = .perSecond
        }
    }

    /// A value in base units with the unit that suits its size in the same family: `45.2ms`, `1.5GiB`
    /// (`1.5GB` when this unit is decimal), `72.5%`, `1200/s`.
    ///
    /// Three significant digits from 1 up; NaN and infinities are shown as Swift prints them.
    public func format(_ value: Double) -> String {
        Self.format(value, kind: self.kind, decimalBytes: self.isDecimalBytes)
    }

    private var isDecimalBytes: Bool {
        [.kilobytes, .megabytes, .gigabytes, .terabytes].contains(self)
    }

    /// A value in base units of `kind`, as ``format(_:)`` shows it; binary byte units unless `decimalBytes`.
    public static func format(_ value: Double, kind: Kind, decimalBytes: Bool = false) -> String {
        guard value.isFinite else {
            return "\(value)"
        }
        let magnitude = abs(value)
        switch kind {
        case .plain:
            return Self.number(value)
        case .fraction:
            return Self.number(value * 100) + "%"
        case .rate:
            return Self.number(value) + "/s"
        case .time:
            if magnitude >= 1 || magnitude == 0 {
                return Self.number(value) + "s"
            } else if magnitude >= 1e-3 {
                return Self.number(value * 1e3) + "ms"
            } else if magnitude >= 1e-6 {
                return Self.number(value * 1e6) + "µs"
            }
            return Self.number(value * 1e9) + "ns"
        case .bytes:
            let step = decimalBytes ? 1000.0 : 1024.0
            let names = decimalBytes ? ["B", "KB", "MB", "GB", "TB"] : ["B", "KiB", "MiB", "GiB", "TiB"]
            var scaled = value
            var index = 0
            while abs(scaled) >= step, index < names.count - 1 {
                scaled /= step
                index += 1
            }
            return Self.number(scaled) + names[index]
        }
    }

    /// A number with three significant digits from 1 up (whole numbers from 100 up), three decimals below 1,
    /// trailing zeros dropped.
    static func number(_ value: Double) -> String {
        let magnitude = abs(value)
        let decimals = magnitude >= 100 || magnitude == 0 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
        var text = UnitFormat.fixed(value, decimals: decimals)
        if text.contains(".") {
            while text.hasSuffix("0") {
                text.removeLast()
            }
            if text.hasSuffix(".") {
                text.removeLast()
            }
        }
        return text == "-0" ? "0" : text
    }
}

// MARK: - Inferring

extension TrackerUnit.Kind {
    /// The kind of quantity a statistic of `metric` is, for display: the goal's unit, else the statistic
    /// (`hit ratio` is a fraction, `rate` per second), else the metric's name (`_seconds`, `_bytes`,
    /// `_ratio`), else plain.
    public init(goal: TrackerGoal?, statistic: TrackerStatistic?, metric: MetricSelector?) {
        if let unit = goal?.unit, unit != .none {
            self = unit.kind
            return
        }
        switch statistic {
        case .hitRatio:
            self = .fraction
            return
        case .rate:
            self = .rate
            return
        default: break
        }
        let name = metric?.name ?? ""
        // A unit in the middle of a name (`http_request_duration_seconds_bucket`) counts too.
        if name.hasSuffix(MetricName.secondsSuffix) || name.contains(MetricName.secondsSuffix + "_") {
            self = .time
        } else if name.hasSuffix(MetricName.bytesSuffix) || name.contains(MetricName.bytesSuffix + "_") {
            self = .bytes
        } else if name.hasSuffix(MetricName.ratioSuffix) {
            self = .fraction
        } else {
            self = .plain
        }
    }
}
