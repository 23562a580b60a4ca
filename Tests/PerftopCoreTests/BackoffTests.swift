import Testing

@testable import PerftopCore

@Suite("Backoff")
struct BackoffTests {
    @Test("waits double per failure up to the cap")
    func doubling() {
        var backoff = Backoff(initial: .seconds(1), maximum: .seconds(5))
        var delays: [Duration] = []
        for _ in 0..<5 {
            backoff.recordFailure(at: 0)
            delays.append(backoff.delay)
        }
        #expect(delays == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
    }

    @Test("holds attempts back until the wait has passed, within the tolerance")
    func allows() {
        var backoff = Backoff(initial: .seconds(2), maximum: .seconds(8))
        #expect(backoff.allows(at: 0))
        backoff.recordFailure(at: 10)
        #expect(!backoff.allows(at: 11))
        #expect(backoff.allows(at: 11.6, tolerance: 0.5))
        #expect(backoff.allows(at: 12))
        #expect(backoff.remaining(at: 11) == 1)
    }

    @Test("a success resets it")
    func success() {
        var backoff = Backoff(initial: .seconds(1), maximum: .seconds(8))
        backoff.recordFailure(at: 0)
        backoff.recordFailure(at: 1)
        backoff.recordSuccess()
        #expect(backoff.failures == 0)
        #expect(backoff.delay == .zero)
        #expect(backoff.allows(at: 1))
    }

    @Test("a clock that jumps back never holds attempts back for longer than the cap")
    func clockJump() {
        var backoff = Backoff(initial: .seconds(1), maximum: .seconds(4))
        backoff.recordFailure(at: 1_000)
        #expect(backoff.allows(at: 10))
    }
}
