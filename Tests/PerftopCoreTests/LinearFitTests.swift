import Testing

@testable import PerftopCore

@Suite("Least-squares fit, window arithmetic and number formatting")
struct LinearFitTests {
    private func points(_ values: [Double], from start: Double = 1_700_000_000, every interval: Double = 2)
        -> [SeriesStore.Point]
    {
        values.enumerated().map { SeriesStore.Point(time: start + Double($0.offset) * interval, value: $0.element) }
    }

    @Test("a straight line at epoch-sized times has its slope and an R² of 1")
    func line() throws {
        let fit = try #require(LinearFit(self.points([10, 13, 16, 19, 22])))
        #expect(abs(fit.slope - 1.5) < 1e-12)
        #expect(abs(fit.rSquared - 1) < 1e-12)
        #expect(fit.count == 5)
        #expect(fit.duration == 8)
    }

    @Test("a constant series has no slope and nothing to explain: R² 0")
    func constant() throws {
        let fit = try #require(LinearFit(self.points([4, 4, 4, 4])))
        #expect(fit.slope == 0)
        #expect(fit.rSquared == 0)
    }

    @Test("a falling line has a negative slope and still an R² of 1")
    func falling() throws {
        let fit = try #require(LinearFit(self.points([9, 7, 5, 3])))
        #expect(abs(fit.slope + 1) < 1e-12)
        #expect(abs(fit.rSquared - 1) < 1e-12)
    }

    @Test("one point, or points all read at one time, have no line")
    func degenerate() {
        #expect(LinearFit(self.points([1])) == nil)
        #expect(LinearFit(self.points([1, 2, 3], every: 0)) == nil)
        #expect(LinearFit([SeriesStore.Point]()) == nil)
    }

    @Test("points whose time or value is not finite are left out of the line")
    func nonFinitePointsAreLeftOut() throws {
        var points = self.points([10, 13, 16, 19, 22])
        points.insert(SeriesStore.Point(time: 1_700_000_001, value: .nan), at: 1)
        points.append(SeriesStore.Point(time: 1_700_000_010, value: .infinity))
        points.append(SeriesStore.Point(time: .infinity, value: 1))
        let fit = try #require(LinearFit(points))
        #expect(abs(fit.slope - 1.5) < 1e-12)
        #expect(abs(fit.rSquared - 1) < 1e-12)
        #expect(fit.count == 5)
        #expect(fit.duration == 8)
    }

    @Test("a process's bytes, gigabytes growing by a few bytes a second, keep their slope and R²")
    func largeValues() throws {
        // Raw sums of squares (Σv² − n·mean², each square about 1.6e19, rounded to 2,048) would
        // lose most of a variance of about 67,000 per point; the fit keeps it.
        let values = (0..<300).map { (second: Int) -> Double in
            let jitter = second % 2 == 0 ? 0.5 : -0.5
            return 4_000_000_000 + 3 * Double(second) + jitter
        }
        let fit = try #require(LinearFit(self.points(values, every: 1)))
        #expect(abs(fit.slope - 3) < 1e-3)
        #expect(fit.rSquared > 0.99)
        #expect(fit.rSquared <= 1)
    }

    @Test("values near Double's limit, whose squares overflow, have no line rather than an infinite one")
    func valuesNearTheLimit() {
        let huge = Double.greatestFiniteMagnitude
        #expect(LinearFit(self.points([-huge, huge, -huge, huge])) == nil)
        #expect(LinearFit(self.points([0, huge / 2, huge])) == nil)
        let fit = LinearFit(self.points([1e150, 2e150, 3e150]))
        #expect(fit.map { $0.slope.isFinite && $0.rSquared.isFinite } ?? true)
    }

    @Test("a window rate is the total increase over the time spanned, resets counted as restarts")
    func windowRate() throws {
        var store = SeriesStore(retention: 10)
        for (time, value) in [(0.0, 10.0), (2, 30), (4, 50), (6, 5), (8, 25)] {
            store.record(source: "s", samples: [.counter("c", value)], at: time)
        }
        let series = try #require(store.series(source: "s", named: "c").first)
        #expect(series.increase(over: .retained)?.value == 65.0)
        #expect(series.increase(over: .retained)?.seconds == 8)
        #expect(series.rate(over: .retained)?.value == 65.0 / 8.0)
        var single = SeriesStore(retention: 10)
        single.record(source: "s", samples: [.counter("c", 1)], at: 0)
        #expect(single.series(source: "s", named: "c").first?.rate(over: .retained) == nil)
    }

    @Test(
        "cited numbers are written with about three significant digits in their unit",
        arguments: [
            (0.4, AdviceEvidence.Unit.fraction, "40.0%"),
            (1, .fraction, "100%"),
            (0.004, .perSecond, "0.00/s"),
            (1234, .perSecond, "1.23k/s"),
            (2_000_000, .perSecond, "2.00M/s"),
            (206 * 1_048_576, .bytes, "206MiB"),
            (512, .bytes, "512B"),
            (1_073_741_824, .bytesPerSecond, "1.00GiB/s"),
            (2_097_152, .bytesPerMinute, "+2.00MiB/min"),
            (0.0452, .seconds, "45.2ms"),
            (190, .seconds, "190s"),
            (0.5, .secondsPerSecond, "0.50s/s"),
            (10_000, .count, "10.0k"),
            (2_500_000, .count, "2.50M"),
            (0.97, .number, "0.97"),
            (.nan, .perSecond, "n/a"),
        ]
    )
    func format(value: Double, unit: AdviceEvidence.Unit, text: String) {
        #expect(AdviceFormat.text(value, unit: unit) == text)
        #expect(AdviceEvidence(label: "x", value: value, unit: unit).text == "x " + text)
    }
}
