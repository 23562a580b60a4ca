import DequeModule
import Synchronization

// MARK: - Waiters

/// A submitter waiting for a slot, in the queue or, under ``AsyncProcessor/QueueFullPolicy/wait``, for
/// room in the queue.
struct ProcessorWaiter: Sendable {
    var ticket: UInt64
    var priority: AsyncProcessor.Priority
    var enqueuedAt: Duration
    var signal: RunSignal
    var continuation: CheckedContinuation<Void, any Error>
}

/// Waiters in one first-in, first-out lane per priority; the highest non-empty lane is served first.
struct WaiterLanes: Sendable {
    private var lanes = [Deque<ProcessorWaiter>](repeating: [], count: AsyncProcessor.Priority.allCases.count)
    private(set) var count = 0

    var isEmpty: Bool {
        self.count == 0
    }

    /// The enqueue time of the oldest waiter of any priority, or `nil` when empty. O(priorities).
    var oldestEnqueuedAt: Duration? {
        self.lanes.lazy.compactMap { $0.first?.enqueuedAt }.min()
    }

    /// The lowest priority that has a waiter, or `nil` when empty.
    var lowestPriority: AsyncProcessor.Priority? {
        AsyncProcessor.Priority.allCases.first { !self.lanes[$0.rawValue].isEmpty }
    }

    mutating func append(_ waiter: ProcessorWaiter) {
        self.lanes[waiter.priority.rawValue].append(waiter)
        self.count += 1
    }

    /// Removes and returns the first waiter of the highest non-empty priority.
    mutating func popFirst() -> ProcessorWaiter? {
        for priority in AsyncProcessor.Priority.allCases.reversed() where !self.lanes[priority.rawValue].isEmpty {
            self.count -= 1
            return self.lanes[priority.rawValue].removeFirst()
        }
        return nil
    }

    /// Removes and returns the first waiter of the given priority.
    mutating func popFirst(of priority: AsyncProcessor.Priority) -> ProcessorWaiter? {
        guard let waiter = self.lanes[priority.rawValue].popFirst() else {
            return nil
        }
        self.count -= 1
        return waiter
    }

    /// Removes and returns the waiter with `ticket`, or `nil` if it is not here. O(lane length).
    mutating func remove(ticket: UInt64, priority: AsyncProcessor.Priority) -> ProcessorWaiter? {
        guard let position = self.lanes[priority.rawValue].firstIndex(where: { $0.ticket == ticket }) else {
            return nil
        }
        self.count -= 1
        return self.lanes[priority.rawValue].remove(at: position)
    }

    /// Removes and returns every waiter.
    mutating func removeAll() -> [ProcessorWaiter] {
        let all = self.lanes.flatMap { $0 }
        self = WaiterLanes()
        return all
    }
}

// MARK: - Run signal

/// A one-shot signal that wakes a running submission: its operation finished, its timeout expired, or
/// the processor shut down with ``AsyncProcessor/ShutdownMode/cancel``. The first reason fired wins.
final class RunSignal: Sendable {
    enum Reason: Sendable, Hashable {
        case finished
        case timedOut
        case shutDown
    }

    private struct State {
        var reason: Reason?
        var waiter: CheckedContinuation<Reason, Never>?
    }

    private let state = Mutex(State())

    /// Records `reason` unless a reason was already fired, and wakes the waiter.
    func fire(_ reason: Reason) {
        let waiter = self.state.withLockedValue { state -> CheckedContinuation<Reason, Never>? in
            guard state.reason == nil else {
                return nil
            }
            state.reason = reason
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: reason)
    }

    /// Suspends until a reason is fired and returns the first one. Only one task may wait.
    func wait() async -> Reason {
        await withCheckedContinuation { (continuation: CheckedContinuation<Reason, Never>) in
            let fired = self.state.withLockedValue { state -> Reason? in
                if state.reason == nil {
                    state.waiter = continuation
                }
                return state.reason
            }
            if let fired {
                continuation.resume(returning: fired)
            }
        }
    }
}

// MARK: - State

/// How a new submission was admitted.
enum Admission: Sendable {
    /// It holds a slot and may run.
    case runs
    /// It waits in the queue, or for room in it.
    case waits
    /// It was queued, and `victim` was dropped to make room.
    case waitsAfterDropping(ProcessorWaiter)
    /// It ended before running, with this error and outcome already counted.
    case ended(any Error)
    /// The fast path could not decide without queueing.
    case needsQueue
}

/// What finishing a submission hands on.
struct Release: Sendable {
    /// The waiter that now holds the freed slot.
    var next: ProcessorWaiter?
    /// Shutdown callers to wake because the processor became idle.
    var idle: [CheckedContinuation<Void, Never>] = []
}

/// The mutable part of an ``AsyncProcessor``; only ever accessed under its mutex.
///
/// Invariants kept by every method: a non-empty queue means every slot is busy, and a submitter blocked
/// for room means the queue is full; so a freed slot always goes to the queue's best waiter and freed
/// room to the best blocked submitter.
struct ProcessorState: Sendable {
    let limit: Int
    let capacity: Int?
    let policy: AsyncProcessor.QueueFullPolicy

    private var queued = WaiterLanes()
    private var blocked = WaiterLanes()
    private var running: [UInt64: RunSignal] = [:]
    private var idleWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    private(set) var isShutDown = false
    private var counts = AsyncProcessorStats.Counts()

    init(limit: Int, capacity: Int?, policy: AsyncProcessor.QueueFullPolicy) {
        self.limit = limit
        self.capacity = capacity
        self.policy = policy
    }

    private var queueIsFull: Bool {
        self.capacity.map { self.queued.count >= $0 } ?? false
    }

