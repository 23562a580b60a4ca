import PerfKit
import PerfKitTestKit
import Testing

@Suite(.timeLimit(.minutes(1))) struct AsyncProcessorShutdownTests {
    @Test func drainLetsQueuedAndRunningWorkFinishAndRejectsNewWork() async throws {
        let processor = AsyncProcessor(name: "drain", maxConcurrency: 1)
        let gate = Gate()
        defer { gate.open() }
        let holder = await occupySlot(of: processor, until: gate)
        let queued = Task { try await processor.submit { "queued" } }
        try await waitUntil { processor.stats.queueDepth == 1 }
        let shutdown = Task { await processor.shutdown(mode: .drain) }
        try await waitUntil { processor.isShutDown }

        await #expect(throws: AsyncProcessorError.shutDown) { try await processor.submit { "late" } }
        #expect(processor.stats.queueDepth == 1)

        gate.open()
        await shutdown.value
        try await holder.value
        #expect(try await queued.value == "queued")
        let stats = processor.stats
        #expect(stats.succeeded == 2)
        #expect(stats.rejected == 1)
        #expect(stats.submitted == 3)
        #expect(stats.inFlight == 0)
        #expect(countsAddUp(stats))
    }

    @Test func cancelCancelsRunningWorkAndFailsQueuedWork() async throws {
        let processor = AsyncProcessor(name: "cancel", maxConcurrency: 2)
        let probe = RunningProbe()
        let running = (0..<2).map { _ in submitRunningUntilCancelled(to: processor, probe: probe) }
        try await waitUntil { probe.running == 2 }
        let queued = (0..<3).map { _ in Task { try await processor.submit { await probe.run {} } } }
        try await waitUntil { processor.stats.queueDepth == 3 }

        await processor.shutdown(mode: .cancel)

        #expect(probe.running == 0)
        for task in running {
            await #expect(throws: CancellationError.self) { try await task.value }
        }
        for task in queued {
            await #expect(throws: AsyncProcessorError.shutDown) { try await task.value }
        }
        #expect(probe.startedCount == 2)
        let stats = processor.stats
        #expect(stats.cancelled == 5)
        #expect(stats.inFlight == 0)
        #expect(stats.queueDepth == 0)
        #expect(countsAddUp(stats))
        await #expect(throws: AsyncProcessorError.shutDown) { try await processor.submit { 1 } }
    }

    @Test func cancelAfterDrainCancelsWhatTheDrainWaitsFor() async throws {
        let processor = AsyncProcessor(name: "escalate", maxConcurrency: 1)
        let probe = RunningProbe()
        let running = submitRunningUntilCancelled(to: processor, probe: probe)
        try await waitUntil { probe.running == 1 }
        let drain = Task { await processor.shutdown(mode: .drain) }
        try await waitUntil { processor.isShutDown }

        await processor.shutdown(mode: .cancel)

        await drain.value
        await #expect(throws: CancellationError.self) { try await running.value }
        #expect(probe.running == 0)
    }

    @Test func shutdownOfAnIdleProcessorReturnsAtOnce() async {
        let processor = AsyncProcessor(name: "idle", maxConcurrency: 1)
        await processor.shutdown()
        await processor.shutdown(mode: .cancel)
        #expect(processor.isShutDown)
    }
}
