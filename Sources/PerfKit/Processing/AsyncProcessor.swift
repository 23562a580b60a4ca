import DequeModule
import Synchronization

/// Runs async operations with bounded concurrency: at most ``maxConcurrency`` at a time, the others
/// waiting in a first-in, first-out queue.
///
/// ``submit(_:)`` suspends until a slot is free, runs the operation in the caller's task and frees the
/// slot when it ends, handing it straight to the oldest waiter. A waiter whose task is cancelled leaves
/// the queue at once and throws `CancellationError` without ever holding a slot.
///
/// Every submission is counted once, and ends as exactly one outcome, so at any moment
/// `submitted == queueDepth + inFlight + succeeded + failed + cancelled` (see ``stats``). The processor
/// is a ``SampleSource``, so registering it with a ``MetricsRegistry`` shows it in perftop's queue pane.
///
/// The queue itself is unbounded: callers that can outrun the processor should bound their own
/// submissions.
public final class AsyncProcessor: Sendable {
    /// The processor's name, used as the `processor` label of its samples.
    public let name: String
    /// The most operations running at once; always greater than zero.
    public let maxConcurrency: Int

    private let state: Mutex<ProcessorState>
    private let tickets = Atomic<UInt64>(0)
    private let elapsed: @Sendable () -> Duration

    /// Creates a processor that measures queueing time with `ContinuousClock`.
    ///
    /// - Parameters:
    ///   - name: The processor's name, e.g. `embeddings`; it labels the processor's samples.
    ///   - maxConcurrency: The most operations running at once. Must be greater than zero.
    public convenience init(name: String, maxConcurrency: Int) {
        self.init(name: name, maxConcurrency: maxConcurrency, clock: ContinuousClock())
    }

    /// Creates a processor that measures queueing time with the given clock.
    ///
    /// - Parameters:
    ///   - name: The processor's name, e.g. `embeddings`; it labels the processor's samples.
    ///   - maxConcurrency: The most operations running at once. Must be greater than zero.
    ///   - clock: The clock that dates waiters, for ``AsyncProcessorStats/oldestQueuedAge``.
    public init<C: Clock>(name: String, maxConcurrency: Int, clock: C) where C.Duration == Duration {
        precondition(
            maxConcurrency > 0,
            "AsyncProcessor maxConcurrency must be greater than zero, got \(maxConcurrency)"
        )
        self.name = name
        self.maxConcurrency = maxConcurrency
        self.state = Mutex(ProcessorState(limit: maxConcurrency))
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
    }

    // MARK: - Submitting

    /// Waits for a free slot, runs `operation` in the calling task, frees the slot and returns the result.
    ///
    /// Waiters are served in the order they called. If the calling task is cancelled before the
    /// operation starts, the operation never runs and this throws `CancellationError`. An error thrown
    /// by the operation is rethrown; it counts as outcome `cancelled` if it is a `CancellationError`
    /// and `failed` otherwise.
    ///
    /// Cost: one lock when a slot is free; otherwise one suspension, and O(queue depth) to leave the
    /// queue on cancellation.
    ///
    /// - Parameter operation: The work to run; it runs with the caller's task priority and task locals.
    /// - Returns: What `operation` returns.
    public func submit<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        try await self.acquireSlot()
        do {
            let result = try await operation()
            self.releaseSlot(recording: .succeeded)
            return result
        } catch {
            self.releaseSlot(recording: error is CancellationError ? .cancelled : .failed)
            throw error
        }
    }

    // MARK: - Reading

    /// All counters of the processor, read together under one lock. Cost: O(1).
    public var stats: AsyncProcessorStats {
        let now = self.elapsed()
        return self.state.withLock { $0.stats(now: now) }
    }

    // MARK: - Slots

    /// Returns once the caller holds a slot, or throws `CancellationError` without holding one.
    ///
    /// The submission is counted in the same critical section that queues it, gives it a slot or
    /// records it as cancelled, so ``stats`` always adds up.
    private func acquireSlot() async throws {
        let admission = self.state.withLock { state -> Admission in
            if Task.isCancelled {
                state.admitCancelled()
                return .cancelled
            }
            return state.admitToFreeSlot() ? .holdsSlot : .waits
        }
        switch admission {
        case .cancelled: throw CancellationError()
        case .holdsSlot: return
        case .waits: break
        }
        let ticket = self.tickets.wrappingAdd(1, ordering: .relaxed).newValue
        let enqueuedAt = self.elapsed()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let admission = self.state.withLock { state -> Admission in
                    // Both checks run under the lock: a cancellation whose handler already ran found
                    // nothing to remove, and slots freed since the fast path found no waiter to hand to.
                    if Task.isCancelled {
                        state.admitCancelled()
                        return .cancelled
                    }
                    if state.admitToFreeSlot() {
                        return .holdsSlot
                    }
                    state.enqueue(ProcessorWaiter(ticket: ticket, enqueuedAt: enqueuedAt, continuation: continuation))
                    return .waits
                }
                switch admission {
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .holdsSlot: continuation.resume()
                case .waits: break
                }
            }
        } onCancel: {
            let waiter = self.state.withLock { $0.cancelWaiter(ticket: ticket) }
            waiter?.continuation.resume(throwing: CancellationError())
        }
        // A waiter cancelled just after being handed a slot still holds it: pass it on, run nothing.
        if Task.isCancelled {
            self.releaseSlot(recording: .cancelled)
            throw CancellationError()
        }
    }

    /// Records the outcome of the caller's submission and frees its slot, handing it straight to the
    /// oldest waiter if there is one.
    private func releaseSlot(recording outcome: ProcessorOutcome) {
        let next = self.state.withLock { state in
            state.record(outcome)
            return state.releaseSlot()
        }
        next?.continuation.resume()
    }
}

