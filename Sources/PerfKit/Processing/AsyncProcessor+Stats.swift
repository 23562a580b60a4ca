/// How a submission to an ``AsyncProcessor`` ended; the value of the `outcome` label of
/// `processor_tasks_total`.
public enum ProcessorOutcome: String, Sendable, Hashable, CaseIterable {
    /// The operation returned a value.
    case succeeded
    /// The operation threw an error other than `CancellationError`, after any retries.
    case failed
    /// The submitter was cancelled before the operation started, the operation threw
    /// `CancellationError`, or a shutdown with ``AsyncProcessor/ShutdownMode/cancel`` removed it from
    /// the queue.
    case cancelled
    /// The submission was refused: the queue was full under ``AsyncProcessor/QueueFullPolicy/reject``,
    /// or the processor was shut down.
    case rejected
    /// The submission was dropped from a full queue under ``AsyncProcessor/QueueFullPolicy/dropOldest``.
    case dropped
    /// The operation ran past its timeout and was cancelled.
    case timedOut = "timed_out"
}

/// The counters and gauges of an ``AsyncProcessor`` at one moment, all read under the same lock.
///
/// Counters are cumulative since the processor was created. A submission is counted in ``submitted``
/// once it is queued, starts, or ends without either (rejected, dropped on arrival, cancelled); a
/// submitter suspended for room by ``AsyncProcessor/QueueFullPolicy/wait`` is counted in
/// ``blockedSubmitters`` instead until it enters the queue or gives up. So at every moment
/// `submitted == queueDepth + inFlight + terminated`, where ``terminated`` sums the six outcomes.
public struct AsyncProcessorStats: Sendable, Hashable {
    /// The cumulative counters.
    struct Counts: Sendable, Hashable {
        var submitted = 0
        var succeeded = 0
        var failed = 0
        var cancelled = 0
        var rejected = 0
        var dropped = 0
        var timedOut = 0
        var retried = 0

        mutating func record(_ outcome: ProcessorOutcome) {
            switch outcome {
            case .succeeded: self.succeeded += 1
            case .failed: self.failed += 1
            case .cancelled: self.cancelled += 1
            case .rejected: self.rejected += 1
            case .dropped: self.dropped += 1
            case .timedOut: self.timedOut += 1
            }
        }
    }

    private var counts: Counts
    /// Submissions waiting in the queue for a slot, from 0 to ``queueCapacity``.
    public var queueDepth: Int
    /// Submitters suspended by ``AsyncProcessor/QueueFullPolicy/wait`` until the queue has room; not yet
    /// counted in ``submitted``.
    public var blockedSubmitters: Int
    /// Submissions holding a slot (running, backing off between retries, or finishing after a
    /// cancellation), from 0 to ``concurrencyLimit``.
    public var inFlight: Int
    /// The most submissions that hold a slot at once.
    public var concurrencyLimit: Int
    /// The most submissions the queue holds, or `nil` when it is unbounded.
    public var queueCapacity: Int?
    /// How long the oldest queued submission has been waiting, or zero when the queue is empty.
    public var oldestQueuedAge: Duration

    init(
        counts: Counts,
        queueDepth: Int,
        blockedSubmitters: Int,
        inFlight: Int,
        concurrencyLimit: Int,
        queueCapacity: Int?,
        oldestQueuedAge: Duration
    ) {
        self.counts = counts
        self.queueDepth = queueDepth
        self.blockedSubmitters = blockedSubmitters
        self.inFlight = inFlight
        self.concurrencyLimit = concurrencyLimit
        self.queueCapacity = queueCapacity
        self.oldestQueuedAge = oldestQueuedAge
    }

