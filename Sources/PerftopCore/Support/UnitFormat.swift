/// Short, fixed-precision text for measured values: durations, byte sizes, rates, counts and
/// percentages, about three significant digits each so columns stay narrow and steady. The panes,
/// the advisor's lines and the exports' readable values all use it, so a number reads the same
/// everywhere.
///
/// A `nil` value formats as ``missing``; NaN and infinities as `n/a`. Nothing here rounds a
/// value to zero that is not zero: `0.004/s` prints as `0.00/s`, not `0/s`. Cost: O(1), no
/// Foundation.
public enum UnitFormat {
    /// The text for a value no source provided.
    public static let missing = "–"

    /// The text for a value that is not a finite number.
    public static let notANumber = "n/a"

    // MARK: - Durations

    /// A duration in seconds as `850ns`, `12.3µs`, `45.2ms`, `1.23s` or `1234s`.
    ///
    /// The unit is the largest one the value reaches, after rounding: 999.96µs prints as `1.00ms`.
    public static func seconds(_ value: Double?) -> String {
        self.scaled(value, units: [(1e-9, "ns"), (1e-6, "µs"), (1e-3, "ms"), (1, "s")], zero: "0s")
    }

    // MARK: - Bytes

    /// A byte count in binary units: `512B`, `1.50KiB`, `12.3MiB`, `1.00GiB`, up to PiB.
    ///
    /// A value that would print as 1000 or more of one unit moves to the next: 1000 bytes print
    /// as `0.98KiB`, so the text is at most seven characters below 1000 PiB.
    public static func bytes(_ value: Double?) -> String {
        self.scaled(
            value,
            units: [
                (1, "B"), (1024, "KiB"), (1_048_576, "MiB"), (1_073_741_824, "GiB"), (1_099_511_627_776, "TiB"),
                (1_125_899_906_842_624, "PiB"),
            ],
            zero: "0B",
            integralBase: true
        )
    }

    /// A byte rate per second: `0B/s`, `512B/s`, `12.3MiB/s`, `-1.50KiB/s` for a shrinking amount.
    public static func byteRate(_ value: Double?) -> String {
        let text = self.bytes(value)
        guard text != self.missing && text != self.notANumber else {
            return text
        }
        return text + "/s"
    }

    /// A growth rate given in bytes per second, shown per minute with its sign: `+1.20MiB/min`,
    /// `-512KiB/min`, `0B/min`.
    public static func growthPerMinute(bytesPerSecond value: Double?) -> String {
        let text = self.bytes(value.map { $0 * 60 })
        guard text != self.missing && text != self.notANumber else {
            return text
        }
        return (value ?? 0) > 0 ? "+" + text + "/min" : text + "/min"
    }

    // MARK: - Counts and rates

    /// A count: integers below 1000 as they are (`812`), others with three digits and an SI
    /// suffix (`2.50`, `1.20k`, `3.40M`, `5.00G`).
    public static func count(_ value: Double?) -> String {
        self.scaled(
            value,
            units: [(1, ""), (1e3, "k"), (1e6, "M"), (1e9, "G"), (1e12, "T")],
            zero: "0",
            integralBase: true
        )
    }

    /// A rate per second: `0/s`, `0.50/s`, `12.3/s`, `1.20k/s`.
    public static func rate(_ value: Double?) -> String {
        let text = self.scaled(value, units: [(1, ""), (1e3, "k"), (1e6, "M"), (1e9, "G"), (1e12, "T")], zero: "0")
        guard text != self.missing && text != self.notANumber else {
            return text
        }
        return text + "/s"
    }

    // MARK: - Percentages

    /// A fraction from 0 to 1 as a percentage with one decimal: `93.4%`, `0.0%`, `100%`.
    ///
    /// Values outside 0...1 print as they are (`120.0%`), never clamped.
    public static func percent(fraction value: Double?) -> String {
        self.percent(value.map { $0 * 100 })
    }

    /// A percentage from 0 to 100 with one decimal: `23.1%`; exactly (or rounded to) 100 prints
    /// as `100%` to keep the column five wide.
    public static func percent(_ value: Double?) -> String {
        guard let value else {
            return self.missing
        }
        guard value.isFinite else {
            return self.notANumber
        }
        let text = self.fixed(value, decimals: 1)
        return (text == "100.0" ? "100" : text) + "%"
    }

    // MARK: - Internals

    /// Picks the largest unit the rounded value reaches and prints three significant digits;
    /// with `integralBase`, whole numbers of the smallest unit print without decimals.
    private static func scaled(
        _ value: Double?,
        units: [(scale: Double, suffix: String)],
        zero: String,
        integralBase: Bool = false
    ) -> String {
        guard let value else {
            return self.missing
        }
        guard value.isFinite else {
            return self.notANumber
        }
        if value == 0 {
            return zero
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
        return sign + self.threeDigits(scaled) + unit.suffix
    }

    /// Three significant digits for a magnitude below 1000 (more digits above, for the last unit).
    private static func threeDigits(_ value: Double) -> String {
        if value < 9.995 {
            return self.fixed(value, decimals: 2)
        }
        if value < 99.95 {
            return self.fixed(value, decimals: 1)
        }
        return self.fixed(value, decimals: 0)
    }

    /// `value` rounded half away from zero to `decimals` places, without Foundation.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        var factor = 1.0
        for _ in 0..<decimals {
            factor *= 10
        }
        let rounded = (abs(value) * factor).rounded(.toNearestOrAwayFromZero)
        guard rounded < 9e15 else {
            return self.scientific(value)
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

    /// `1.51e+293`: three significant digits and a decimal exponent, for a magnitude too large for
    /// ``fixed(_:decimals:)`` (9e15 and up, which only a lying source reports), so it stays short.
    static func scientific(_ value: Double) -> String {
        guard value.isFinite else {
            return self.notANumber
        }
        var mantissa = abs(value)
        var exponent = 0
        while mantissa >= 9.995 {
            mantissa /= 10
            exponent += 1
        }
        return (value < 0 ? "-" : "") + self.fixed(mantissa, decimals: 2) + "e+" + String(exponent)
    }
}
