extension Duration {
    /// The duration in seconds, as a floating-point number (to the nearest attosecond a `Double` holds).
    ///
    /// Package-wide rather than public: an agent that embeds PerfKit should not get a `seconds`
    /// property on the standard library's `Duration` that may clash with its own.
    package var seconds: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) * 1e-18
    }

    /// The duration in whole nanoseconds, truncated towards zero, saturating at `Int64`'s bounds.
    @usableFromInline package var nanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else {
            return seconds < 0 ? .min : .max
        }
        let (sum, sumOverflow) = product.addingReportingOverflow(attoseconds / 1_000_000_000)
        return sumOverflow ? (product < 0 ? .min : .max) : sum
    }
}
