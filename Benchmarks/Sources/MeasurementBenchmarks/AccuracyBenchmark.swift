import BenchmarkSupport
import PerfKit

/// p95 of a `LatencyHistogram` against the exact p95 of the same window, for a lognormal stream,
/// steady and across a 3× latency step, replayed on a simulated clock.
///
/// The histogram's window at any moment is its sub-window being filled plus the nine before it; the
/// exact p95 (nearest rank) is computed from exactly those recorded values, kept aside.
enum AccuracyBenchmark {
    static let ratePerSecond = 2_000
    static let steadySeconds = 40
    static let stepSeconds = 20
    static let subWindowCount = 10

    static func run() {
        let clock = SimulatedClock()
        let histogram = LatencyHistogram(
            window: .seconds(self.subWindowCount),
            subWindowCount: self.subWindowCount,
            clock: clock
        )
        var latencies = LognormalLatencies(generator: SplitMix64(seed: 0x1A7E_0002), median: 10e6, sigma: 0.5)
        var perSecond: [[Int64]] = []
        var steadyErrors: [Double] = []
        var stepErrors: [Double] = []
        var largestFootprint = 0
        for second in 0..<(self.steadySeconds + self.stepSeconds) {
            let factor: Int64 = second >= self.steadySeconds ? 3 : 1
            var values: [Int64] = []
            for _ in 0..<self.ratePerSecond {
                let value = latencies.next() * factor
                values.append(value)
                histogram.recordNanoseconds(value)
                clock.advance(by: .nanoseconds(1_000_000_000 / Int64(self.ratePerSecond) - 1))
            }
            perSecond.append(values)
            let window = perSecond.suffix(self.subWindowCount).flatMap { $0 }.sorted()
            let exact = Double(window[Int((0.95 * Double(window.count)).rounded(.up)) - 1])
            let estimate = Double(histogram.summary.p95.map { $0 / .nanoseconds(1) } ?? 0)
            let error = abs(estimate - exact) / exact
            largestFootprint = max(largestFootprint, histogram.estimatedFootprint)
            if second >= self.subWindowCount && second < self.steadySeconds {
                steadyErrors.append(error)
            } else if second >= self.steadySeconds {
                stepErrors.append(error)
            }
            // Records were spaced 1 ns short of 1 s / rate; this completes the second exactly.
            clock.advance(by: .nanoseconds(Int64(self.ratePerSecond)))
        }
        let summary = histogram.summary

        print(
            "2. p95 accuracy: lognormal latencies (median 10 ms, sigma 0.5), \(self.ratePerSecond)/s, window "
                + "\(self.subWindowCount) x 1 s; \(self.steadySeconds) s steady, then latency x 3 for "
                + "\(self.stepSeconds) s; error = |histogram p95 - exact p95 of the same window| / exact, once per second"
        )
        print()
        var table = TextTable(["phase", "checks", "mean error", "max error"])
        for (phase, errors) in [
            ("steady (after the window filled)", steadyErrors), ("across and after the 3x step", stepErrors),
        ] {
            let mean = errors.reduce(0, +) / Double(errors.count)
            table.append([
                phase, "\(errors.count)", formatted(100 * mean, digits: 3) + " %",
                formatted(100 * (errors.max() ?? 0), digits: 3) + " %",
            ])
        }
        print(table.render())
        print()
        print(
            "After the run: window count \(summary.windowCount), lifetime count \(summary.totalCount), "
                + "footprint \(histogram.estimatedFootprint) bytes, largest during the run \(largestFootprint) bytes"
        )
    }
}
