import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("UnitFormat")
struct UnitFormatTests {
    @Test(
        "durations pick the largest unit the rounded value reaches",
        arguments: [
            (0.0, "0s"), (850e-9, "850ns"), (0.5e-9, "0.50ns"), (12.34e-6, "12.3µs"), (999.96e-6, "1.00ms"),
            (0.0452, "45.2ms"), (0.0999, "99.9ms"), (0.9999, "1.00s"), (1.234, "1.23s"), (1234, "1234s"),
            (-0.002, "-2.00ms"),
        ] as [(Double, String)]
    )
    func seconds(value: Double, expected: String) {
        #expect(UnitFormat.seconds(value) == expected)
    }

    @Test(
        "bytes use binary units and move up before four digits",
        arguments: [
            (0.0, "0B"), (512, "512B"), (999, "999B"), (1000, "0.98KiB"), (1536, "1.50KiB"),
            (12.3 * 1_048_576, "12.3MiB"), (1_073_741_824, "1.00GiB"), (1023.9 * 1_048_576, "1.00GiB"),
        ] as [(Double, String)]
    )
    func bytes(value: Double, expected: String) {
        #expect(UnitFormat.bytes(value) == expected)
    }

    @Test(
        "rates carry /s and SI suffixes",
        arguments: [
            (0.0, "0/s"), (0.5, "0.50/s"), (12.34, "12.3/s"), (999.4, "999/s"), (999.6, "1.00k/s"),
            (1234.5, "1.23k/s"), (2.5e6, "2.50M/s"),
        ] as [(Double, String)]
    )
    func rates(value: Double, expected: String) {
        #expect(UnitFormat.rate(value) == expected)
    }

    @Test("counts keep small integers exact")
    func counts() {
        #expect(UnitFormat.count(812) == "812")
        #expect(UnitFormat.count(2.5) == "2.50")
        #expect(UnitFormat.count(1024) == "1.02k")
    }

    @Test(
        "percentages have one decimal and stay five wide at 100",
        arguments: [
            (0.0, "0.0%"), (0.934, "93.4%"), (0.99949, "99.9%"), (0.99996, "100%"), (1, "100%"),
            (1.2, "120.0%"),
        ] as [(Double, String)]
    )
    func percentages(fraction: Double, expected: String) {
        #expect(UnitFormat.percent(fraction: fraction) == expected)
    }

    @Test("missing and non-finite values are never shown as numbers")
    func missingValues() {
        #expect(UnitFormat.seconds(nil) == "–")
        #expect(UnitFormat.bytes(nil) == "–")
        #expect(UnitFormat.rate(nil) == "–")
        #expect(UnitFormat.percent(nil) == "–")
        #expect(UnitFormat.seconds(.nan) == "n/a")
        #expect(UnitFormat.rate(.infinity) == "n/a")
        #expect(UnitFormat.percent(fraction: .nan) == "n/a")
    }

    @Test("a magnitude only a lying source reports stays short: three digits and an exponent")
    func hugeValues() {
        #expect(UnitFormat.bytes(1.7e308) == "1.51e+293PiB")
        #expect(UnitFormat.bytes(-1.7e308) == "-1.51e+293PiB")
        #expect(UnitFormat.rate(1e300) == "1.00e+288T/s")
        #expect(UnitFormat.fixed(9.5e15, decimals: 0) == "9.50e+15")
        #expect(UnitFormat.seconds(-0.0) == "0s")
    }
}
