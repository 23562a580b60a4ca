import BenchmarkSupport
import Foundation
import PerfKit
import Synchronization

/// Checks Little's law, L = λW, on the processor's own metrics under a steady open-loop load.
///
/// A submitter starts tasks at a fixed rate (whatever finished), each task sleeps about 1 ms, and the
/// concurrency limit is 16. After a warm-up, for the measured span: L is the mean of
/// `queueDepth + inFlight` sampled every 100 µs from a dedicated thread, λ the completions per second, and W the mean
/// wait + service time from the processor's histograms (lifetime sums, differenced). The same for the
/// slots alone: mean `inFlight` against λ × mean service time. If the metrics are consistent, each
/// pair agrees within a few percent.
enum LittlesLawBenchmark {
    static let arrivalsPerSecond = 8_000.0
    static let warmUp = Duration.seconds(2)
    static let measured = Duration.seconds(10)
    static let concurrency = 16

    static func run() async {
        print(
            "3. Little's law: \(Int(self.arrivalsPerSecond)) arrivals/s, tasks sleep 1 ms, concurrency "
                + "\(self.concurrency), \(self.warmUp) warm-up then \(self.measured) measured"
        )
        print()
        let processor = AsyncProcessor(name: "littles-law", maxConcurrency: self.concurrency)
        let clock = ContinuousClock()
        let start = clock.now
        let stop = start.advanced(by: self.warmUp + self.measured)
        let result = await withTaskGroup(of: Measurement?.self) { group in
            group.addTask {
                await self.submitSteadily(to: processor, from: start, until: stop)
                return nil
            }
            group.addTask {
                await self.measure(processor, from: start.advanced(by: self.warmUp), until: stop)
            }
            var measurement: Measurement?
            for await value in group where value != nil {
                measurement = value
            }
            return measurement!
        }
        var table = TextTable(["quantity", "L (sampled mean)", "λ (tasks/s)", "W (mean ms)", "λW", "L / λW - 1"])
        table.append(
            result.row(
                label: "in system (queued + in flight)",
                mean: result.meanInSystem,
                time: result.meanTimeInSystem
            )
        )
        table.append(
            result.row(label: "in flight (holding a slot)", mean: result.meanInFlight, time: result.meanService)
        )
        print(table.render())
        print()
        print(
            "completed in span: \(result.completed), samples of L: \(result.samples), "
                + "mean wait \(formatted(result.meanWait * 1e3, digits: 3)) ms"
        )
    }

    /// Starts tasks at ``arrivalsPerSecond``, catching up after each sleep, until `stop`.
    private static func submitSteadily(
        to processor: AsyncProcessor,
        from start: ContinuousClock.Instant,
        until stop: ContinuousClock.Instant
    ) async {
        let clock = ContinuousClock()
        await withDiscardingTaskGroup { group in
            var started = 0
            while clock.now < stop {
                let due = Int(start.duration(to: clock.now).secondsValue * self.arrivalsPerSecond)
                while started < due {
                    started += 1
                    group.addTask {
                        _ = try? await processor.submit { try await Task.sleep(for: .milliseconds(1)) }
                    }
                }
                try? await Task.sleep(for: .microseconds(500))
            }
        }
    }

    /// Samples the processor from `begin` to `end` on a dedicated thread and differences its counters.
    ///
    /// The sampling runs on its own OS thread, every 100 µs, because a sampler on the cooperative pool
    /// only runs when the pool has a free thread, which is exactly when the queue is short: its mean
    /// would be biased low.
    private static func measure(
        _ processor: AsyncProcessor,
        from begin: ContinuousClock.Instant,
        until end: ContinuousClock.Instant
    ) async -> Measurement {
        let clock = ContinuousClock()
        try? await Task.sleep(until: begin, clock: clock)
        let firstStats = processor.stats
        let firstWait = processor.waitTimes.summary
        let firstService = processor.serviceTimes.summary
        let measuredFrom = clock.now
        let sampler = Sampler()
        let thread = Thread {
            while ContinuousClock.now < end {
                let stats = processor.stats
                sampler.add(inSystem: stats.queueDepth + stats.inFlight, inFlight: stats.inFlight)
                usleep(100)
            }
            sampler.finish()
        }
        thread.start()
        while !sampler.isFinished {
            try? await Task.sleep(for: .milliseconds(10))
        }
        let span = measuredFrom.duration(to: clock.now).secondsValue
        let lastStats = processor.stats
        let lastWait = processor.waitTimes.summary
        let lastService = processor.serviceTimes.summary
        let completed = lastStats.terminated - firstStats.terminated
        let waitCount = Double(lastWait.totalCount - firstWait.totalCount)
        let serviceCount = Double(lastService.totalCount - firstService.totalCount)
        let meanWait = (lastWait.totalDuration - firstWait.totalDuration).secondsValue / waitCount
        let meanService = (lastService.totalDuration - firstService.totalDuration).secondsValue / serviceCount
        let sums = sampler.sums
        return Measurement(
            completed: completed,
            samples: sums.count,
            throughput: Double(completed) / span,
            meanInSystem: Double(sums.inSystem) / Double(sums.count),
            meanInFlight: Double(sums.inFlight) / Double(sums.count),
            meanWait: meanWait,
            meanService: meanService
        )
    }

    /// Sums of sampled gauges, written by the sampling thread and read when it has finished.
    final class Sampler: Sendable {
        private let state = Mutex((inSystem: 0, inFlight: 0, count: 0))
        private let finished = Atomic<Bool>(false)

        var isFinished: Bool {
            self.finished.load(ordering: .acquiring)
        }

        var sums: (inSystem: Int, inFlight: Int, count: Int) {
            self.state.withLock { $0 }
        }

        func add(inSystem: Int, inFlight: Int) {
            self.state.withLock { sums in
                sums.inSystem += inSystem
                sums.inFlight += inFlight
                sums.count += 1
            }
        }

        func finish() {
            self.finished.store(true, ordering: .releasing)
        }
    }

    struct Measurement: Sendable {
        var completed: Int
        var samples: Int
        var throughput: Double
        var meanInSystem: Double
        var meanInFlight: Double
        var meanWait: Double
        var meanService: Double

        var meanTimeInSystem: Double {
            self.meanWait + self.meanService
        }

        func row(label: String, mean: Double, time: Double) -> [String] {
            let predicted = self.throughput * time
            return [
                label,
                formatted(mean, digits: 3),
                formatted(self.throughput, digits: 0),
                formatted(time * 1e3, digits: 3),
                formatted(predicted, digits: 3),
                formatted(100 * (mean / predicted - 1), digits: 2) + " %",
            ]
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var secondsValue: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
