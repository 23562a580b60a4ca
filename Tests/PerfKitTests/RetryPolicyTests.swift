import PerfKit
import Testing

@Suite struct RetryPolicyTests {
    struct Transient: Error {}

    @Test func backoffGrowsByTheMultiplierUpToTheCap() {
        let policy = RetryPolicy(
            maxAttempts: 10,
            initialBackoff: .milliseconds(10),
            maxBackoff: .milliseconds(100),
            multiplier: 3,
            jitter: 0
        ) { _ in true }
        let delays = (1...5).map { policy.backoff(beforeRetry: $0, unitRandom: 0.5) }
        #expect(
            delays == [.milliseconds(10), .milliseconds(30), .milliseconds(90), .milliseconds(100), .milliseconds(100)]
        )
        #expect(policy.backoff(beforeRetry: 10_000, unitRandom: 0) == .milliseconds(100))
    }

    @Test(arguments: [0.0, 0.25, 0.5, 0.999_999])
    func jitterOnlyShortensTheBackoffByAtMostItsFraction(unitRandom: Double) {
        let policy = RetryPolicy(
            maxAttempts: 3,
            initialBackoff: .seconds(1),
            maxBackoff: .seconds(1),
            jitter: 0.2
        ) { _ in true }
        let delay = policy.backoff(beforeRetry: 1, unitRandom: unitRandom)
        #expect(delay <= .seconds(1))
        #expect(delay >= .milliseconds(800))
        #expect(delay == .nanoseconds(Int64((1 - 0.2 * unitRandom) * 1e9)))
    }

    @Test func anAbsurdCapIsClampedRatherThanTrapping() {
        let policy = RetryPolicy(
            maxAttempts: 100,
            initialBackoff: .seconds(1),
            maxBackoff: .seconds(Int64.max / 2),
            jitter: 0
        ) { _ in true }
        let longest = policy.backoff(beforeRetry: 99, unitRandom: 0)
        #expect(longest > .seconds(9_000_000_000))
        #expect(longest <= .nanoseconds(Int64.max))
    }

    @Test func zeroInitialBackoffNeverWaits() {
        let policy = RetryPolicy(maxAttempts: 3, initialBackoff: .zero, maxBackoff: .seconds(1)) { _ in true }
        #expect(policy.backoff(beforeRetry: 60, unitRandom: 0) == .zero)
    }

    @Test func noneMakesOneAttempt() {
        #expect(RetryPolicy.none.maxAttempts == 1)
        #expect(!RetryPolicy.none.shouldRetry(Transient()))
    }
}
