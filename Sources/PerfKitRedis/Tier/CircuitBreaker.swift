import PerfKit
import Synchronization

/// When a ``RedisCacheTier`` stops calling Redis, and how it comes back.
///
/// Closed (Redis is used) until ``failureThreshold`` calls in a row fail; then open for
/// ``openDuration``, when every call falls through at once without touching the network; then
/// half-open: one call at a time probes Redis while the others still fall through. A probe that
/// succeeds closes the breaker; one that fails opens it for another ``openDuration``.
public struct CircuitBreakerPolicy: Sendable, Hashable {
    /// Failed calls in a row that open the breaker; at least 1.
    public var failureThreshold: Int
    /// How long the breaker stays open before it lets a probe through.
    public var openDuration: Duration

    /// A policy; by default 3 failures in a row open the breaker for 2 seconds.
    public init(failureThreshold: Int = 3, openDuration: Duration = .seconds(2)) {
        precondition(failureThreshold > 0, "CircuitBreakerPolicy failureThreshold must be at least 1")
        self.failureThreshold = failureThreshold
        self.openDuration = openDuration
    }
}

/// The state machine of a ``CircuitBreakerPolicy``; thread-safe, one lock per call.
final class CircuitBreaker: Sendable {
    enum State: Equatable, Sendable {
        /// Calls go through; `failures` have failed in a row.
        case closed(failures: Int)
        /// Calls fall through until `until`.
        case open(until: ContinuousClock.Instant)
        /// One probe is in flight; other calls fall through.
        case halfOpen
    }

    /// What a call may do.
    enum Permit: Sendable {
        /// An ordinary call, the breaker being closed.
        case call
        /// The one probe of a half-open breaker.
        case probe
    }

    let policy: CircuitBreakerPolicy
    private let state = Mutex(State.closed(failures: 0))
    private let now: @Sendable () -> ContinuousClock.Instant

    init(policy: CircuitBreakerPolicy, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.policy = policy
        self.now = now
    }

    /// The state now.
    var current: State {
        self.state.withLockedValue { $0 }
    }

    /// Whether calls go through: the breaker is closed.
    var isClosed: Bool {
        if case .closed = self.current {
            return true
        }
        return false
    }

    /// Asks to make a call: nil means fall through without calling.
    func permit() -> Permit? {
        let now = self.now()
        return self.state.withLockedValue { state in
            switch state {
            case .closed:
                return .call
            case .open(let until) where now >= until:
                state = .halfOpen
                return .probe
            case .open, .halfOpen:
                return nil
            }
        }
    }

    /// Records how a permitted call ended: `true` when Redis answered, `false` when it failed (timeout,
    /// connection), nil when the caller gave up (cancellation), which judges nothing.
    func record(_ permit: Permit, succeeded: Bool?) {
        let reopen = self.now() + self.policy.openDuration
        let now = self.now()
        self.state.withLockedValue { state in
            switch (permit, succeeded, state) {
            case (.probe, true, _):
                state = .closed(failures: 0)
            case (.probe, false, _):
                state = .open(until: reopen)
            case (.probe, nil, _):
                state = .open(until: now)
            case (.call, true, .closed):
                state = .closed(failures: 0)
            case (.call, false, .closed(let failures)):
                state =
                    failures + 1 >= self.policy.failureThreshold
                    ? .open(until: reopen) : .closed(failures: failures + 1)
            case (.call, _, _):
                // A call let through before the breaker opened: the probe decides now.
                break
            }
        }
    }
}