    private var isIdle: Bool {
        self.running.isEmpty && self.queued.isEmpty && self.blocked.isEmpty
    }

    // MARK: Admission

    /// Admits a new submission without queueing it: it ends (shut down, cancelled, rejected) or takes a
    /// free slot, or the answer is ``Admission/needsQueue`` and nothing changed.
    mutating func admitWithoutQueueing(ticket: UInt64, signal: RunSignal, isCancelled: Bool) -> Admission {
        if self.isShutDown {
            self.counts.submitted += 1
            self.counts.rejected += 1
            return .ended(AsyncProcessorError.shutDown)
        }
        if isCancelled {
            self.counts.submitted += 1
            self.counts.cancelled += 1
            return .ended(CancellationError())
        }
        if self.queued.isEmpty, self.blocked.isEmpty, self.running.count < self.limit {
            self.counts.submitted += 1
            self.running[ticket] = signal
            return .runs
        }
        if self.queueIsFull, self.policy == .reject {
            self.counts.submitted += 1
            self.counts.rejected += 1
            return .ended(AsyncProcessorError.queueFull)
        }
        return .needsQueue
    }

    /// Admits a new submission, queueing it, blocking it for room or dropping a queued one as the
    /// policy says.
    mutating func admit(_ waiter: ProcessorWaiter, isCancelled: Bool) -> Admission {
        let fast = self.admitWithoutQueueing(ticket: waiter.ticket, signal: waiter.signal, isCancelled: isCancelled)
        guard case .needsQueue = fast else {
            return fast
        }
        guard self.queueIsFull else {
            self.counts.submitted += 1
            self.queued.append(waiter)
            return .waits
        }
        switch self.policy {
        case .wait:
            self.blocked.append(waiter)
            return .waits
        case .reject:
            self.counts.submitted += 1
            self.counts.rejected += 1
            return .ended(AsyncProcessorError.queueFull)
        case .dropOldest:
            self.counts.submitted += 1
            self.counts.dropped += 1
            guard let lowest = self.queued.lowestPriority, lowest <= waiter.priority,
                let victim = self.queued.popFirst(of: lowest)
            else {
                return .ended(AsyncProcessorError.dropped)
            }
            self.queued.append(waiter)
            return .waitsAfterDropping(victim)
        }
    }

    /// Removes a cancelled waiter from the queue or from the submitters blocked for room, counting it
    /// as cancelled; `nil` if it already left both.
    mutating func cancelWaiter(ticket: UInt64, priority: AsyncProcessor.Priority) -> ProcessorWaiter? {
        if let waiter = self.queued.remove(ticket: ticket, priority: priority) {
            self.counts.cancelled += 1
            self.refillQueue()
            return waiter
        }
        if let waiter = self.blocked.remove(ticket: ticket, priority: priority) {
            self.counts.submitted += 1
            self.counts.cancelled += 1
            return waiter
        }
        return nil
    }

    /// Moves blocked submitters into the queue while it has room; each counts as submitted then.
    private mutating func refillQueue() {
        while !self.blocked.isEmpty, !self.queueIsFull, let waiter = self.blocked.popFirst() {
            self.counts.submitted += 1
            self.queued.append(waiter)
        }
    }

    // MARK: Running

    mutating func countRetry() {
        self.counts.retried += 1
    }

    /// Records how a running submission ended and frees its slot, handing it to the best queued waiter
    /// (or, with a zero-capacity queue, the best blocked submitter).
    mutating func finish(ticket: UInt64, outcome: ProcessorOutcome) -> Release {
        self.running[ticket] = nil
        self.counts.record(outcome)
        var release = Release()
        if let next = self.queued.popFirst() {
            release.next = next
        } else if let next = self.blocked.popFirst() {
            self.counts.submitted += 1
            release.next = next
        }
        if let next = release.next {
            self.running[next.ticket] = next.signal
            self.refillQueue()
        }
        if self.isShutDown, self.isIdle {
            release.idle = Array(self.idleWaiters.values)
            self.idleWaiters = [:]
        }
        return release
    }

    // MARK: Shutdown

    /// Stops admitting; with ``AsyncProcessor/ShutdownMode/cancel`` also takes every waiter out (counted
    /// as cancelled) and returns the signals of the running submissions, for the caller to fire.
    mutating func shutDown(mode: AsyncProcessor.ShutdownMode) -> (waiters: [ProcessorWaiter], running: [RunSignal]) {
        self.isShutDown = true
        guard mode == .cancel else {
            return ([], [])
        }
        let queued = self.queued.removeAll()
        let blocked = self.blocked.removeAll()
        self.counts.cancelled += queued.count + blocked.count
        self.counts.submitted += blocked.count
        return (queued + blocked, Array(self.running.values))
    }

    /// Registers a shutdown caller to wake once idle; `false` (and nothing registered) if already idle.
    mutating func awaitIdle(ticket: UInt64, continuation: CheckedContinuation<Void, Never>) -> Bool {
        guard !self.isIdle else {
            return false
        }
        self.idleWaiters[ticket] = continuation
        return true
    }

    mutating func stopAwaitingIdle(ticket: UInt64) -> CheckedContinuation<Void, Never>? {
        self.idleWaiters.removeValue(forKey: ticket)
    }

    // MARK: Reading

    func stats(now: Duration) -> AsyncProcessorStats {
        AsyncProcessorStats(
            counts: self.counts,
            queueDepth: self.queued.count,
            blockedSubmitters: self.blocked.count,
            inFlight: self.running.count,
            concurrencyLimit: self.limit,
            queueCapacity: self.capacity,
            oldestQueuedAge: self.queued.oldestEnqueuedAt.map { max(.zero, now - $0) } ?? .zero
        )
    }
}
