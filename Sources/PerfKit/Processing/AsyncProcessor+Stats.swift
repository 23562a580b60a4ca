/// What a submission to an ``AsyncProcessor`` ended as; the value of the `outcome` label of
/// `processor_tasks_total`.
public enum ProcessorOutcome: String, Sendable, Hashable, CaseIterable {
    /// The operation returned a value.
    case succeeded
    /// The operation threw an error other than `CancellationError`.
    case failed
    /// The task was cancelled before the operation started, or the operation threw `CancellationError`.
    case cancelled
}

/// The counters of an ``AsyncProcessor`` at one moment, all read under the same lock.
///
/// Counters are cumulative since the processor was created, and always satisfy
/// `submitted == queueDepth + inFlight + succeeded + failed + cancelled`.
public struct AsyncProcessorStats: Sendable, Hashable {
    /// Calls to ``AsyncProcessor/submit(_:)`` so far.
    public var submitted: Int
    /// Submissions waiting for a slot.
    public var queueDepth: Int
    /// Submissions holding a slot, from 0 to ``concurrencyLimit``.
    public var inFlight: Int
    /// The most submissions that hold a slot at once.
    public var concurrencyLimit: Int
    /// Operations that returned a value.
    public var succeeded: Int
    /// Operations that threw an error other than `CancellationError`.
    public var failed: Int
    /// Submissions cancelled before their operation started, or whose operation threw `CancellationError`.
    public var cancelled: Int
    /// How long the oldest waiter has been waiting, or zero when nobody waits.
    public var oldestQueuedAge: Duration

    /// Creates stats from their counters.
    public init(
        submitted: Int,
        queueDepth: Int,
        inFlight: Int,
        concurrencyLimit: Int,
        succeeded: Int,
        failed: Int,
        cancelled: Int,
        oldestQueuedAge: Duration
    ) {
        self.submitted = submitted
        self.queueDepth = queueDepth
        self.inFlight = inFlight
        self.concurrencyLimit = concurrencyLimit
        self.succeeded = succeeded
        self.failed = failed
        self.cancelled = cancelled
        self.oldestQueuedAge = oldestQueuedAge
    }

    /// The number of submissions that ended with the given outcome.
    public func completed(_ outcome: ProcessorOutcome) -> Int {
        switch outcome {
        case .succeeded: self.succeeded
        case .failed: self.failed
        case .cancelled: self.cancelled
        }
    }
}

// MARK: - SampleSource

extension AsyncProcessor: SampleSource {
    /// The processor's well-known samples, all labelled `processor=<name>`.
    ///
    /// In this order: `processor_queue_depth`, `processor_in_flight`, `processor_concurrency_limit`
    /// (gauges), `processor_tasks_total` once per ``ProcessorOutcome`` with an `outcome` label, even when
    /// zero (counters), and `processor_oldest_queued_seconds` (gauge, 0 when nobody waits).
    /// Cost: one lock and seven samples.
    public func collectSamples() -> [Sample] {
        let stats = self.stats
        let label = ["processor": self.name]
        var samples = [
            Sample(name: "processor_queue_depth", labels: label, kind: .gauge, value: Double(stats.queueDepth)),
            Sample(name: "processor_in_flight", labels: label, kind: .gauge, value: Double(stats.inFlight)),
            Sample(
                name: "processor_concurrency_limit",
                labels: label,
                kind: .gauge,
                value: Double(stats.concurrencyLimit)
            ),
        ]
        for outcome in ProcessorOutcome.allCases {
            samples.append(
                Sample(
                    name: "processor_tasks_total",
                    labels: ["processor": self.name, "outcome": outcome.rawValue],
                    kind: .counter,
                    value: Double(stats.completed(outcome))
                )
            )
        }
        samples.append(
            Sample(
                name: "processor_oldest_queued_seconds",
                labels: label,
                kind: .gauge,
                value: stats.oldestQueuedAge.seconds
            )
        )
        return samples
    }
}
