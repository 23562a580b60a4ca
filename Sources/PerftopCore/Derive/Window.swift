/// The span of time a derived number covers. Every rate, ratio and statistic perftop shows, exports,
/// judges or cites is computed over one (by ``SeriesStore/Series``'s window functions, the one place
/// that does that arithmetic), so two numbers over the same window always agree.
public enum Window: Sendable, Hashable, CustomStringConvertible {
    /// Between a series' last two points: what the panes show as "now".
    case lastInterval
    /// The points no older than this many seconds before a series' newest point (at least its last
    /// two, so a rate exists when the window is shorter than the interval).
    case seconds(Double)
    /// Every point the store holds: up to its retention (300 polls by default).
    case retained

    /// `last interval`, `last 60s` or `retained window`, as advice and reports name it.
    public var description: String {
        switch self {
        case .lastInterval: "last interval"
        case .seconds(let seconds): "last \(UnitFormat.seconds(seconds))"
        case .retained: "retained window"
        }
    }
}

/// A number derived from a series over a window, with the span it really covered.
public struct Derived: Sendable, Hashable {
    /// The number, in base units (a fraction for a ratio, per second for a rate).
    public var value: Double
    /// The window it was asked for.
    public var window: Window
    /// The time of the first point it used, in seconds since 1970.
    public var from: Double
    /// The time of the last point it used, in seconds since 1970.
    public var to: Double

    /// Creates a derived value.
    public init(value: Double, window: Window, from: Double, to: Double) {
        self.value = value
        self.window = window
        self.from = from
        self.to = to
    }

    /// The seconds between the first point used and the last.
    public var seconds: Double {
        self.to - self.from
    }
}
