import PerfKit
import PerfKitTestKit
import Testing

@Suite(.timeLimit(.minutes(1))) struct AsyncProcessorTests {
    struct Failure: Error {}

    // MARK: - Concurrency

    @Test func neverRunsMoreThanTheLimitAtOnce() async throws {
        let processor = AsyncProcessor(name: "limit", maxConcurrency: 3)
        let probe = ConcurrencyProbe()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<1_000 {
                group.addTask {
                    try await processor.submit {
                        probe.enter()
                        await Task.yield()
                        probe.leave()
                    }
                }
            }
            try await group.waitForAll()
        }

        #expect(probe.maximum <= 3)
        #expect(probe.maximum >= 1)
        let stats = processor.stats
        #expect(stats.submitted == 1_000)
        #expect(stats.succeeded == 1_000)
        #expect(stats.inFlight == 0)
        #expect(stats.queueDepth == 0)
    }

    @Test func everyFreedSlotReachesAWaiterUnderContention() async throws {
        // Many submitters race releases between the fast path and the queue; a lost hand-off would
        // strand a waiter, so completion is awaited with a bound instead of awaiting the tasks.
        let processor = AsyncProcessor(name: "contention", maxConcurrency: 1)
        let finished = Shared(0)
        let submissions = 4_000
        for _ in 0..<submissions {
            Task {
                _ = try await processor.submit { 1 }
                finished.update { $0 += 1 }
            }
        }
        try await waitUntil { finished.value == submissions }

        let stats = processor.stats
        #expect(stats.succeeded == submissions)
        #expect(stats.inFlight == 0)
        #expect(stats.queueDepth == 0)
    }

    @Test func queueDepthIsVisibleWhileSlotsAreBusy() async throws {
        let processor = AsyncProcessor(name: "depth", maxConcurrency: 2)
        let gate = Gate()
        defer { gate.open() }
        let (started, startedContinuation) = AsyncStream.makeStream(of: Int.self)
        let tasks = (0..<5).map { index in
            Task {
                try await processor.submit {
                    startedContinuation.yield(index)
                    await gate.wait()
                    return index
                }
            }
        }
        var startedIterator = started.makeAsyncIterator()
        _ = await startedIterator.next()
        _ = await startedIterator.next()
        try await waitUntil { processor.stats.queueDepth == 3 }

        let stats = processor.stats
        #expect(stats.inFlight == 2)
        #expect(stats.queueDepth == 3)
        #expect(stats.submitted == 5)
        let depth = samples(named: "processor_queue_depth", in: processor.collectSamples())
        #expect(depth[["processor": "depth"]]?.value == 3)
        let inFlight = samples(named: "processor_in_flight", in: processor.collectSamples())
        #expect(inFlight[["processor": "depth"]]?.value == 2)

        gate.open()
        for (index, task) in tasks.enumerated() {
            #expect(try await task.value == index)
        }
        let final = processor.stats
        #expect(final.succeeded == 5)
        #expect(final.inFlight == 0)
        #expect(final.queueDepth == 0)
    }

    @Test func servesWaitersInArrivalOrder() async throws {
        let processor = AsyncProcessor(name: "fifo", maxConcurrency: 1)
        let gate = Gate()
        defer { gate.open() }
        let order = Shared<[Int]>([])
        let holder = await occupySlot(of: processor, until: gate)
        var waiters: [Task<Void, any Error>] = []
        for index in 1...5 {
            waiters.append(Task { try await processor.submit { order.update { $0.append(index) } } })
            try await waitUntil { processor.stats.queueDepth == index }
        }

        gate.open()
        try await holder.value
        for waiter in waiters {
            try await waiter.value
        }
        #expect(order.value == [1, 2, 3, 4, 5])
    }

    // MARK: - Outcomes

    @Test func countsFailuresAndCancellationsThrownByOperations() async throws {
        let processor = AsyncProcessor(name: "outcomes", maxConcurrency: 2)
        #expect(try await processor.submit { 7 } == 7)
        await #expect(throws: Failure.self) {
            try await processor.submit { () throws -> Int in throw Failure() }
        }
        await #expect(throws: CancellationError.self) {
            try await processor.submit { () throws -> Int in throw CancellationError() }
        }

        let stats = processor.stats
        #expect(stats.submitted == 3)
        #expect(stats.succeeded == 1)
        #expect(stats.failed == 1)
        #expect(stats.cancelled == 1)
        #expect(stats.inFlight == 0)
    }

    @Test func anAlreadyCancelledTaskNeverRunsItsOperation() async throws {
        let processor = AsyncProcessor(name: "precancelled", maxConcurrency: 1)
        let gate = Gate()
        defer { gate.open() }
        let ran = Shared(false)
        let task = Task {
            await gate.wait()
            try await processor.submit { ran.update { $0 = true } }
        }
        task.cancel()
        gate.open()

        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(!ran.value)
        let stats = processor.stats
        #expect(stats.submitted == 1)
        #expect(stats.cancelled == 1)
        #expect(stats.inFlight == 0)
    }

    // MARK: - Cancellation

    @Test func aCancelledWaiterLeavesTheQueueWithoutTakingASlot() async throws {
        let processor = AsyncProcessor(name: "cancel", maxConcurrency: 1)
        let gate = Gate()
        defer { gate.open() }
        let ran = Shared(false)
        let holder = await occupySlot(of: processor, until: gate)
        let waiter = Task { try await processor.submit { ran.update { $0 = true } } }
        try await waitUntil { processor.stats.queueDepth == 1 }

        waiter.cancel()

        // Leaving the queue must not wait for the slot: check that before awaiting the waiter.
        try await waitUntil { processor.stats.queueDepth == 0 }
        await #expect(throws: CancellationError.self) { try await waiter.value }
        let whileHeld = processor.stats
        #expect(whileHeld.queueDepth == 0)
        #expect(whileHeld.inFlight == 1)
        #expect(whileHeld.cancelled == 1)

        gate.open()
        try await holder.value
        #expect(!ran.value)
        #expect(processor.stats.inFlight == 0)

        // The single slot is still there, exactly once: one operation runs and the next one waits.
        let secondGate = Gate()
        defer { secondGate.open() }
        let secondHolder = await occupySlot(of: processor, until: secondGate)
        let queued = Task { try await processor.submit { 42 } }
        try await waitUntil { processor.stats.queueDepth == 1 }
        #expect(processor.stats.inFlight == 1)
        secondGate.open()
        try await secondHolder.value
        #expect(try await queued.value == 42)

        let final = processor.stats
        #expect(final.submitted == 4)
        #expect(final.succeeded == 3)
        #expect(final.cancelled == 1)
        #expect(final.inFlight == 0)
        #expect(final.queueDepth == 0)
    }

    @Test func cancellationRacingHandOffsNeverLeaksASlot() async throws {
        let processor = AsyncProcessor(name: "race", maxConcurrency: 2)
        let probe = ConcurrencyProbe()
        let watcher = StatsWatcher(processor) { stats in
            let accounted = stats.queueDepth + stats.inFlight + stats.succeeded + stats.failed + stats.cancelled
            return stats.submitted == accounted && stats.inFlight <= stats.concurrencyLimit
        }
        var generator = SplitMix64(seed: 42)
        for _ in 0..<100 {
            var tasks: [Task<Void, any Error>] = []
            for _ in 0..<8 {
                tasks.append(
                    Task {
                        try await processor.submit {
                            probe.enter()
                            await Task.yield()
                            probe.leave()
                        }
                    }
                )
            }
            for task in tasks where Bool.random(using: &generator) {
                task.cancel()
            }
            for task in tasks {
                _ = await task.result
            }
        }

        #expect(await watcher.stop() == 0)
        let stats = processor.stats
        #expect(probe.maximum <= 2)
        #expect(stats.inFlight == 0)
        #expect(stats.queueDepth == 0)
        #expect(stats.submitted == 800)
        #expect(stats.succeeded + stats.failed + stats.cancelled == stats.submitted)
        #expect(try await processor.submit { "still serving" } == "still serving")
    }

    // MARK: - Samples

    @Test func reportsTheWellKnownSamples() async throws {
        let processor = AsyncProcessor(name: "jobs", maxConcurrency: 4)
        _ = try await processor.submit { 1 }
        _ = try? await processor.submit { () throws -> Int in throw Failure() }

        let label = ["processor": "jobs"]
        func outcome(_ name: String, _ value: Double) -> Sample {
            Sample(
                name: "processor_tasks_total",
                labels: ["processor": "jobs", "outcome": name],
                kind: .counter,
                value: value
            )
        }
        let expected = [
            Sample(name: "processor_queue_depth", labels: label, kind: .gauge, value: 0),
            Sample(name: "processor_in_flight", labels: label, kind: .gauge, value: 0),
            Sample(name: "processor_concurrency_limit", labels: label, kind: .gauge, value: 4),
            Sample(name: "processor_blocked_submitters", labels: label, kind: .gauge, value: 0),
            Sample(name: "processor_oldest_queued_seconds", labels: label, kind: .gauge, value: 0),
            Sample(name: "processor_submitted_total", labels: label, kind: .counter, value: 2),
            outcome("succeeded", 1),
            outcome("failed", 1),
            outcome("cancelled", 0),
            outcome("rejected", 0),
            outcome("dropped", 0),
            outcome("timed_out", 0),
            Sample(name: "processor_retries_total", labels: label, kind: .counter, value: 0),
        ]
        let collected = processor.collectSamples()
        #expect(Array(collected.prefix(expected.count)) == expected)
        let summaries = collected.dropFirst(expected.count)
        #expect(summaries.allSatisfy { $0.kind == .summary && $0.labels["processor"] == "jobs" })
        #expect(summaries.contains { $0.name == "processor_wait_seconds_count" && $0.value == 2 })
        #expect(summaries.contains { $0.name == "processor_service_seconds_count" && $0.value == 2 })
        #expect(summaries.contains { $0.name == "processor_wait_seconds" && $0.labels["quantile"] == "0.95" })
        #expect(!collected.contains { $0.name == "processor_queue_capacity" })
    }

    @Test func reportsTheQueueCapacityOnlyWhenBounded() {
        let processor = AsyncProcessor(name: "bounded", maxConcurrency: 1, queueCapacity: 16)
        let capacity = samples(named: "processor_queue_capacity", in: processor.collectSamples())
        #expect(capacity[["processor": "bounded"]]?.value == 16)
        #expect(processor.stats.queueCapacity == 16)
    }

    // MARK: - Latency

    @Test func recordsOneWaitAndOneServiceTimePerStartedOperation() async throws {
        let clock = ManualClock()
        let processor = AsyncProcessor(name: "latency", maxConcurrency: 1, clock: clock)
        let gate = Gate()
        defer { gate.open() }
        let holder = await occupySlot(of: processor, until: gate)
        let waiter = Task { try await processor.submit { 2 } }
        let cancelled = Task { try await processor.submit { 3 } }
        try await waitUntil { processor.stats.queueDepth == 2 }
        cancelled.cancel()
        try await waitUntil { processor.stats.queueDepth == 1 }
        clock.advance(by: .milliseconds(40))
        gate.open()
        try await holder.value
        #expect(try await waiter.value == 2)
        _ = await cancelled.result

        let wait = processor.waitTimes.summary
        let service = processor.serviceTimes.summary
        #expect(wait.totalCount == 2)
        #expect(service.totalCount == 2)
        // The holder started at once and served 40 ms; the waiter waited those 40 ms, then took none.
        #expect(wait.totalDuration == .milliseconds(40))
        #expect(service.totalDuration == .milliseconds(40))
    }

    // MARK: - Exact counts

    @Test func countsStayExactUnderHeavyConcurrency() async throws {
        let processor = AsyncProcessor(name: "heavy", maxConcurrency: 4, queueCapacity: 8, whenFull: .dropOldest)
        let probe = RunningProbe()
        let watcher = StatsWatcher(processor) { stats in
            countsAddUp(stats) && stats.inFlight <= 4 && stats.queueDepth <= 8
        }
        let retry = RetryPolicy(maxAttempts: 2, initialBackoff: .zero, maxBackoff: .zero) { $0 is Failure }
        var generator = SplitMix64(seed: 7)
        for _ in 0..<50 {
            var tasks: [Task<Void, any Error>] = []
            for index in 0..<40 {
                let priority = AsyncProcessor.Priority.allCases[Int(generator.next() % 3)]
                let fails = index % 5 == 0
                tasks.append(
                    Task {
                        try await processor.submit(priority: priority, retry: retry) {
                            try await probe.run {
                                await Task.yield()
                                if fails {
                                    throw Failure()
                                }
                            }
                        }
                    }
                )
            }
            for task in tasks where generator.next() % 4 == 0 {
                task.cancel()
            }
            for task in tasks {
                _ = await task.result
            }
        }
        #expect(await watcher.stop() == 0)
        let stats = processor.stats
        #expect(stats.submitted == 2_000)
        #expect(stats.queueDepth == 0)
        #expect(stats.inFlight == 0)
        #expect(stats.terminated == 2_000)
        #expect(countsAddUp(stats))
        #expect(stats.dropped > 0)
        #expect(probe.running == 0)
        // Each started submission records once, whatever number of attempts it made.
        let started = processor.serviceTimes.summary.totalCount
        #expect(processor.waitTimes.summary.totalCount == started)
        #expect(probe.startedCount == started + stats.retried)
    }

    @Test func reportsTheAgeOfTheOldestWaiterFromTheInjectedClock() async throws {
        let clock = ManualClock()
        let processor = AsyncProcessor(name: "age", maxConcurrency: 1, clock: clock)
        let gate = Gate()
        defer { gate.open() }
        let holder = await occupySlot(of: processor, until: gate)
        clock.advance(by: .seconds(3))
        let waiter = Task { try await processor.submit { 1 } }
        try await waitUntil { processor.stats.queueDepth == 1 }

        clock.advance(by: .milliseconds(2_500))

        #expect(processor.stats.oldestQueuedAge == .milliseconds(2_500))
        let age = samples(named: "processor_oldest_queued_seconds", in: processor.collectSamples())
        #expect(age[["processor": "age"]]?.value == 2.5)

        gate.open()
        try await holder.value
        _ = try await waiter.value
        #expect(processor.stats.oldestQueuedAge == .zero)
    }
}
