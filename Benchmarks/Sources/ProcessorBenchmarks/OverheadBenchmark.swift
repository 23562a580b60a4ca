import BenchmarkSupport
import PerfKit

/// Per-task cost of ``AsyncProcessor/submit(priority:timeout:retry:_:)`` against a bare task group, and
/// throughput at several concurrency limits.
///
/// Every variant runs `taskCount` tasks from one task group that keeps `window` children alive at a
/// time, so the only difference between rows is what each child does.
enum OverheadBenchmark {
    static let taskCount = 100_000
    static let window = 256
    static let repetitions = 5

    static func run() async {
        print(
            "1. Overhead: ns per no-op task, median of \(self.repetitions) runs of \(self.taskCount) tasks, "
                + "\(self.window) children alive at a time; concurrency limit 16, unbounded queue"
        )
        print()
        let processor = AsyncProcessor(name: "overhead", maxConcurrency: 16)
        let bare = await self.nanosecondsPerTask { _ in 1 }
        let submit = await self.nanosecondsPerTask { _ in (try? await processor.submit { 1 }) ?? 0 }
        let timed = await self.nanosecondsPerTask { _ in
            (try? await processor.submit(timeout: .seconds(60)) { 1 }) ?? 0
        }
        let retrying = RetryPolicy(maxAttempts: 3) { _ in true }
        let retry = await self.nanosecondsPerTask { _ in (try? await processor.submit(retry: retrying) { 1 }) ?? 0 }
        var table = TextTable(["child does", "ns/task", "overhead ns/task"])
        table.append(["return 1 (bare TaskGroup)", formatted(bare, digits: 0), "-"])
        for (label, value) in [
            ("processor.submit { 1 }", submit),
            ("submit(timeout: 60 s) { 1 }", timed),
            ("submit(retry: 3 attempts) { 1 }", retry),
        ] {
            table.append([label, formatted(value, digits: 0), formatted(value - bare, digits: 0)])
        }
        print(table.render())
        let batch = await self.medianNanoseconds {
            let results = await processor.submitBatch(0..<self.taskCount, maxConcurrency: self.window) { $0 & 1 }
            return results.count
        }
        print()
        print(
            "submitBatch of \(self.taskCount) no-op items (\(self.window) at a time): \(formatted(batch, digits: 0)) ns/item"
        )
    }

    static func runThroughput() async {
        print(
            "2. Throughput: tasks per second, median of \(self.repetitions) runs of \(self.taskCount) tasks, "
                + "\(self.window) submitters alive at a time"
        )
        print()
        var table = TextTable(["concurrency limit", "no-op tasks/s", "Task.yield() tasks/s"])
        for limit in [1, 2, 16] {
            let processor = AsyncProcessor(name: "throughput-\(limit)", maxConcurrency: limit)
            let noop = await self.nanosecondsPerTask { _ in (try? await processor.submit { 1 }) ?? 0 }
            let yielding = await self.nanosecondsPerTask { _ in
                (try? await processor.submit {
                    await Task.yield()
                    return 1
                }) ?? 0
            }
            table.append([
                "\(limit)", formatted(1e9 / noop, digits: 0), formatted(1e9 / yielding, digits: 0),
            ])
        }
        print(table.render())
    }

    /// The median nanoseconds per task of running `child` for every index in a windowed task group.
    private static func nanosecondsPerTask(_ child: @escaping @Sendable (Int) async -> Int) async -> Double {
        await self.medianNanoseconds {
            await withTaskGroup(of: Int.self) { group in
                var sum = 0
                for index in 0..<self.taskCount {
                    if index >= self.window {
                        sum &+= await group.next() ?? 0
                    }
                    group.addTask { await child(index) }
                }
                for await value in group {
                    sum &+= value
                }
                return sum
            }
        }
    }

    /// The median over ``repetitions`` timed runs, after one warm-up, of nanoseconds per task.
    private static func medianNanoseconds(_ run: () async -> Int) async -> Double {
        await medianSeconds(repetitions: self.repetitions, run) * 1e9 / Double(self.taskCount)
    }
}
