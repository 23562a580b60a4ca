import PerfKit
import PerfKitTestKit
import Testing

@Suite(.timeLimit(.minutes(1))) struct AsyncProcessorTimeoutTests {
    @Test func anOperationPastItsTimeoutIsCancelledAndNothingKeepsRunning() async throws {
        let clock = ManualClock()
        let processor = AsyncProcessor(name: "timeout", maxConcurrency: 2, clock: clock)
        let probe = RunningProbe()
        let submission = submitRunningUntilCancelled(to: processor, probe: probe, timeout: .seconds(5))
        try await waitUntil { probe.running == 1 && clock.sleeperCount == 1 }

        clock.advance(by: .seconds(5))

        await #expect(throws: AsyncProcessorError.timedOut(.seconds(5))) { try await submission.value }
        // Structured: by the time the submitter hears of the timeout, the operation has returned.
        #expect(probe.running == 0)
        let stats = processor.stats
        #expect(stats.timedOut == 1)
        #expect(stats.inFlight == 0)
        #expect(countsAddUp(stats))
        #expect(processor.serviceTimes.summary.totalCount == 1)
    }

    @Test func anOperationWithinItsTimeoutSucceedsAndStopsTheTimer() async throws {
        let clock = ManualClock()
        let processor = AsyncProcessor(name: "in-time", maxConcurrency: 1, clock: clock)
        #expect(try await processor.submit(timeout: .seconds(5)) { 42 } == 42)
        #expect(clock.sleeperCount == 0)
        #expect(processor.stats.succeeded == 1)
        #expect(processor.stats.timedOut == 0)
    }

    @Test func anOperationThatIgnoresCancellationDelaysTheTimeoutUntilItReturns() async throws {
        let clock = ManualClock()
        let processor = AsyncProcessor(name: "stubborn", maxConcurrency: 1, clock: clock)
        let gate = Gate()
        defer { gate.open() }
        let returned = Shared(false)
        let submission = Task {
            try await processor.submit(timeout: .seconds(1)) {
                await gate.wait()
                returned.update { $0 = true }
            }
        }
        try await waitUntil { clock.sleeperCount == 1 }
        clock.advance(by: .seconds(1))
        try await waitUntil { processor.stats.inFlight == 1 && clock.sleeperCount == 0 }
        #expect(!returned.value)

        gate.open()

        await #expect(throws: AsyncProcessorError.timedOut(.seconds(1))) { try await submission.value }
        #expect(returned.value)
        #expect(processor.stats.inFlight == 0)
        #expect(processor.stats.timedOut == 1)
    }

    @Test func cancellingARunningSubmitterCancelsItsOperation() async throws {
        let processor = AsyncProcessor(name: "cancel-running", maxConcurrency: 1)
        let probe = RunningProbe()
        let submission = submitRunningUntilCancelled(to: processor, probe: probe)
        try await waitUntil { probe.running == 1 }

        submission.cancel()

        await #expect(throws: CancellationError.self) { try await submission.value }
        #expect(probe.running == 0)
        let stats = processor.stats
        #expect(stats.cancelled == 1)
        #expect(stats.inFlight == 0)
        #expect(countsAddUp(stats))
    }

    @Test func cancellingAQueuedSubmitterMeansItsOperationNeverRuns() async throws {
        let processor = AsyncProcessor(name: "cancel-queued", maxConcurrency: 1)
        let gate = Gate()
        defer { gate.open() }
        let probe = RunningProbe()
        let holder = await occupySlot(of: processor, until: gate)
        let queued = Task { try await processor.submit(timeout: .seconds(1)) { await probe.run {} } }
        try await waitUntil { processor.stats.queueDepth == 1 }

        queued.cancel()

        await #expect(throws: CancellationError.self) { try await queued.value }
        gate.open()
        try await holder.value
        #expect(probe.startedCount == 0)
        #expect(processor.stats.cancelled == 1)
    }

    @Test func manyTimeoutsAndCancellationsLeaveNothingRunning() async throws {
        let clock = ManualClock()
        let processor = AsyncProcessor(name: "storm", maxConcurrency: 4, clock: clock)
        let probe = RunningProbe()
        var tasks: [Task<Void, any Error>] = []
        for index in 0..<200 {
            tasks.append(
                Task {
                    try await processor.submit(timeout: .seconds(1)) {
                        try await probe.run {
                            if index % 3 != 0 {
                                try await suspendUntilCancelled()
                            }
                        }
                    }
                }
            )
        }
        for (index, task) in tasks.enumerated() where index % 2 == 0 {
            task.cancel()
        }
        // Real time only bounds a failing run; on a loaded machine the storm may need many seconds.
        let deadline = ContinuousClock.now.advanced(by: .seconds(120))
        while processor.stats.terminated < 200, ContinuousClock.now < deadline {
            clock.advance(by: .seconds(1))
            await Task.yield()
        }
        if processor.stats.terminated < 200 {
            Issue.record("only \(processor.stats.terminated) of 200 submissions ended within 120 s")
            // The operations and timeouts wait on the manual clock, which nothing advances any more:
            // cancelling ends them, so the test fails instead of hanging.
            for task in tasks {
                task.cancel()
            }
        }
        for task in tasks {
            _ = await task.result
        }

        #expect(probe.running == 0)
        let stats = processor.stats
        #expect(stats.terminated == 200)
        #expect(stats.inFlight == 0)
        #expect(stats.timedOut > 0)
        #expect(countsAddUp(stats))
    }
}
