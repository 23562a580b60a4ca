import PerfKit
import PerfKitTestKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite(.timeLimit(.minutes(1))) struct CPUWorkerPoolTests {
    struct Broken: Error {}

    /// Starts a job that holds one worker thread, sleeping rather than spinning so that it does not
    /// starve a 2-core machine, until `release` is set.
    private func holdThread(of pool: CPUWorkerPool, until release: Shared<Bool>) -> Task<Void, any Error> {
        Task { try await pool.run { while !release.value { usleep(200) } } }
    }

    @Test func runsWorkOnItsThreadsAndReturnsResultsAndErrors() async throws {
        let pool = CPUWorkerPool(name: "results", threadCount: 2)
        let sums = try await withThrowingTaskGroup(of: Int.self) { group in
            for value in 1...100 {
                group.addTask { try await pool.run { (1...value).reduce(0, +) } }
            }
            return try await group.reduce(0, +)
        }
        #expect(sums == (1...100).map { $0 * ($0 + 1) / 2 }.reduce(0, +))
        await #expect(throws: Broken.self) { try await pool.run { () throws -> Int in throw Broken() } }
        await pool.shutdown()
        #expect(pool.stats.completed == 101)
    }

    @Test func neverRunsMoreJobsThanThreadsAtOnce() async throws {
        let pool = CPUWorkerPool(name: "bound", threadCount: 2)
        let probe = ConcurrencyProbe()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    _ = try await pool.run {
                        probe.enter()
                        var spin = 0
                        for index in 0..<10_000 {
                            spin &+= index
                        }
                        probe.leave()
                        return spin
                    }
                    return
                }
            }
            try await group.waitForAll()
        }
        #expect(probe.maximum <= 2)
        await pool.shutdown()
    }

    @Test func aFullQueueRejectsAndACancelledQueuedJobNeverRuns() async throws {
        let pool = CPUWorkerPool(name: "full", threadCount: 1, queueCapacity: 1)
        let release = Shared(false)
        let blocker = self.holdThread(of: pool, until: release)
        try await waitUntil { pool.stats.busyThreads == 1 }
        let ran = Shared(false)
        let queued = Task { try await pool.run { ran.update { $0 = true } } }
        try await waitUntil { pool.stats.queueDepth == 1 }

        await #expect(throws: CPUWorkerPoolError.queueFull) { try await pool.run { 1 } }
        queued.cancel()
        await #expect(throws: CancellationError.self) { try await queued.value }

        release.update { $0 = true }
        try await blocker.value
        await pool.shutdown()
        #expect(!ran.value)
        let stats = pool.stats
        #expect(stats.rejected == 1)
        #expect(stats.cancelled == 1)
        #expect(stats.completed == 1)
    }

    @Test func shutdownRunsQueuedJobsThenRefusesNewOnes() async throws {
        let pool = CPUWorkerPool(name: "shutdown", threadCount: 1)
        let jobs = (0..<20).map { value in Task { try await pool.run { value * 2 } } }
        try await waitUntil { pool.stats.completed + pool.stats.queueDepth + pool.stats.busyThreads == 20 }

        await pool.shutdown()

        for (value, job) in jobs.enumerated() {
            #expect(try await job.value == value * 2)
        }
        #expect(pool.stats.busyThreads == 0)
        await #expect(throws: CPUWorkerPoolError.shutDown) { try await pool.run { 1 } }
        await pool.shutdown()
    }

    @Test func keepsTheCooperativeExecutorFreeWhileThreadsAreBusy() async throws {
        let pool = CPUWorkerPool(name: "starve", threadCount: 2)
        let release = Shared(false)
        let busy = (0..<2).map { _ in self.holdThread(of: pool, until: release) }
        try await waitUntil { pool.stats.busyThreads == 2 }
        // Both worker threads are held, yet ordinary tasks still run on the cooperative pool.
        let answers = await withTaskGroup(of: Int.self) { group in
            for value in 0..<50 {
                group.addTask { value }
            }
            return await group.reduce(0, +)
        }
        #expect(answers == (0..<50).reduce(0, +))
        release.update { $0 = true }
        for task in busy {
            try await task.value
        }
        await pool.shutdown()
    }
}
