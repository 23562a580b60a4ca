import Synchronization
import Testing

@testable import PerfKitRedis

/// The breaker's states on a clock the test moves: closed, open after the threshold, half-open with one
/// probe, closed or open again by the probe.
struct CircuitBreakerTests {
    /// A clock that moves only when told.
    final class ManualClock: Sendable {
        private let instant = Mutex(ContinuousClock.now)

        var now: ContinuousClock.Instant {
            self.instant.withLockedValue { $0 }
        }

        func advance(by duration: Duration) {
            self.instant.withLockedValue { $0 += duration }
        }
    }

    private static func breaker(_ clock: ManualClock) -> CircuitBreaker {
        CircuitBreaker(policy: CircuitBreakerPolicy(failureThreshold: 3, openDuration: .seconds(5))) { clock.now }
    }

    @Test func opensAfterTheThresholdOfFailuresInARow() throws {
        let clock = ManualClock()
        let breaker = Self.breaker(clock)
        for _ in 0..<2 {
            breaker.record(try #require(breaker.permit()), succeeded: false)
        }
        breaker.record(try #require(breaker.permit()), succeeded: true)
        #expect(breaker.current == .closed(failures: 0), "a success resets the count")
        for _ in 0..<3 {
            breaker.record(try #require(breaker.permit()), succeeded: false)
        }
        #expect(!breaker.isClosed)
        #expect(breaker.permit() == nil, "open: calls fall through")
    }

    @Test func aProbeAfterTheOpenDurationClosesOrReopensIt() throws {
        let clock = ManualClock()
        let breaker = Self.breaker(clock)
        for _ in 0..<3 {
            breaker.record(try #require(breaker.permit()), succeeded: false)
        }
        clock.advance(by: .seconds(4))
        #expect(breaker.permit() == nil)
        clock.advance(by: .seconds(1))
        let probe = try #require(breaker.permit())
        #expect(probe == .probe)
        #expect(breaker.permit() == nil, "half-open: one probe at a time")
        breaker.record(probe, succeeded: false)
        #expect(breaker.permit() == nil, "a failed probe opens it again")
        clock.advance(by: .seconds(5))
        let second = try #require(breaker.permit())
        breaker.record(second, succeeded: true)
        #expect(breaker.isClosed)
        #expect(breaker.permit() == .call)
    }

    @Test func aCancelledProbeLetsTheNextCallProbe() throws {
        let clock = ManualClock()
        let breaker = Self.breaker(clock)
        for _ in 0..<3 {
            breaker.record(try #require(breaker.permit()), succeeded: false)
        }
        clock.advance(by: .seconds(5))
        breaker.record(try #require(breaker.permit()), succeeded: nil)
        #expect(breaker.permit() == .probe)
    }

    @Test func aLateCallDoesNotOverruleTheProbe() throws {
        let clock = ManualClock()
        let breaker = Self.breaker(clock)
        let late = try #require(breaker.permit())
        for _ in 0..<3 {
            breaker.record(try #require(breaker.permit()), succeeded: false)
        }
        breaker.record(late, succeeded: true)
        #expect(!breaker.isClosed, "a call let through before the breaker opened does not close it")
    }
}
