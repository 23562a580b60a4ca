import PerfKit
import PerfKitTestKit
import Testing

@Suite(.timeLimit(.minutes(1))) struct AsyncProcessorBatchTests {
    struct OddInput: Error, Equatable {
        var value: Int
    }

    @Test func returnsResultsInInputOrderWithPerItemErrors() async {
        let processor = AsyncProcessor(name: "batch", maxConcurrency: 3)
        let results = await processor.submitBatch(0..<50) { value -> Int in
            for _ in 0..<(50 - value) % 7 {
                await Task.yield()
            }
            if value % 2 == 1 {
                throw OddInput(value: value)
            }
            return value * 10
        }

        #expect(results.count == 50)
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let value):
                #expect(index % 2 == 0)
                #expect(value == index * 10)
            case .failure(let error):
                #expect(error as? OddInput == OddInput(value: index))
            }
        }
        let stats = processor.stats
        #expect(stats.succeeded == 25)
        #expect(stats.failed == 25)
    }

    @Test func neverHasMoreThanItsLimitInTheProcessor() async {
        let processor = AsyncProcessor(name: "batch-limit", maxConcurrency: 8)
        let probe = ConcurrencyProbe()
        let observed = Shared(0)
        let results = await processor.submitBatch(0..<200, maxConcurrency: 2) { value in
            probe.enter()
            let stats = processor.stats
            observed.update { $0 = max($0, stats.inFlight + stats.queueDepth) }
            await Task.yield()
            probe.leave()
            return value
        }

        #expect(results.compactMap { try? $0.get() } == Array(0..<200))
        #expect(probe.maximum <= 2)
        #expect(observed.value <= 2)
    }

    @Test func rejectionsAndCancellationBecomePerItemFailures() async throws {
        let processor = AsyncProcessor(name: "batch-shutdown", maxConcurrency: 1)
        await processor.shutdown()
        let results = await processor.submitBatch([1, 2, 3]) { $0 }
        #expect(results.count == 3)
        for result in results {
            #expect(throws: AsyncProcessorError.shutDown) { try result.get() }
        }

        let open = AsyncProcessor(name: "batch-cancel", maxConcurrency: 1)
        let batch = Task { await open.submitBatch(0..<10) { _ in try await suspendUntilCancelled() } }
        try await waitUntil { open.stats.inFlight == 1 }
        batch.cancel()
        let cancelled = await batch.value
        #expect(cancelled.count == 10)
        #expect(cancelled.allSatisfy { (try? $0.get()) == nil })
    }
}
