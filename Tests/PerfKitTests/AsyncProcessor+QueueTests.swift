import PerfKit
import PerfKitTestKit
import Testing

@Suite(.timeLimit(.minutes(1))) struct AsyncProcessorQueueTests {
    // MARK: - Queue full

    @Test func rejectPolicyThrowsQueueFullAndCountsARejection() async throws {
        let processor = AsyncProcessor(name: "reject", maxConcurrency: 1, queueCapacity: 2, whenFull: .reject)
        let gate = Gate()
        defer { gate.open() }
        let holder = await occupySlot(of: processor, until: gate)
        let queued = (0..<2).map { index in Task { try await processor.submit { index } } }
        try await waitUntil { processor.stats.queueDepth == 2 }

        await #expect(throws: AsyncProcessorError.queueFull) { try await processor.submit { 9 } }

        let stats = processor.stats
        #expect(stats.rejected == 1)
        #expect(stats.submitted == 4)
        #expect(countsAddUp(stats))
        gate.open()
        try await holder.value
        #expect(try await queued[0].value == 0)
        #expect(try await queued[1].value == 1)
        #expect(processor.stats.succeeded == 3)
    }

    @Test func waitPolicySuspendsSubmittersUntilThereIsRoom() async throws {
        let processor = AsyncProcessor(name: "wait", maxConcurrency: 1, queueCapacity: 1, whenFull: .wait)
        let gate = Gate()
        defer { gate.open() }
        let order = Shared<[Int]>([])
        let holder = await occupySlot(of: processor, until: gate)
        let first = Task { try await processor.submit { order.update { $0.append(1) } } }
        try await waitUntil { processor.stats.queueDepth == 1 }
        let second = Task { try await processor.submit { order.update { $0.append(2) } } }
        // Two tasks started together may run in either order: the second blocks before the third starts.
        try await waitUntil { processor.stats.blockedSubmitters == 1 }
        let third = Task { try await processor.submit { order.update { $0.append(3) } } }
        try await waitUntil { processor.stats.blockedSubmitters == 2 }

        let blocked = processor.stats
        #expect(blocked.queueDepth == 1)
        #expect(blocked.submitted == 2)
        #expect(countsAddUp(blocked))
        let gauge = samples(named: "processor_blocked_submitters", in: processor.collectSamples())
        #expect(gauge[["processor": "wait"]]?.value == 2)

        gate.open()
        try await holder.value
        try await first.value
        try await second.value
        try await third.value
        #expect(order.value == [1, 2, 3])
        let stats = processor.stats
        #expect(stats.submitted == 4)
        #expect(stats.succeeded == 4)
        #expect(stats.blockedSubmitters == 0)
    }

    @Test func aCancelledBlockedSubmitterCountsAsSubmittedAndCancelled() async throws {
        let processor = AsyncProcessor(name: "blocked", maxConcurrency: 1, queueCapacity: 0, whenFull: .wait)
        let gate = Gate()
        defer { gate.open() }
        let ran = Shared(false)
        let holder = await occupySlot(of: processor, until: gate)
        let blocked = Task { try await processor.submit { ran.update { $0 = true } } }
        try await waitUntil { processor.stats.blockedSubmitters == 1 }

        blocked.cancel()

        await #expect(throws: CancellationError.self) { try await blocked.value }
        let stats = processor.stats
        #expect(stats.blockedSubmitters == 0)
        #expect(stats.submitted == 2)
        #expect(stats.cancelled == 1)
        #expect(countsAddUp(stats))
        gate.open()
        try await holder.value
        #expect(!ran.value)
    }

    @Test func dropOldestFailsTheOldestQueuedSubmission() async throws {
        let processor = AsyncProcessor(name: "drop", maxConcurrency: 1, queueCapacity: 2, whenFull: .dropOldest)
        let gate = Gate()
        defer { gate.open() }
        let holder = await occupySlot(of: processor, until: gate)
        let oldest = Task { try await processor.submit { 1 } }
        try await waitUntil { processor.stats.queueDepth == 1 }
        let middle = Task { try await processor.submit { 2 } }
        try await waitUntil { processor.stats.queueDepth == 2 }
        let newest = Task { try await processor.submit { 3 } }

        await #expect(throws: AsyncProcessorError.dropped) { try await oldest.value }
        #expect(processor.stats.queueDepth == 2)
        gate.open()
        try await holder.value
        #expect(try await middle.value == 2)
        #expect(try await newest.value == 3)
        let stats = processor.stats
        #expect(stats.dropped == 1)
        #expect(stats.submitted == 4)
        #expect(stats.succeeded == 3)
        #expect(countsAddUp(stats))
    }

    @Test func dropOldestDropsLowPriorityWorkFirstAndALowerNewcomerItself() async throws {
        let processor = AsyncProcessor(
            name: "drop-priority",
            maxConcurrency: 1,
            queueCapacity: 1,
            whenFull: .dropOldest
        )
        let gate = Gate()
        defer { gate.open() }
        let holder = await occupySlot(of: processor, until: gate)
        let normal = Task { try await processor.submit(priority: .normal) { "normal" } }
        try await waitUntil { processor.stats.queueDepth == 1 }

        await #expect(throws: AsyncProcessorError.dropped) { try await processor.submit(priority: .low) { "low" } }
        let high = Task { try await processor.submit(priority: .high) { "high" } }
        await #expect(throws: AsyncProcessorError.dropped) { try await normal.value }

        gate.open()
        try await holder.value
        #expect(try await high.value == "high")
        let stats = processor.stats
        #expect(stats.dropped == 2)
        #expect(countsAddUp(stats))
    }

    // MARK: - Priorities

    @Test func higherPrioritiesStartFirstAndEachPriorityIsFirstInFirstOut() async throws {
        let processor = AsyncProcessor(name: "priorities", maxConcurrency: 1)
        let gate = Gate()
        defer { gate.open() }
        let order = Shared<[String]>([])
        let holder = await occupySlot(of: processor, until: gate)
        let submissions: [(AsyncProcessor.Priority, String)] = [
            (.low, "low-1"), (.normal, "normal-1"), (.high, "high-1"), (.low, "low-2"), (.high, "high-2"),
            (.normal, "normal-2"),
        ]
        var tasks: [Task<Void, any Error>] = []
        for (index, (priority, label)) in submissions.enumerated() {
            tasks.append(Task { try await processor.submit(priority: priority) { order.update { $0.append(label) } } })
            try await waitUntil { processor.stats.queueDepth == index + 1 }
        }

        gate.open()
        try await holder.value
        for task in tasks {
            try await task.value
        }
        #expect(order.value == ["high-1", "high-2", "normal-1", "normal-2", "low-1", "low-2"])
    }

    @Test func theOldestQueuedAgeCoversEveryPriority() async throws {
        let clock = ManualClock()
        let processor = AsyncProcessor(name: "age", maxConcurrency: 1, clock: clock)
        let gate = Gate()
        defer { gate.open() }
        let holder = await occupySlot(of: processor, until: gate)
        let low = Task { try await processor.submit(priority: .low) { 1 } }
        try await waitUntil { processor.stats.queueDepth == 1 }
        clock.advance(by: .seconds(2))
        let high = Task { try await processor.submit(priority: .high) { 2 } }
        try await waitUntil { processor.stats.queueDepth == 2 }
        clock.advance(by: .seconds(1))

        #expect(processor.stats.oldestQueuedAge == .seconds(3))
        gate.open()
        try await holder.value
        _ = try await high.value
        _ = try await low.value
    }
}
