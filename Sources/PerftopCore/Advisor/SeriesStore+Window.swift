/// Counter arithmetic over every point a series holds (the advisor's window), built on the store's
/// reset-aware ``SeriesStore/Series/increase(from:to:)`` so a restart never makes a negative rate.
extension SeriesStore.Series {
    /// The time from the first point held to the last, in seconds; 0 with fewer than two points.
    var windowDuration: Double {
        guard let first = self.points.first, let last = self.points.last else {
            return 0
        }
        return last.time - first.time
    }

    /// The total increase of a counter over the points held, each reset counted as in ``increase(from:to:)``.
    var windowIncrease: Double {
        zip(self.points.dropLast(), self.points.dropFirst()).reduce(0) { $0 + Self.increase(from: $1.0, to: $1.1) }
    }

    /// The mean per-second increase of a counter over the points held; nil when they span no time.
    var windowRate: Double? {
        let duration = self.windowDuration
        return duration > 0 ? self.windowIncrease / duration : nil
    }

    /// The sum of the window rates of `series` (one counter split by labels); nil when none has one.
    static func sumOfWindowRates(_ series: [SeriesStore.Series]) -> Double? {
        let rates = series.compactMap(\.windowRate)
        return rates.isEmpty ? nil : rates.reduce(0, +)
    }
}
