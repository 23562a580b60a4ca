/// Short text for the numbers advice cites, about three significant digits each, in the style of the
/// dashboard's unit formatting (which lives in PerftopTUI and is not visible here).
///
/// NaN and infinities print as `n/a`. Cost: O(1), no Foundation.
enum AdviceFormat {
    /// `value` written in `unit`, e.g. `42.0%`, `35.0/s`, `2.00MiB/min`, `0.80s/s`.
    static func text(_ value: Double, unit: AdviceEvidence.Unit) -> String {
        guard value.isFinite else {
            return "n/a"
        }
        switch unit {
        case .fraction:
            let text = self.fixed(value * 100, decimals: 1)
            return (text == "100.0" ? "100" : text) + "%"
        case .perSecond:
            return self.scaled(value, units: self.decimalUnits) + "/s"
        case .bytes:
            return self.scaled(value, units: self.binaryUnits, integralBase: true)
        case .bytesPerSecond:
            return self.scaled(value, units: self.binaryUnits, integralBase: true) + "/s"
        case .bytesPerMinute:
            return self.scaled(value, units: self.binaryUnits, integralBase: true) + "/min"
        case .seconds:
            return self.scaled(value, units: [(1e-9, "ns"), (1e-6, "µs"), (1e-3, "ms"), (1, "s")])
        case .secondsPerSecond:
            return self.scaled(value, units: [(1, "")]) + "s/s"
        case .count:
            // Whole counts below a million are written out: a capacity of 10000 is an exact setting.
            return value == value.rounded() && abs(value) < 1e6
                ? self.fixed(value, decimals: 0) : self.scaled(value, units: self.decimalUnits)
        case .number:
            return self.fixed(value, decimals: 2)
        }
    }

    private static let decimalUnits: [(scale: Double, suffix: String)] = [
        (1, ""), (1e3, "k"), (1e6, "M"), (1e9, "G"), (1e12, "T"),
    ]

    private static let binaryUnits: [(scale: Double, suffix: String)] = [
        (1, "B"), (1024, "KiB"), (1_048_576, "MiB"), (1_073_741_824, "GiB"), (1_099_511_627_776, "TiB"),
    ]

    /// The largest unit the rounded magnitude reaches, with three significant digits; with
    /// `integralBase`, whole numbers of the smallest unit print without decimals.
    private static func scaled(
        _ value: Double,
        units: [(scale: Double, suffix: String)],
        integralBase: Bool = false
    ) -> String {
        if value == 0 {
            return "0" + units[0].suffix
        }
        let sign = value < 0 ? "-" : ""
        let magnitude = abs(value)
        var index = 0
        while index + 1 < units.count
            && magnitude >= min(units[index + 1].scale * 0.9995, units[index].scale * 999.5)
        {
            index += 1
        }
        let unit = units[index]
        if index == 0 && integralBase && magnitude == magnitude.rounded() {
            return sign + self.fixed(magnitude, decimals: 0) + unit.suffix
        }
        let scaled = magnitude / unit.scale
        let decimals = scaled < 9.995 ? 2 : scaled < 99.95 ? 1 : 0
        return sign + self.fixed(scaled, decimals: decimals) + unit.suffix
    }

    /// `value` rounded half away from zero to `decimals` places.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var factor = 1.0
        for _ in 0..<decimals {
            factor *= 10
        }
        let rounded = (abs(value) * factor).rounded(.toNearestOrAwayFromZero)
        guard rounded < 9e15 else {
            return "\(value)"
        }
        let units = Int(rounded)
        let scale = Int(factor)
        let whole = units / scale
        let sign = value < 0 && units != 0 ? "-" : ""
        guard decimals > 0 else {
            return sign + String(whole)
        }
        let fraction = String(units % scale)
        return sign + String(whole) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}