// MARK: - State

/// How a new submission was admitted.
enum Admission {
    /// The task was cancelled; it holds no slot.
    case cancelled
    /// The task took a free slot.
    case holdsSlot
    /// The task must wait in the queue for a slot to be handed to it.
    case waits
}

/// A task waiting for a slot.
struct ProcessorWaiter: Sendable {
    var ticket: UInt64
    var enqueuedAt: Duration
    var continuation: CheckedContinuation<Void, any Error>
}

/// The mutable part of an ``AsyncProcessor``; only ever accessed under its mutex.
struct ProcessorState: Sendable {
    private let limit: Int
    private var waiters = Deque<ProcessorWaiter>()
    private var inFlight = 0
    private var submitted = 0
    private var succeeded = 0
    private var failed = 0
    private var cancelled = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts a new submission that was cancelled before it could wait or run.
    mutating func admitCancelled() {
        self.submitted += 1
        self.cancelled += 1
    }

    /// Counts a new submission and gives it a slot, if one is free and nobody is waiting for it;
    /// otherwise changes nothing and returns `false`.
    mutating func admitToFreeSlot() -> Bool {
        guard self.waiters.isEmpty, self.inFlight < self.limit else {
            return false
        }
        self.submitted += 1
        self.inFlight += 1
        return true
    }

    /// Counts a new submission that waits for a slot.
    mutating func enqueue(_ waiter: ProcessorWaiter) {
        self.submitted += 1
        self.waiters.append(waiter)
    }

    /// Removes the waiter with `ticket` from the queue, counting it as cancelled, and returns it; or
    /// returns `nil` if it already left the queue.
    mutating func cancelWaiter(ticket: UInt64) -> ProcessorWaiter? {
        guard let position = self.waiters.firstIndex(where: { $0.ticket == ticket }) else {
            return nil
        }
        self.cancelled += 1
        return self.waiters.remove(at: position)
    }

    /// Frees a slot: returns the waiter that now holds it, or `nil` if the slot became free.
    mutating func releaseSlot() -> ProcessorWaiter? {
        if let next = self.waiters.popFirst() {
            return next
        }
        self.inFlight -= 1
        return nil
    }

    mutating func record(_ outcome: ProcessorOutcome) {
        switch outcome {
        case .succeeded: self.succeeded += 1
        case .failed: self.failed += 1
        case .cancelled: self.cancelled += 1
        }
    }

    func stats(now: Duration) -> AsyncProcessorStats {
        AsyncProcessorStats(
            submitted: self.submitted,
            queueDepth: self.waiters.count,
            inFlight: self.inFlight,
            concurrencyLimit: self.limit,
            succeeded: self.succeeded,
            failed: self.failed,
            cancelled: self.cancelled,
            oldestQueuedAge: self.waiters.first.map { max(.zero, now - $0.enqueuedAt) } ?? .zero
        )
    }
}
