/// The least-squares line through a series' points, value against time: how fast it grows and how
/// well a straight line explains it.
///
/// The advisor reads a steady trend from ``slope`` (value units per second) and ``rSquared``: a
/// series that grows steadily has a positive slope and an R² near 1; a flat, noisy or sawtooth
/// series has a slope near 0 or an R² well below 1. Cost: O(points), two passes.
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

    /// Fits a line to `points`; nil with fewer than two points or when they were all read at the
    /// same time (no slope exists).
    public init?(_ points: some Collection<SeriesStore.Point>) {
        guard points.count >= 2, let first = points.first else {
            return nil
        }
        let count = Double(points.count)
        var meanTime = 0.0
        var meanValue = 0.0
        var last = first
        for point in points {
            // Times relative to the first point keep the sums exact for epoch-sized timestamps.
            meanTime += (point.time - first.time) / count
            meanValue += point.value / count
            last = point
        }
        var timeVariance = 0.0
        var covariance = 0.0
        var valueVariance = 0.0
        for point in points {
            let time = point.time - first.time - meanTime
            let value = point.value - meanValue
            timeVariance += time * time
            covariance += time * value
            valueVariance += value * value
        }
        guard timeVariance > 0 else {
            return nil
        }
        self.slope = covariance / timeVariance
        self.rSquared = valueVariance > 0 ? min(covariance * covariance / (timeVariance * valueVariance), 1) : 0
        self.count = points.count
        self.duration = last.time - first.time
    }
}
