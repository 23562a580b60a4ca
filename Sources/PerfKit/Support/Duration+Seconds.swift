extension Duration {
    /// The duration in seconds, as a floating-point number (to the nearest attosecond a `Double` holds).
    ///
    /// Package-wide rather than public: an agent that embeds PerfKit should not get a `seconds`
    /// property on the standard library's `Duration` that may clash with its own.
    package var seconds: Double {
        Double(self.components.seconds) + Double(self.components.attoseconds) * 1e-18
    }
}
