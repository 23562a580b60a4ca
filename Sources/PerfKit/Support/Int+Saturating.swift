extension Int {
    /// `value` rounded toward zero and clamped to `Int`'s range, 0 for NaN: a conversion that never
    /// traps, for numbers that come from outside (a source's value, a computed scale) on the way to a
    /// column, a count or a label.
    @inlinable
    package init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9_223_372_036_854_775_807.0 {
            self = .max
        } else if value <= -9_223_372_036_854_775_808.0 {
            self = .min
        } else {
            self = Int(value)
        }
    }
}
