import BenchmarkSupport
import Foundation
import PerfKit
import Synchronization

/// Measures PerfKit's latency measurement: `LatencyHistogram` record cost, memory and p95 accuracy
/// against the exact p95 of the same window, `OperationTimings.measure` overhead, and the cost of
/// encoding an agent snapshot.
///
/// Run with `swift run -c release --package-path Benchmarks MeasurementBenchmarks`. The latency
/// streams are seeded and replayed on a simulated clock, so the accuracy figures are reproducible;
/// the timings depend on the machine.
@main
struct MeasurementBenchmarks {
    static func main() async {
        let clock = ContinuousClock()
        let start = clock.now
        print("PerfKit measurement benchmarks")
        print()
        await RecordCostBenchmark.run()
        print()
        AccuracyBenchmark.run()
        print()
        SnapshotBenchmark.run()
        print()
        print("Total time: \(clock.now - start)")
    }
}

// MARK: - Timing

/// The median nanoseconds per operation of `run`, which performs `operations` operations and
/// returns a checksum; see `medianSeconds`.
func medianNanoseconds(operations: Int, _ run: () async -> Int) async -> Double {
    await medianSeconds(run) * 1e9 / Double(operations)
}

// MARK: - Simulated time

/// A clock that moves only when told to, so a benchmark can replay minutes of traffic in moments.
final class SimulatedClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant {
            Instant(offset: self.offset + duration)
        }

        func duration(to other: Instant) -> Duration {
            other.offset - self.offset
        }

        static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.offset < rhs.offset
        }
    }

    private let offset = Mutex(Duration.zero)

    var now: Instant {
        Instant(offset: self.offset.withLock { $0 })
    }

    var minimumResolution: Duration {
        .nanoseconds(1)
    }

    func advance(by duration: Duration) {
        self.offset.withLock { $0 += duration }
    }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        self.offset.withLock { $0 = max($0, deadline.offset) }
    }
}

/// Lognormally distributed latencies: `median × e^(sigma × Z)` with Z standard normal (Box–Muller).
struct LognormalLatencies {
    var generator: SplitMix64
    let median: Double
    let sigma: Double

    /// The next latency in nanoseconds.
    mutating func next() -> Int64 {
        let u1 = max(Double(self.generator.next() >> 11) / Double(1 << 53), 1e-300)
        let u2 = Double(self.generator.next() >> 11) / Double(1 << 53)
        let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return Int64(self.median * exp(self.sigma * normal))
    }
}
