/// The text of the numbers advice cites, in the dashboard's ``UnitFormat``, so advice and panes
/// print a value the same way.
enum AdviceFormat {
    /// `value` written in `unit`, e.g. `42.0%`, `35.0/s`, `+2.00MiB/min`, `0.80s/s`; `n/a` for NaN and
    /// infinities. Cost: O(1).
    static func text(_ value: Double, unit: AdviceEvidence.Unit) -> String {
        guard value.isFinite else {
            return UnitFormat.notANumber
        }
        switch unit {
        case .fraction: return UnitFormat.percent(fraction: value)
        case .perSecond: return UnitFormat.rate(value)
        case .bytes: return UnitFormat.bytes(value)
        case .bytesPerSecond: return UnitFormat.byteRate(value)
        case .bytesPerMinute: return UnitFormat.growthPerMinute(bytesPerSecond: value / 60)
        case .seconds: return UnitFormat.seconds(value)
        case .secondsPerSecond: return UnitFormat.fixed(value, decimals: 2) + "s/s"
        case .count: return UnitFormat.count(value)
        case .number: return UnitFormat.fixed(value, decimals: 2)
        }
    }
}
