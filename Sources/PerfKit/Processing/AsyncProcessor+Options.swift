// MARK: - Priority

extension AsyncProcessor {
    /// How urgently a submission wants a slot: queued submissions of a higher priority start first,
    /// and submissions of one priority start in the order they were queued.
    ///
    /// Priorities order the processor's own queue only; they do not change the Swift task priority
    /// the operation runs with, which is the submitter's.
    public enum Priority: Int, Sendable, Hashable, Comparable, CaseIterable {
        /// Served after every queued ``normal`` and ``high`` submission.
        case low = 0
        /// The default.
        case normal = 1
        /// Served before every queued ``normal`` and ``low`` submission.
        case high = 2

        /// Whether `lhs` is served after `rhs`.
        public static func < (lhs: Priority, rhs: Priority) -> Bool {
            lhs.rawValue < rhs.rawValue
        }
    }

    // MARK: - Queue full

    /// What ``AsyncProcessor/submit(priority:timeout:retry:_:)`` does when every slot is busy and the
    /// queue already holds ``AsyncProcessor/queueCapacity`` submissions.
    public enum QueueFullPolicy: Sendable, Hashable {
        /// The submitter suspends, without being counted as submitted, until the queue has room; suspended
        /// submitters enter the queue by priority, then in arrival order. See
        /// ``AsyncProcessorStats/blockedSubmitters``.
        case wait
        /// The submission throws ``AsyncProcessorError/queueFull`` at once and counts as `rejected`.
        case reject
        /// The oldest queued submission of the lowest queued priority fails with
        /// ``AsyncProcessorError/dropped`` and counts as `dropped`; the new one takes its place. A new
        /// submission whose priority is lower than every queued one is the one dropped.
        case dropOldest
    }

    // MARK: - Shutdown

    /// How ``AsyncProcessor/shutdown(mode:)`` treats the work it finds.
    public enum ShutdownMode: Sendable, Hashable {
        /// Queued and running submissions, and submitters suspended by ``QueueFullPolicy/wait``, all run
        /// to completion.
        case drain
        /// Queued submissions and suspended submitters fail with ``AsyncProcessorError/shutDown`` and
        /// count as `cancelled`; running operations are cancelled (they see `Task.isCancelled`), except
        /// those of ``AsyncProcessor/submitInline(priority:_:)``, which run in their submitter's task and
        /// are waited for.
        case cancel
    }
}

// MARK: - Errors

/// Why an ``AsyncProcessor`` refused or abandoned a submission. Errors thrown by operations themselves
/// are rethrown unchanged.
public struct AsyncProcessorError: Error, Sendable, Hashable {
    /// What went wrong, with its details; private, so that a new kind of failure is not a breaking
    /// change (the swift-server convention).
    private enum Code: Sendable, Hashable {
        case queueFull
        case dropped
        case timedOut(Duration)
        case shutDown
    }

    /// The kind of failure, to match on without the details: `error.kind == .queueFull`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        /// See ``AsyncProcessorError/queueFull``.
        public static let queueFull = Kind(name: "queueFull")
        /// See ``AsyncProcessorError/dropped``.
        public static let dropped = Kind(name: "dropped")
        /// See ``AsyncProcessorError/timedOut(_:)``.
        public static let timedOut = Kind(name: "timedOut")
        /// See ``AsyncProcessorError/shutDown``.
        public static let shutDown = Kind(name: "shutDown")

        public var description: String {
            self.name
        }
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// The queue was full and the processor's policy is ``AsyncProcessor/QueueFullPolicy/reject``.
    public static let queueFull = Self(.queueFull)

    /// The submission was queued, then dropped to make room under
    /// ``AsyncProcessor/QueueFullPolicy/dropOldest``.
    public static let dropped = Self(.dropped)

    /// The operation ran longer than the timeout it was submitted with, and was cancelled.
    public static func timedOut(_ value: Duration) -> Self {
        Self(.timedOut(value))
    }

    /// The processor is shut down: the submission came after ``AsyncProcessor/shutdown(mode:)``, or was
    /// still queued when the processor shut down with ``AsyncProcessor/ShutdownMode/cancel``.
    public static let shutDown = Self(.shutDown)

    /// The kind of failure.
    public var kind: Kind {
        switch self.code {
        case .queueFull: .queueFull
        case .dropped: .dropped
        case .timedOut: .timedOut
        case .shutDown: .shutDown
        }
    }
}
