/// When and how fast an ``AsyncProcessor`` retries an operation that failed: up to ``maxAttempts``
/// attempts, for the errors ``shouldRetry`` accepts, with exponential backoff and jitter in between.
///
/// The backoff before retry *n* (the first retry is 1) is
/// `min(maxBackoff, initialBackoff × multiplier^(n−1)) × (1 − jitter × u)` with `u` uniform in `[0, 1)`:
/// jitter only ever shortens a delay, so no delay exceeds ``maxBackoff`` and retries of many failed
/// operations spread out instead of arriving together. `CancellationError` is never retried, and no
/// retry starts once the operation's task is cancelled.
public struct RetryPolicy: Sendable {
    /// The most times the operation runs, the first attempt included; 1 means never retry.
    public var maxAttempts: Int
    /// The backoff before the first retry, before jitter.
    public var initialBackoff: Duration
    /// The longest backoff, before jitter.
    public var maxBackoff: Duration
    /// How much each backoff grows over the previous one; at least 1.
    public var multiplier: Double
    /// The largest fraction jitter removes from a backoff, from 0 (none) to 1.
    public var jitter: Double
    /// Whether an error is worth another attempt; called once per failed attempt that has attempts left.
    public var shouldRetry: @Sendable (any Error) -> Bool

    /// Creates a retry policy.
    ///
    /// - Parameters:
    ///   - maxAttempts: The most times the operation runs, the first attempt included; at least 1.
    ///   - initialBackoff: The backoff before the first retry; not negative.
    ///   - maxBackoff: The longest backoff; at least `initialBackoff`.
    ///   - multiplier: How much each backoff grows over the previous one; at least 1.
    ///   - jitter: The largest fraction jitter removes from a backoff, from 0 to 1.
    ///   - shouldRetry: Whether an error is worth another attempt, e.g. `{ $0 is TransientError }`.
    public init(
        maxAttempts: Int,
        initialBackoff: Duration = .milliseconds(100),
        maxBackoff: Duration = .seconds(10),
        multiplier: Double = 2,
        jitter: Double = 0.2,
        shouldRetry: @escaping @Sendable (any Error) -> Bool
    ) {
        precondition(maxAttempts >= 1, "RetryPolicy maxAttempts must be at least 1, got \(maxAttempts)")
        precondition(initialBackoff >= .zero, "RetryPolicy initialBackoff must not be negative")
        precondition(maxBackoff >= initialBackoff, "RetryPolicy maxBackoff must be at least initialBackoff")
        precondition(multiplier >= 1, "RetryPolicy multiplier must be at least 1, got \(multiplier)")
        precondition((0...1).contains(jitter), "RetryPolicy jitter must be within 0...1, got \(jitter)")
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = multiplier
        self.jitter = jitter
        self.shouldRetry = shouldRetry
    }

    /// A policy that never retries: one attempt.
    public static let none = RetryPolicy(maxAttempts: 1, initialBackoff: .zero, maxBackoff: .zero) { _ in false }

    /// The backoff before retry number `retry` (1 for the first retry) for a given jitter draw.
    ///
    /// Cost: O(1), no allocation.
    ///
    /// - Parameters:
    ///   - retry: Which retry this is, from 1.
    ///   - unitRandom: The jitter draw, in `[0, 1)`; 0 gives the backoff without jitter.
    public func backoff(beforeRetry retry: Int, unitRandom: Double) -> Duration {
        precondition(retry >= 1, "Retries are numbered from 1, got \(retry)")
        guard self.initialBackoff > .zero else {
            return .zero
        }
        let uncapped = self.initialBackoff.seconds * Self.power(self.multiplier, retry - 1)
        let capped = min(self.maxBackoff.seconds, uncapped)
        let jittered = capped * (1 - self.jitter * min(max(unitRandom, 0), 1))
        // Whole nanoseconds, at most Int64.max of them (292 years), so an absurd maxBackoff cannot trap.
        return .nanoseconds(Int64(min((jittered * 1e9).rounded(.down), 9.2e18)))
    }

    /// Whether a failed attempt should be followed by another one.
    ///
    /// - Parameters:
    ///   - error: What the attempt threw.
    ///   - attempt: Which attempt failed, from 1.
    func allowsRetry(after error: any Error, attempt: Int) -> Bool {
        attempt < self.maxAttempts && !(error is CancellationError) && !Task.isCancelled && self.shouldRetry(error)
    }

    /// `base^exponent` for a base of at least 1, by repeated squaring; stops early once infinite.
    private static func power(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        var factor = base
        var remaining = exponent
        while remaining > 0, result.isFinite {
            if remaining & 1 == 1 {
                result *= factor
            }
            factor *= factor
            remaining >>= 1
        }
        return result
    }
}
