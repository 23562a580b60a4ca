import PerfKit
import PerfKitTestKit
import Testing

@Suite(.timeLimit(.minutes(1))) struct AsyncProcessorInlineTests {
    struct Failure: Error {}

    @Test func runsInTheCallingTaskAndCountsLikeASubmission() async throws {
        let processor = AsyncProcessor(name: "inline", maxConcurrency: 2)
        let value = try await processor.submitInline { 42 }
        #expect(value == 42)
        await #expect(throws: Failure.self) { try await processor.submitInline { throw Failure() } }
        let stats = processor.stats
        #expect(stats.submitted == 2)
        #expect(stats.succeeded == 1)
        #expect(stats.failed == 1)
        #expect(stats.inFlight == 0)
        #expect(processor.serviceTimes.summary.windowCount == 2)
        #expect(countsAddUp(stats))
    }

    @Test func waitsForASlotAndNeverRunsMoreThanTheLimitAtOnce() async throws {
        let processor = AsyncProcessor(name: "inline-limit", maxConcurrency: 2)
        let gate = Gate()
        defer { gate.open() }
        let probe = ConcurrencyProbe()
        let tasks = (0..<5).map { _ in
            Task {
                try await processor.submitInline {
                    probe.enter()
                    await gate.wait()
                    probe.leave()
                }
            }
        }
        try await waitUntil { processor.stats.inFlight == 2 && processor.stats.queueDepth == 3 }
        gate.open()
        for task in tasks {
            try await task.value
        }
        #expect(probe.maximum == 2)
        #expect(processor.stats.succeeded == 5)
    }

    @Test func seesItsCallersCancellationAndCountsItAsCancelled() async throws {
        let processor = AsyncProcessor(name: "inline-cancel", maxConcurrency: 1)
        let probe = RunningProbe()
        let task = Task {
            try await processor.submitInline { try await probe.run { try await suspendUntilCancelled() } }
        }
        try await waitUntil { probe.running == 1 }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(processor.stats.cancelled == 1)
        #expect(processor.stats.inFlight == 0)
    }

    @Test func aShutdownWaitsForItAndRefusesNewOnes() async throws {
        let processor = AsyncProcessor(name: "inline-shutdown", maxConcurrency: 1)
        let gate = Gate()
        defer { gate.open() }
        let probe = RunningProbe()
        let running = Task { try await processor.submitInline { await probe.run { await gate.wait() } } }
        try await waitUntil { probe.running == 1 }
        let shutdown = Task { await processor.shutdown(mode: .cancel) }
        try await waitUntil { processor.isShutDown }
        await #expect(throws: AsyncProcessorError.shutDown) { try await processor.submitInline { 1 } }
        #expect(processor.stats.inFlight == 1)

        gate.open()
        await shutdown.value
        try await running.value
        #expect(processor.stats.succeeded == 1)
        #expect(countsAddUp(processor.stats))
    }
}
