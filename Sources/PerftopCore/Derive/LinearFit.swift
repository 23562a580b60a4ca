/// The least-squares line through a series' points, value against time: how fast it grows and how
/// well a straight line explains it.
///
/// The advisor reads a steady trend from ``slope`` (value units per second) and ``rSquared``: a
/// series that grows steadily has a positive slope and an R² near 1; a flat, noisy or sawtooth
/// series has a slope near 0 or an R² well below 1. Cost: O(points), one pass.
public struct LinearFit: Sendable, Equatable {
    /// The growth of the value per second of time.
    public var slope: Double
    /// The coefficient of determination, from 0 to 1: the share of the value's variance the line
    /// explains; 0 for a constant series, which has no variance to explain.
    public var rSquared: Double
    /// How many points the line was fitted to.
    public var count: Int
    /// The time from the first point to the last, in seconds.
    public var duration: Double

    /// Fits a line to `points`, leaving out any whose time or value is not finite; nil with fewer
    /// than two such points, when they were all read at the same time (no slope exists), or when
    /// values near `Double`'s limit overflow the fit.
    ///
    /// One pass, with Welford's updates of the means and of the sums of squared and crossed
    /// deviations, which stay exact for values as large as a process's bytes, unlike sums of squares.
    public init?(_ points: some Sequence<SeriesStore.Point>) {
        var sums = Sums()
        // A history's points are read a chunk at a time; the cast folds away when specialised.
        if let window = points as? Slice<PointHistory> {
            window.base.forEach(in: window.startIndex..<window.endIndex) { sums.add($0) }
        } else {
            for point in points {
                sums.add(point)
            }
        }
        self.init(sums, duration: sums.lastTime - sums.firstTime)
    }

    /// The line of points summed in `sums`, spanning `duration` seconds; nil as for
    /// ``init(_:)``.
    init?(_ sums: Sums, duration: Double) {
        let (count, timeVariance, valueVariance, covariance) = (
            sums.count, sums.timeVariance, sums.valueVariance, sums.covariance
        )
        // Values near Double's limit overflow the squared deviations: no line is better than an
        // infinite or NaN one, which no reader of a slope expects.
        guard count >= 2, timeVariance > 0, timeVariance.isFinite, valueVariance.isFinite, covariance.isFinite
        else {
            return nil
        }
        let slope = covariance / timeVariance
        guard slope.isFinite else {
            return nil
        }
        self.slope = slope
        // covariance² / (timeVariance × valueVariance), without squaring a value that may overflow.
        self.rSquared = valueVariance > 0 ? min(slope * (covariance / valueVariance), 1) : 0
        self.count = Int(count)
        self.duration = duration
    }

    /// The running means and sums of squared and crossed deviations (Welford's updates), to which
    /// points can be added and from which the oldest can be taken away, so a sliding window's line
    /// costs O(1) per point that enters or leaves it (``SeriesStore/Series`` keeps one over its points).
    struct Sums: Sendable {
        var count = 0.0
        /// Times and values are taken relative to them (the first point added since the sums were
        /// empty), which keeps the sums exact for epoch-sized timestamps and the means small, so that
        /// taking points away loses little to rounding.
        var origin = 0.0
        var valueOrigin = 0.0
        /// The time of the first and of the last point added.
        var firstTime = 0.0
        var lastTime = 0.0
        var meanTime = 0.0
        var meanValue = 0.0
        var timeVariance = 0.0
        var valueVariance = 0.0
        var covariance = 0.0

        /// Set when taking a point away left a sum of squared deviations at less than
        /// ``precisionLossLimit`` of what it was: the point carried nearly all of it (a spike far
        /// larger than the others), and what is left is mostly that point's rounding. The sums are
        /// then not to be read until they are summed again from the points.
        var hasLostPrecision = false

        /// The share of a sum of squared deviations below which taking a point away loses more than
        /// about 1e-12 of what is left to rounding: 1e-4.
        static let precisionLossLimit = 1e-4

        /// Whether the sums are numbers: values near `Double`'s limit overflow them.
        var isFinite: Bool {
            self.meanValue.isFinite && self.timeVariance.isFinite && self.valueVariance.isFinite
                && self.covariance.isFinite
        }

        /// Adds `point`, unless its time or value is not finite.
        mutating func add(_ point: SeriesStore.Point) {
            guard point.time.isFinite, point.value.isFinite else {
                return
            }
            if self.count == 0 {
                (self.origin, self.valueOrigin) = (point.time, point.value)
                self.firstTime = point.time
            }
            self.lastTime = point.time
            let (time, value) = (point.time - self.origin, point.value - self.valueOrigin)
            self.count += 1
            let timeDeviation = time - self.meanTime
            let valueDeviation = value - self.meanValue
            self.meanTime += timeDeviation / self.count
            self.meanValue += valueDeviation / self.count
            self.timeVariance += timeDeviation * (time - self.meanTime)
            self.valueVariance += valueDeviation * (value - self.meanValue)
            self.covariance += timeDeviation * (value - self.meanValue)
        }

        /// Takes away `point`, which was added before, unless its time or value is not finite: the
        /// updates of ``add(_:)`` run backwards. ``firstTime`` is left for the caller to set. Sets
        /// ``hasLostPrecision`` when the point carried nearly all of a sum.
        mutating func remove(_ point: SeriesStore.Point) {
            guard point.time.isFinite, point.value.isFinite else {
                return
            }
            guard self.count > 1 else {
                self = Sums()
                return
            }
            let (time, value) = (point.time - self.origin, point.value - self.valueOrigin)
            let (timeVarianceBefore, valueVarianceBefore) = (self.timeVariance, self.valueVariance)
            self.count -= 1
            let timeDeviation = time - self.meanTime
            let valueDeviation = value - self.meanValue
            self.meanTime -= timeDeviation / self.count
            self.meanValue -= valueDeviation / self.count
            self.timeVariance -= timeDeviation * (time - self.meanTime)
            self.valueVariance -= valueDeviation * (value - self.meanValue)
            self.covariance -= timeDeviation * (value - self.meanValue)
            if self.timeVariance < timeVarianceBefore * Self.precisionLossLimit
                || self.valueVariance < valueVarianceBefore * Self.precisionLossLimit
            {
                self.hasLostPrecision = true
            }
        }
    }
}
