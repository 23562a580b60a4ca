import PerfKit

// MARK: - Mapping values to heights

extension Sparkline.Scale {
    /// The range `values` are drawn in: the fixed range, or zero to the largest finite value (down
    /// to the smallest when every value is negative). Always finite, whatever the values: NaN and
    /// infinities are skipped and the bounds are clamped to the largest finite magnitudes.
    func range(of values: some Sequence<Double>) -> ClosedRange<Double> {
        switch self {
        case .fixed(let fixed):
            let lower = Self.finite(fixed.lowerBound)
            return lower...max(lower, Self.finite(fixed.upperBound))
        case .fromZero:
            let top = values.lazy.filter(\.isFinite).max() ?? 0
            return min(0, top)...max(0, top)
        }
    }

    /// The step, from 0 to `steps - 1`, that `value` reaches in `range`, or nil for a non-finite
    /// value; values outside the range are clamped to its ends.
    ///
    /// Total for every input: a range wider than the largest `Double` (-1.7e308...1.7e308), a
    /// range of zero width, infinite or NaN bounds and subnormal values all give a step in range,
    /// never a trap. Cost: O(1).
    static func step(of value: Double, in range: ClosedRange<Double>, steps: Int) -> Int? {
        guard value.isFinite else {
            return nil
        }
        guard steps > 1 else {
            return 0
        }
        let lower = Self.finite(range.lowerBound)
        let upper = max(lower, Self.finite(range.upperBound))
        let clamped = min(max(value, lower), upper)
        // Halved so that the differences of two finite values cannot overflow to infinity.
        let span = upper / 2 - lower / 2
        guard span > 0 else {
            return 0
        }
        let position = min(max((clamped / 2 - lower / 2) / span, 0), 1)
        return Int(saturating: (position * Double(steps - 1)).rounded())
    }

    /// `value` clamped to the finite doubles, 0 for NaN.
    private static func finite(_ value: Double) -> Double {
        value.isNaN ? 0 : min(max(value, -.greatestFiniteMagnitude), .greatestFiniteMagnitude)
    }
}
