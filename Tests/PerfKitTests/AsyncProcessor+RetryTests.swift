import PerfKit
import Testing

@Suite(.timeLimit(.minutes(1))) struct AsyncProcessorRetryTests {
    struct Transient: Error {}
    struct Permanent: Error {}

    static let policy = RetryPolicy(
        maxAttempts: 4,
        initialBackoff: .milliseconds(100),
        maxBackoff: .milliseconds(250),
        multiplier: 2,
        jitter: 0
    ) { $0 is Transient }

    /// Submits `operation` with ``policy`` and advances the clock through every backoff it sleeps.
    private func submitAdvancingBackoff<T: Sendable>(
        _ processor: AsyncProcessor,
        clock: ManualClock,
        _ operation: @escaping @Sendable () async throws -> T
    ) async -> Result<T, any Error> {
        let submission = Task { try await processor.submit(retry: Self.policy, operation) }
        while true {
            if clock.sleeperCount > 0 {
                clock.advance(by: .seconds(1))
            }
            if processor.stats.terminated == 1 {
                return await submission.result
            }
            await Task.yield()
        }
    }

    @Test func retriesRetryableErrorsUpToTheLimitWithExponentialCappedBackoff() async throws {
        let clock = ManualClock()
        let processor = AsyncProcessor(name: "retry", maxConcurrency: 1, clock: clock)
        let attempts = Shared(0)

        let result = await self.submitAdvancingBackoff(processor, clock: clock) { () throws -> Int in
            attempts.update { $0 += 1 }
            throw Transient()
        }

        #expect(throws: Transient.self) { try result.get() }
        #expect(attempts.value == 4)
        #expect(clock.requestedSleeps == [.milliseconds(100), .milliseconds(200), .milliseconds(250)])
        let stats = processor.stats
        #expect(stats.retried == 3)
        #expect(stats.failed == 1)
        #expect(stats.submitted == 1)
        #expect(countsAddUp(stats))
        let retries = samples(named: "processor_retries_total", in: processor.collectSamples())
        #expect(retries[["processor": "retry"]]?.value == 3)
        #expect(processor.serviceTimes.summary.totalCount == 1)
        #expect(processor.serviceTimes.summary.totalDuration == .seconds(3))
    }

    @Test func stopsRetryingOnceAnAttemptSucceeds() async throws {
        let clock = ManualClock()
        let processor = AsyncProcessor(name: "recover", maxConcurrency: 1, clock: clock)
        let attempts = Shared(0)

        let result = await self.submitAdvancingBackoff(processor, clock: clock) { () throws -> Int in
            attempts.update { $0 += 1 }
            if attempts.value < 3 {
                throw Transient()
            }
            return attempts.value
        }

        #expect(try result.get() == 3)
        #expect(processor.stats.retried == 2)
        #expect(processor.stats.succeeded == 1)
    }

    @Test func neverRetriesErrorsThePolicyRejects() async throws {
        let clock = ManualClock()
        let processor = AsyncProcessor(name: "permanent", maxConcurrency: 1, clock: clock)
        let attempts = Shared(0)

        await #expect(throws: Permanent.self) {
            try await processor.submit(retry: Self.policy) { () throws -> Int in
                attempts.update { $0 += 1 }
                throw Permanent()
            }
        }

        #expect(attempts.value == 1)
        #expect(clock.requestedSleeps.isEmpty)
        #expect(processor.stats.retried == 0)
        #expect(processor.stats.failed == 1)
    }

    @Test func aTimeoutCutsBackoffShortAndCountsAsTimedOut() async throws {
        let clock = ManualClock()
        let processor = AsyncProcessor(name: "retry-timeout", maxConcurrency: 1, clock: clock)
        let attempts = Shared(0)
        let submission = Task {
            try await processor.submit(timeout: .milliseconds(150), retry: Self.policy) { () throws -> Int in
                attempts.update { $0 += 1 }
                throw Transient()
            }
        }
        // The timer and the first backoff sleep.
        try await waitUntil { clock.sleeperCount == 2 }
        clock.advance(by: .milliseconds(100))
        try await waitUntil { attempts.value == 2 && clock.sleeperCount == 2 }
        clock.advance(by: .milliseconds(50))

        await #expect(throws: AsyncProcessorError.timedOut(.milliseconds(150))) { try await submission.value }
        #expect(attempts.value == 2)
        let stats = processor.stats
        #expect(stats.timedOut == 1)
        #expect(stats.retried == 1)
        #expect(clock.sleeperCount == 0)
    }
}
