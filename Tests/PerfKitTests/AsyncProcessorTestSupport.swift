import PerfKit
import Synchronization
import Testing

/// A clock that only moves when told to, and whose sleepers wake when it is moved past their deadline.
///
/// Sleeping is cancellable (the sleeper throws `CancellationError` at once), and every requested sleep
/// is logged, so tests check backoff and timeouts without ever waiting for real time.
final class SleepingManualClock: Clock, Sendable {
    typealias Instant = ManualClock.Instant

    private struct Sleeper {
        var id: UInt64
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var requested: [Duration] = []
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    var now: Instant {
        self.state.withLock { $0.now }
    }

    var minimumResolution: Duration {
        .nanoseconds(1)
    }

    /// Tasks sleeping on this clock now.
    var sleeperCount: Int {
        self.state.withLock { $0.sleepers.count }
    }

    /// Every sleep asked for so far, as a duration from the time it was asked, in order.
    var requestedSleeps: [Duration] {
        self.state.withLock { $0.requested }
    }

    /// Moves the clock forward and wakes every sleeper whose deadline it reached.
    func advance(by duration: Duration) {
        let woken = self.state.withLock { state -> [Sleeper] in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let woken = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return woken
        }
        for sleeper in woken {
            sleeper.continuation.resume()
        }
    }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = self.state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = self.state.withLock { state -> Result<Void, any Error>? in
                    state.requested.append(state.now.duration(to: deadline))
                    if Task.isCancelled {
                        return .failure(CancellationError())
                    }
                    if deadline <= state.now {
                        return .success(())
                    }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return nil
                }
                if let outcome {
                    continuation.resume(with: outcome)
                }
            }
        } onCancel: {
            let sleeper = self.state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}

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

/// Whether the processor's counts add up: submitted == queued + in flight + every terminal outcome.
func countsAddUp(_ stats: AsyncProcessorStats) -> Bool {
    let outcomes: [Int] = [
        stats.succeeded, stats.failed, stats.cancelled, stats.rejected, stats.dropped, stats.timedOut,
    ]
    let terminated = outcomes.reduce(0, +)
    return terminated == stats.terminated && stats.submitted == stats.queueDepth + stats.inFlight + terminated
}
