import PerfKit

/// Capped exponential backoff for a source that keeps failing: after `n` failures in a row, the next
/// attempt waits `min(initial × 2^(n−1), maximum)`; a success resets it.
///
/// A plain value with no clock of its own: callers pass the time (seconds on any clock, as long as it
/// is always the same one), so tests drive it without sleeping. The collector uses it to skip polls of
/// a failing source, and ``AgentFeed`` to space out reconnection attempts.
public struct Backoff: Sendable, Equatable {
    /// The wait after the first failure.
    public let initial: Duration
    /// The longest wait, however many failures.
    public let maximum: Duration
    /// Failures since the last success.
    public private(set) var failures = 0
    /// The earliest time the next attempt may start, or `nil` when attempts are not held back.
    public private(set) var nextAttempt: Double?

    /// Creates a backoff with no failures.
    ///
    /// - Parameters:
    ///   - initial: the wait after the first failure; must be positive.
    ///   - maximum: the cap on the wait; at least `initial`.
    public init(initial: Duration, maximum: Duration) {
        precondition(initial > .zero, "the initial backoff must be positive")
        self.initial = initial
        self.maximum = max(initial, maximum)
    }

    /// The wait that follows the current run of failures; zero when there are none.
    public var delay: Duration {
        guard self.failures > 0 else {
            return .zero
        }
        return min(self.initial * (1 << min(self.failures - 1, 30)), self.maximum)
    }

    /// Whether an attempt may start at `time`.
    ///
    /// A next attempt further away than ``maximum`` means the caller's clock went backwards (a wall
    /// clock being set); the attempt is allowed rather than held back for as long as the clock jumped.
    ///
    /// - Parameters:
    ///   - time: now, on the caller's clock.
    ///   - tolerance: how early an attempt may come, so a poll scheduled on the interval is not skipped
    ///     for a few milliseconds of scheduling jitter.
    public func allows(at time: Double, tolerance: Double = 0) -> Bool {
        guard let next = self.nextAttempt else {
            return true
        }
        return time + tolerance >= next || next - time > self.maximum.seconds
    }

    /// Seconds from `time` until the next attempt may start; zero when it may start now.
    public func remaining(at time: Double) -> Double {
        max(0, (self.nextAttempt ?? time) - time)
    }

    /// Records a failed attempt made at `time`, doubling the wait up to the cap.
    public mutating func recordFailure(at time: Double) {
        self.failures += 1
        self.nextAttempt = time + self.delay.seconds
    }

    /// Records a successful attempt: the next one is not held back.
    public mutating func recordSuccess() {
        self.failures = 0
        self.nextAttempt = nil
    }
}
