import PerfKit
import Synchronization
import Testing

/// Counts operations running now and operations ever started, to prove none outlives its submission.
final class RunningProbe: Sendable {
    private let current = Atomic<Int>(0)
    private let started = Atomic<Int>(0)

    /// Operations running now.
    var running: Int {
        self.current.load(ordering: .sequentiallyConsistent)
    }

    /// Operations started so far.
    var startedCount: Int {
        self.started.load(ordering: .sequentiallyConsistent)
    }

    /// Runs `body` counted as one running operation.
    func run<T>(_ body: () async throws -> T) async rethrows -> T {
        self.started.add(1, ordering: .sequentiallyConsistent)
        self.current.add(1, ordering: .sequentiallyConsistent)
        defer { self.current.subtract(1, ordering: .sequentiallyConsistent) }
        return try await body()
    }
}

/// Suspends until the task is cancelled, then throws `CancellationError`; never sleeps on a real clock.
func suspendUntilCancelled() async throws {
    let gate = Gate()
    await withTaskCancellationHandler {
        await gate.wait()
    } onCancel: {
        gate.open()
    }
    throw CancellationError()
}

/// Starts one submission that holds a slot of `processor` until `gate` opens, and returns once it runs.
func occupySlot(of processor: AsyncProcessor, until gate: Gate) async -> Task<Void, any Error> {
    let (started, continuation) = AsyncStream.makeStream(of: Void.self)
    let task = Task {
        try await processor.submit {
            continuation.yield()
            await gate.wait()
        }
    }
    var iterator = started.makeAsyncIterator()
    _ = await iterator.next()
    return task
}

/// Starts a submission whose operation, counted by `probe`, runs until it is cancelled.
func submitRunningUntilCancelled(
    to processor: AsyncProcessor,
    probe: RunningProbe,
    timeout: Duration? = nil
) -> Task<Void, any Error> {
    Task {
        try await processor.submit(timeout: timeout) {
            try await probe.run { try await suspendUntilCancelled() }
        }
    }
}

/// Reads a processor's stats over and over on a task of its own, counting the reads that break a rule.
final class StatsWatcher: Sendable {
    private let watching: Shared<Bool>
    private let task: Task<Int, Never>

    /// Starts watching `processor`; `holds` says whether one read of its stats is consistent.
    init(_ processor: AsyncProcessor, holds: @escaping @Sendable (AsyncProcessorStats) -> Bool) {
        let watching = Shared(true)
        self.watching = watching
        self.task = Task {
            var brokenReads = 0
            while watching.value {
                if !holds(processor.stats) {
                    brokenReads += 1
                }
                await Task.yield()
            }
            return brokenReads
        }
    }

    /// Stops watching and returns how many reads broke the rule.
    func stop() async -> Int {
        self.watching.update { $0 = false }
        return await self.task.value
    }
}

/// Whether the processor's counts add up: submitted == queued + in flight + every terminal outcome.
func countsAddUp(_ stats: AsyncProcessorStats) -> Bool {
    let outcomes: [Int] = [
        stats.succeeded, stats.failed, stats.cancelled, stats.rejected, stats.dropped, stats.timedOut,
    ]
    let terminated = outcomes.reduce(0, +)
    return terminated == stats.terminated && stats.submitted == stats.queueDepth + stats.inFlight + terminated
}
