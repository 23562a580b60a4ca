import PerfKit
import PerfKitTestKit
import Synchronization
import Testing

@Suite struct SingleFlightTests {
    struct LoadFailed: Error, Equatable {
        let attempt: Int
    }

    // MARK: - Sharing

    @Test func concurrentCallersShareOneRun() async throws {
        let flights = SingleFlight<String, Int>()
        let runs = LoadCounter()
        let gate = Gate()
        defer { gate.open() }
        let callers = 1_000

        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    try await flights.run(forKey: "k") {
                        runs.increment()
                        await gate.wait()
                        return 42
                    }
                }
            }
            try await waitUntil { flights.callerCount(forKey: "k") == callers }
            gate.open()
            var results = 0
            for try await value in group {
                #expect(value == 42)
                results += 1
            }
            #expect(results == callers)
        }
        #expect(runs.value == 1)
        #expect(flights.inFlightCount == 0)
    }

    @Test func startRunsInTheBackgroundOnlyWhenIdleAndRunJoinsIt() async throws {
        let flights = SingleFlight<String, Int>()
        let runs = LoadCounter()
        let gate = Gate()
        defer { gate.open() }
        let operation: @Sendable () async throws -> Int = {
            runs.increment()
            await gate.wait()
            return 5
        }

        #expect(flights.start(forKey: "k", operation: operation))
        #expect(!flights.start(forKey: "k", operation: operation))
        #expect(flights.inFlightCount == 1)
        async let joined = flights.run(forKey: "k") { 99 }
        try await waitUntil { flights.callerCount(forKey: "k") == 1 }
        gate.open()

        #expect(try await joined == 5)
        try await waitUntil { flights.inFlightCount == 0 }
        #expect(runs.value == 1)
        #expect(flights.start(forKey: "k", operation: operation))
        try await waitUntil { runs.value == 2 && flights.inFlightCount == 0 }
    }

    @Test func differentKeysRunSeparately() async throws {
        let flights = SingleFlight<Int, Int>()
        let runs = LoadCounter()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for key in 0..<10 {
                group.addTask {
                    try await flights.run(forKey: key) {
                        runs.increment()
                        return key * 2
                    }
                }
            }
            return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
        }
        #expect(results == Set((0..<10).map { $0 * 2 }))
        #expect(runs.value == 10)
    }

    // MARK: - Failures

    @Test func anErrorReachesEveryWaiterAndIsNotRemembered() async throws {
        let flights = SingleFlight<String, Int>()
        let runs = LoadCounter()
        let gate = Gate()
        defer { gate.open() }
        let callers = 100

        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    do {
                        _ = try await flights.run(forKey: "k") {
                            let attempt = runs.increment()
                            await gate.wait()
                            throw LoadFailed(attempt: attempt)
                        }
                        return false
                    } catch {
                        return error as? LoadFailed == LoadFailed(attempt: 1)
                    }
                }
            }
            try? await waitUntil { flights.callerCount(forKey: "k") == callers }
            gate.open()
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(failures == callers)

        let value = try await flights.run(forKey: "k") {
            runs.increment()
            return 7
        }
        #expect(value == 7)
        #expect(runs.value == 2)
    }

    // MARK: - Cancellation

    @Test func cancellingOneWaiterDoesNotCancelTheSharedRun() async throws {
        let flights = SingleFlight<String, Int>()
        let gate = Gate()
        defer { gate.open() }
        let operation: @Sendable () async throws -> Int = {
            await gate.wait()
            try Task.checkCancellation()
            return 5
        }
        let cancelled = Task { try await flights.run(forKey: "k", operation: operation) }
        let kept = Task { try await flights.run(forKey: "k", operation: operation) }
        try await waitUntil { flights.callerCount(forKey: "k") == 2 }

        cancelled.cancel()
        gate.open()

        #expect(try await kept.value == 5)
        #expect(try await cancelled.value == 5)
    }
}

/// A counter shared between tasks, backed by an `Atomic`.
final class LoadCounter: Sendable {
    private let storage = Atomic<Int>(0)

    var value: Int {
        self.storage.load(ordering: .sequentiallyConsistent)
    }

    /// Adds one and returns the new value.
    @discardableResult
    func increment() -> Int {
        self.storage.add(1, ordering: .sequentiallyConsistent).newValue
    }
}
