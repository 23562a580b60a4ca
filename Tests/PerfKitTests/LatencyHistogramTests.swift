import PerfKit
import Testing

@Suite struct LatencyHistogramTests {
    /// Whether `value` is within `tolerance` (a fraction) of `expected`.
    func isClose(_ value: Duration?, to expected: Duration, tolerance: Double = 0.01) -> Bool {
        guard let value else {
            return false
        }
        let ratio = (value / expected)
        return abs(ratio - 1) <= tolerance
    }

    // MARK: - Percentiles

    @Test func percentilesOfAUniformDistributionAreWithinOnePercent() {
        let clock = ManualClock()
        let histogram = LatencyHistogram(clock: clock)
        for millisecond in 1...1_000 {
            histogram.record(.milliseconds(millisecond))
        }
        let summary = histogram.summary
        #expect(summary.windowCount == 1_000)
        #expect(isClose(summary.p50, to: .milliseconds(500)))
        #expect(isClose(summary.p95, to: .milliseconds(950)))
        #expect(isClose(summary.p99, to: .milliseconds(990)))
        #expect(isClose(summary.max, to: .milliseconds(1_000)))
        #expect(summary.totalCount == 1_000)
        #expect(summary.totalDuration == .milliseconds(500_500))
        #expect(summary.lifetimeMax == .milliseconds(1_000))
    }

    @Test func aBimodalDistributionPutsP95InTheSlowMode() {
        let histogram = LatencyHistogram(clock: ManualClock())
        for _ in 0..<900 {
            histogram.record(.microseconds(200))
        }
        for _ in 0..<100 {
            histogram.record(.milliseconds(40))
        }
        let summary = histogram.summary
        #expect(isClose(summary.p50, to: .microseconds(200)))
        #expect(isClose(summary.p95, to: .milliseconds(40)))
    }

    @Test func outOfRangeDurationsAreClampedNotLost() {
        let histogram = LatencyHistogram(clock: ManualClock())
        histogram.record(.seconds(-1))
        histogram.record(.seconds(500))
        let summary = histogram.summary
        #expect(summary.windowCount == 2)
        #expect(isClose(summary.max, to: LatencyHistogram.maximumTrackable))
        #expect(summary.lifetimeMax == .seconds(500))
    }

    // MARK: - Window

    @Test func oldSubWindowsLeaveTheWindowAndLifetimeTotalsStay() {
        let clock = ManualClock()
        let histogram = LatencyHistogram(window: .seconds(10), subWindowCount: 10, clock: clock)
        for _ in 0..<100 {
            histogram.record(.milliseconds(10))
        }
        clock.advance(by: .seconds(5))
        for _ in 0..<100 {
            histogram.record(.milliseconds(50))
        }
        #expect(histogram.summary.windowCount == 200)
        #expect(isClose(histogram.summary.p95, to: .milliseconds(50)))
        #expect(isClose(histogram.summary.p50, to: .milliseconds(10)))

        clock.advance(by: .seconds(5))
        #expect(histogram.summary.windowCount == 100, "the first sub-window is now 10 s old")
        #expect(isClose(histogram.summary.p50, to: .milliseconds(50)))

        clock.advance(by: .seconds(10))
        let idle = histogram.summary
        #expect(idle.windowCount == 0)
        #expect(idle.p95 == nil)
        #expect(idle.max == nil)
        #expect(idle.totalCount == 200)
        #expect(idle.totalDuration == .seconds(6))
        #expect(idle.lifetimeMax == .milliseconds(50))
    }

    @Test func aLatencyStepShowsWithinOneWindow() {
        let clock = ManualClock()
        let histogram = LatencyHistogram(window: .seconds(10), subWindowCount: 10, clock: clock)
        for _ in 0..<20 {
            for _ in 0..<100 {
                histogram.record(.milliseconds(10))
            }
            clock.advance(by: .seconds(1))
        }
        #expect(isClose(histogram.summary.p95, to: .milliseconds(10)))
        for _ in 0..<10 {
            for _ in 0..<100 {
                histogram.record(.milliseconds(30))
            }
            clock.advance(by: .seconds(1))
        }
        #expect(isClose(histogram.summary.p50, to: .milliseconds(30)))
        #expect(histogram.summary.totalCount == 3_000)
    }

    // MARK: - Concurrency

    @Test func concurrentRecordsAreAllCounted() async {
        // A clock that stands still: on a crowded machine the records may take longer than the window.
        let histogram = LatencyHistogram(window: .seconds(10), subWindowCount: 10, clock: ManualClock())
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<10_000 {
                        histogram.record(.microseconds(100 + task * 10 + index % 7))
                    }
                }
            }
        }
        let summary = histogram.summary
        #expect(summary.totalCount == 80_000)
        #expect(summary.windowCount == 80_000)
    }

    @Test func recordsRacingWithSubWindowChangesAreAllCounted() async {
        let clock = ManualClock()
        let histogram = LatencyHistogram(window: .seconds(10), subWindowCount: 10, clock: clock)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask {
                    for index in 0..<20_000 {
                        if task == 0 && index % 500 == 0 {
                            clock.advance(by: .milliseconds(50))
                        }
                        histogram.record(.microseconds(100 + index % 900))
                    }
                }
            }
        }
        let summary = histogram.summary
        #expect(summary.totalCount == 80_000)
        #expect(summary.windowCount == 80_000, "2 s of sub-windows, all still inside the 10 s window")
        let expectedSum = (0..<20_000).reduce(Duration.zero) { $0 + .microseconds(100 + $1 % 900) } * 4
        #expect(summary.totalDuration == expectedSum)
        #expect(summary.lifetimeMax == .microseconds(999))
    }

    @Test func aWindowOfFinishedSubWindowsStaysSmall() {
        let clock = ManualClock()
        let histogram = LatencyHistogram(window: .seconds(10), subWindowCount: 10, clock: clock)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<10 {
            for _ in 0..<5_000 {
                histogram.recordNanoseconds(Int64.random(in: 50_000...5_000_000, using: &generator))
            }
            clock.advance(by: .seconds(1))
        }
        #expect(histogram.summary.windowCount == 45_000)
        #expect(histogram.estimatedFootprint <= 32 * 1_024)
    }

    // MARK: - Samples

    @Test func summarySamplesFollowThePrometheusSummaryConvention() throws {
        let histogram = LatencyHistogram(clock: ManualClock())
        histogram.record(.milliseconds(20))
        histogram.record(.milliseconds(40))
        let samples = histogram.summary.samples(name: "processor_wait_seconds", labels: ["processor": "jobs"])

        #expect(samples.allSatisfy { $0.kind == .summary && $0.labels["processor"] == "jobs" })
        let quantiles = samples.filter { $0.name == "processor_wait_seconds" }.compactMap { $0.labels["quantile"] }
        #expect(quantiles == ["0.5", "0.95", "0.99", "1"])
        let maximum = try #require(samples.first { $0.labels["quantile"] == "1" })
        #expect(abs(maximum.value - 0.040) < 0.0004)
        #expect(samples.first { $0.name == "processor_wait_seconds_count" }?.value == 2)
        let sum = try #require(samples.first { $0.name == "processor_wait_seconds_sum" })
        #expect(abs(sum.value - 0.060) < 1e-9)
    }

    @Test func anEmptyWindowReportsOnlyLifetimeTotals() {
        let samples = LatencyHistogram(clock: ManualClock()).summary.samples(name: "operation_seconds")
        #expect(samples.map(\.name) == ["operation_seconds_sum", "operation_seconds_count"])
        #expect(samples.map(\.value) == [0, 0])
    }
}