    /// Submissions counted so far (see the type's discussion for when).
    public var submitted: Int { self.counts.submitted }
    /// Operations that returned a value.
    public var succeeded: Int { self.counts.succeeded }
    /// Operations that threw an error other than `CancellationError`, after any retries.
    public var failed: Int { self.counts.failed }
    /// Submissions that ended as ``ProcessorOutcome/cancelled``.
    public var cancelled: Int { self.counts.cancelled }
    /// Submissions refused because the queue was full or the processor shut down.
    public var rejected: Int { self.counts.rejected }
    /// Submissions dropped from a full queue.
    public var dropped: Int { self.counts.dropped }
    /// Operations cancelled because they ran past their timeout.
    public var timedOut: Int { self.counts.timedOut }
    /// Retries started: attempts after the first, over all submissions.
    public var retried: Int { self.counts.retried }

    /// The number of submissions that ended with the given outcome.
    public func completed(_ outcome: ProcessorOutcome) -> Int {
        switch outcome {
        case .succeeded: self.succeeded
        case .failed: self.failed
        case .cancelled: self.cancelled
        case .rejected: self.rejected
        case .dropped: self.dropped
        case .timedOut: self.timedOut
        }
    }

    /// Submissions that have ended, with any outcome; `submitted - queueDepth - inFlight`.
    public var terminated: Int {
        ProcessorOutcome.allCases.reduce(0) { $0 + self.completed($1) }
    }
}

// MARK: - SampleSource

extension AsyncProcessor: SampleSource {
    /// The processor's well-known samples, all labelled `processor=<name>`.
    ///
    /// In this order: the gauges `processor_queue_depth`, `processor_in_flight`,
    /// `processor_concurrency_limit`, `processor_queue_capacity` (only when the queue is bounded),
    /// `processor_blocked_submitters`, `processor_oldest_queued_seconds` (0 when the queue is empty); the
    /// counters `processor_submitted_total`, `processor_tasks_total` once per ``ProcessorOutcome`` with
    /// an `outcome` label, even when zero, and `processor_retries_total`; then the summaries
    /// `processor_wait_seconds` (enqueue to start) and `processor_service_seconds` (start to end), as
    /// ``LatencySummary/samples(name:labels:)`` writes them.
    ///
    /// Counters and gauges are read together under one lock, so they add up exactly; the two summaries
    /// are read after, each under its own lock. Cost: three locks, O(histogram buckets), about 24 samples.
    public func collectSamples() -> [Sample] {
        let stats = self.stats
        let label = [LabelName.processor: self.name]
        func gauge(_ name: String, _ value: Double) -> Sample {
            Sample(name: name, labels: label, kind: .gauge, value: value)
        }
        var samples = [
            gauge(MetricName.processorQueueDepth, Double(stats.queueDepth)),
            gauge(MetricName.processorInFlight, Double(stats.inFlight)),
            gauge(MetricName.processorConcurrencyLimit, Double(stats.concurrencyLimit)),
        ]
        if let capacity = stats.queueCapacity {
            samples.append(gauge(MetricName.processorQueueCapacity, Double(capacity)))
        }
        samples.append(gauge(MetricName.processorBlockedSubmitters, Double(stats.blockedSubmitters)))
        samples.append(gauge(MetricName.processorOldestQueuedSeconds, stats.oldestQueuedAge.seconds))
        samples.append(
            Sample(name: MetricName.processorSubmitted, labels: label, kind: .counter, value: Double(stats.submitted))
        )
        for outcome in ProcessorOutcome.allCases {
            samples.append(
                Sample(
                    name: MetricName.processorTasks,
                    labels: [LabelName.processor: self.name, LabelName.outcome: outcome.rawValue],
                    kind: .counter,
                    value: Double(stats.completed(outcome))
                )
            )
        }
        samples.append(
            Sample(name: MetricName.processorRetries, labels: label, kind: .counter, value: Double(stats.retried))
        )
        samples += self.waitTimes.summary.samples(name: MetricName.processorWaitSeconds, labels: label)
        samples += self.serviceTimes.summary.samples(name: MetricName.processorServiceSeconds, labels: label)
        return samples
    }
}
