import PerfKit
import Synchronization
import Testing

/// A one-way barrier: tasks that call ``wait()`` suspend until ``open()`` is called.
///
/// Opening twice is harmless, so tests also open their gates in a `defer`: parked tasks then finish
/// even when an expectation fails early.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = self.state.withLockedValue { state in
                if !state.isOpen {
                    state.waiters.append(continuation)
                }
                return state.isOpen
            }
            if isOpen {
                continuation.resume()
            }
        }
    }

    func open() {
        let waiters = self.state.withLockedValue { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters {
            waiter.resume()
        }
    }
}

/// Tracks how many operations run at once and the most that ever did.
final class ConcurrencyProbe: Sendable {
    private let current = Atomic<Int>(0)
    private let highest = Atomic<Int>(0)

    var maximum: Int {
        self.highest.load(ordering: .sequentiallyConsistent)
    }

    func enter() {
        let now = self.current.add(1, ordering: .sequentiallyConsistent).newValue
        var seen = self.highest.load(ordering: .sequentiallyConsistent)
        while now > seen {
            let exchange = self.highest.compareExchange(
                expected: seen,
                desired: now,
                ordering: .sequentiallyConsistent
            )
            if exchange.exchanged {
                break
            }
            seen = exchange.original
        }
    }

    func leave() {
        self.current.subtract(1, ordering: .sequentiallyConsistent)
    }
}

/// A clock that only moves when told to, and whose sleepers wake when it is moved past their deadline.
///
/// Sleeping is cancellable (the sleeper throws `CancellationError` at once), and every requested sleep
/// is logged, so tests check backoff and timeouts without ever waiting for real time.
final class ManualClock: Clock, Sendable {
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
        self.state.withLockedValue { $0.now }
    }

    var minimumResolution: Duration {
        .nanoseconds(1)
    }

    /// Tasks sleeping on this clock now.
    var sleeperCount: Int {
        self.state.withLockedValue { $0.sleepers.count }
    }

    /// Every sleep asked for so far, as a duration from the time it was asked, in order.
    var requestedSleeps: [Duration] {
        self.state.withLockedValue { $0.requested }
    }

    /// Moves the clock forward and wakes every sleeper whose deadline it reached.
    func advance(by duration: Duration) {
        let woken = self.state.withLockedValue { state -> [Sleeper] in
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
        let id = self.state.withLockedValue { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = self.state.withLockedValue { state -> Result<Void, any Error>? in
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
            let sleeper = self.state.withLockedValue { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}

/// A value shared between tasks, behind a lock.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) {
        self.storage = Mutex(value)
    }

    var value: Value {
        self.storage.withLockedValue { $0 }
    }

    func update(_ body: (inout Value) -> Void) {
        self.storage.withLockedValue { body(&$0) }
    }
}
