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
            let isOpen = self.state.withLock { state in
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
        let waiters = self.state.withLock { state in
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

/// A clock that only moves when told to.
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

    struct SleepUnsupported: Error {}

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
        throw SleepUnsupported()
    }
}

struct ConditionNeverMet: Error {}

/// Polls `condition` until it holds. The 10 s bound only keeps a broken test from hanging; no test
/// asserts how long anything took.
func waitUntil(
    _ condition: () -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let clock = ContinuousClock()
    let giveUp = clock.now.advanced(by: .seconds(10))
    while clock.now < giveUp {
        if condition() {
            return
        }
        try await Task.sleep(for: .milliseconds(1))
    }
    Issue.record("condition never became true", sourceLocation: sourceLocation)
    throw ConditionNeverMet()
}

/// The samples in `samples` with the given name, keyed by their labels.
func samples(named name: String, in samples: [Sample]) -> [[String: String]: Sample] {
    Dictionary(uniqueKeysWithValues: samples.filter { $0.name == name }.map { ($0.labels, $0) })
}

/// A value shared between tasks, behind a lock.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) {
        self.storage = Mutex(value)
    }

    var value: Value {
        self.storage.withLock { $0 }
    }

    func update(_ body: (inout Value) -> Void) {
        self.storage.withLock { body(&$0) }
    }
}
