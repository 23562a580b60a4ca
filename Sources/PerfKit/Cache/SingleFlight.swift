import Synchronization

/// Runs at most one operation per key at a time and shares its outcome with every concurrent caller.
///
/// The first call of ``run(forKey:operation:)`` for a key starts the operation in a new task; calls for
/// the same key that arrive while it runs wait for that task instead of starting their own. All of them
/// get its value or its error. Nothing is remembered once the operation finishes: the next call for the
/// key, after a success or a failure, runs the operation again (caching results is the job of
/// ``LoadingCache``).
///
/// Thread-safe. Memory is one entry per key in flight. Cancelling a waiting caller does not cancel the
/// shared operation: the operation runs in its own unstructured task, so the other callers still get its
/// outcome, and the cancelled caller keeps waiting for it too.
public final class SingleFlight<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let state = Mutex(State())

    /// The runs in flight by key, and the identity to give the next run.
    private struct State {
        var flights: [Key: Flight] = [:]
        var nextID: UInt64 = 0
    }

    /// One operation in flight: its task, an identity that survives key reuse, and how many callers wait.
    private struct Flight {
        let id: UInt64
        let task: Task<Value, any Error>
        var callers: Int
    }

    /// Creates a single-flight group with nothing in flight.
    public init() {}

    // MARK: - Running

    /// Returns the outcome of `operation` for `key`, running it only if no call for `key` is in flight.
    ///
    /// When a call for `key` is already running, `operation` is ignored and this call waits for the
    /// running one. Cost: one lock to join or start, plus one task allocation when starting.
    ///
    /// - Parameters:
    ///   - key: The key whose concurrent calls share one run.
    ///   - operation: The work to run when no call for `key` is in flight.
    /// - Returns: The value of the shared run.
    /// - Throws: The error of the shared run; every waiting caller receives the same error.
    public func run(
        forKey key: Key,
        operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        try await self.join(forKey: key, operation: operation).value
    }

    /// Starts `operation` for `key` in the background unless a call for `key` is already in flight, and
    /// returns without waiting; its outcome goes to callers of ``run(forKey:operation:)`` that join it.
    ///
    /// Cost: one lock, plus one task allocation when starting.
    ///
    /// - Returns: Whether this call started the operation.
    @discardableResult
    public func start(
        forKey key: Key,
        operation: @escaping @Sendable () async throws -> Value
    ) -> Bool {
        self.state.withLockedValue { state in
            guard state.flights[key] == nil else {
                return false
            }
            _ = self.begin(forKey: key, in: &state, callers: 0, operation: operation)
            return true
        }
    }

    /// The task of the run in flight for `key`, joined as one more caller, or a new run's task.
    private func join(
        forKey key: Key,
        operation: @escaping @Sendable () async throws -> Value
    ) -> Task<Value, any Error> {
        self.state.withLockedValue { state in
            if let flight = state.flights[key] {
                state.flights[key]?.callers += 1
                return flight.task
            }
            return self.begin(forKey: key, in: &state, callers: 1, operation: operation)
        }
    }

    /// Starts a run for `key`, which has none in flight, and records it with its first callers.
    private func begin(
        forKey key: Key,
        in state: inout State,
        callers: Int,
        operation: @escaping @Sendable () async throws -> Value
    ) -> Task<Value, any Error> {
        state.nextID += 1
        let id = state.nextID
        let task = Task {
            defer { self.finish(key: key, id: id) }
            return try await operation()
        }
        state.flights[key] = Flight(id: id, task: task, callers: callers)
        return task
    }

    // MARK: - Inspecting

    /// The number of callers waiting for the run in flight for `key`, or 0 when none is in flight.
    ///
    /// Meant for diagnostics and tests: the answer may be stale as soon as it is returned. Cost: one lock.
    public func callerCount(forKey key: Key) -> Int {
        self.state.withLockedValue { $0.flights[key]?.callers ?? 0 }
    }

    /// The number of keys with a run in flight. Cost: one lock.
    public var inFlightCount: Int {
        self.state.withLockedValue { $0.flights.count }
    }

    // MARK: - Finishing

    /// Forgets the run `id` for `key`, so the next call starts a new one.
    private func finish(key: Key, id: UInt64) {
        self.state.withLockedValue { state in
            if state.flights[key]?.id == id {
                state.flights[key] = nil
            }
        }
    }
}
