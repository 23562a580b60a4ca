import PerfKit
import PerfKitTestKit
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

    // Swift Testing makes one suite instance per test, so every test has its own clock and counter.
    let clock = ManualClock()
    let attempts = Shared(0)

    /// A processor with one slot on the suite's manual clock.
    private func processor(named name: String) -> AsyncProcessor {
        AsyncProcessor(name: name, maxConcurrency: 1, clock: self.clock)
    }

    /// An operation that counts its attempt in ``attempts``, then throws `error`.
    private func failing(with error: some Error) -> @Sendable () throws -> Int {
        { [attempts = self.attempts] in
            attempts.update { $0 += 1 }
            throw error
        }
    }

    /// Submits `operation` with ``policy`` and advances the clock through every backoff it sleeps.
    private func submitAdvancingBackoff<T: Sendable>(
        _ processor: AsyncProcessor,
        _ operation: @escaping @Sendable () async throws -> T
    ) async -> Result<T, any Error> {
        let submission = Task { try await processor.submit(retry: Self.policy, operation) }
        while true {
            if self.clock.sleeperCount > 0 {
                self.clock.advance(by: .seconds(1))
            }
            if processor.stats.terminated == 1 {
                return await submission.result
            }
            await Task.yield()
        }
    }

    @Test func retriesRetryableErrorsUpToTheLimitWithExponentialCappedBackoff() async throws {
        let processor = self.processor(named: "retry")

        let result = await self.submitAdvancingBackoff(processor, self.failing(with: Transient()))

        #expect(throws: Transient.self) { try result.get() }
        #expect(self.attempts.value == 4)
        #expect(self.clock.requestedSleeps == [.milliseconds(100), .milliseconds(200), .milliseconds(250)])
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
        let processor = self.processor(named: "recover")

        let result = await self.submitAdvancingBackoff(processor) { () throws -> Int in
            self.attempts.update { $0 += 1 }
            if self.attempts.value < 3 {
                throw Transient()
            }
            return self.attempts.value
        }

        #expect(try result.get() == 3)
        #expect(processor.stats.retried == 2)
        #expect(processor.stats.succeeded == 1)
    }

    @Test func neverRetriesErrorsThePolicyRejects() async throws {
        let processor = self.processor(named: "permanent")

        await #expect(throws: Permanent.self) {
            try await processor.submit(retry: Self.policy, self.failing(with: Permanent()))
        }

        #expect(self.attempts.value == 1)
        #expect(self.clock.requestedSleeps.isEmpty)
        #expect(processor.stats.retried == 0)
        #expect(processor.stats.failed == 1)
    }

    @Test func aTimeoutCutsBackoffShortAndCountsAsTimedOut() async throws {
        let processor = self.processor(named: "retry-timeout")
        let submission = Task {
            try await processor.submit(timeout: .milliseconds(150), retry: Self.policy, self.failing(with: Transient()))
        }
        // The timer and the first backoff sleep.
        try await waitUntil { self.clock.sleeperCount == 2 }
        self.clock.advance(by: .milliseconds(100))
        try await waitUntil { self.attempts.value == 2 && self.clock.sleeperCount == 2 }
        self.clock.advance(by: .milliseconds(50))

        await #expect(throws: AsyncProcessorError.timedOut(.milliseconds(150))) { try await submission.value }
        #expect(self.attempts.value == 2)
        let stats = processor.stats
        #expect(stats.timedOut == 1)
        #expect(stats.retried == 1)
        #expect(self.clock.sleeperCount == 0)
    }
}
