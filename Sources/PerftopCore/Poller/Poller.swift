import PerfKit
import Synchronization

/// The first stage: polls every due feed once, concurrently, each under its own deadline, and keeps
/// each source's health (backoff after failures, a poll still running past its deadline, the last
/// good poll and the last reason), from which it says each source's state.
///
/// Polls run on a PerfKit ``AsyncProcessor`` (named `collector`), so one slow or hung source never
/// delays the others: at the deadline its poll is abandoned and the round goes on, and a source whose
/// poll has not returned is not polled again, so it holds at most one task. What a poll returns is
/// checked against the parse budget and the ``SampleLimits`` before anyone stores it. The poller
/// knows nothing of the store or of what is derived from it.
public final class Poller: Sendable {
    /// How patiently the poller polls and what it accepts.
    public struct Configuration: Sendable {
        /// The longest one poll of one feed may take.
        public var timeout: Duration
        /// A failing source whose last good poll is older than this is down rather than stale.
        public var staleLimit: Duration
        /// The first wait after a failure (doubling with each failure in a row).
        public var initialBackoff: Duration
        /// The longest a failing source waits between polls.
        public var maximumBackoff: Duration
        /// The parse budget: the most samples one poll may return.
        public var maximumSamplesPerPoll: Int
        /// The bounds on each sample's name and labels.
        public var sampleLimits: SampleLimits

        /// Creates a configuration.
        public init(
            timeout: Duration,
            staleLimit: Duration,
            initialBackoff: Duration,
            maximumBackoff: Duration,
            maximumSamplesPerPoll: Int = 1_000_000,
            sampleLimits: SampleLimits = SampleLimits()
        ) {
            self.timeout = timeout
            self.staleLimit = staleLimit
            self.initialBackoff = initialBackoff
            self.maximumBackoff = max(maximumBackoff, initialBackoff)
            self.maximumSamplesPerPoll = maximumSamplesPerPoll
            self.sampleLimits = sampleLimits
        }
    }

    /// What one poll of one feed gave.
    public struct Result: Sendable {
        /// The feed's name.
        public var source: String
        /// The samples read, or nil when the poll failed.
        public var samples: [Sample]?
        /// Why the poll failed, or nil when it succeeded. A skipped source repeats its last reason.
        public var failure: String?
        /// True when the source was not polled this round: it is backing off after failures, or its
        /// previous poll has not returned yet.
        public var skipped = false
        /// When the samples were measured, if the source said (``FeedReading/time``); nil means the round's time.
        public var time: Double?
        /// The warning the source gave with its samples, escaped; nil when none.
        public var warning: String?

        /// Creates a result.
        public init(
            source: String,
            samples: [Sample]?,
            failure: String?,
            skipped: Bool = false,
            time: Double? = nil,
            warning: String? = nil
        ) {
            self.source = source
            self.samples = samples
            self.failure = failure
            self.skipped = skipped
            self.time = time
            self.warning = warning
        }
    }

    /// One source's history of polls.
    private struct Health {
        var lastSuccess: Double?
        var lastFailure: String?
        var lastWarning: String?
        var polled = false
        var backoff: Backoff
        /// A poll was started and has not returned (it may have been abandoned at its deadline).
        var running = false
    }

    /// The most polls that run at once.
    public static let maximumConcurrentPolls = 8

    /// The processor the polls run on; register it to show the poller's own queue.
    public let processor: AsyncProcessor
    /// How the poller polls.
    public let configuration: Configuration
    private let currentFeeds: Mutex<[any Feed]>
    private let health: Mutex<[String: Health]>

    /// Creates a poller for `feeds`, whose names must be unique.
    public init(feeds: [any Feed], configuration: Configuration) {
        self.currentFeeds = Mutex(feeds)
        self.configuration = configuration
        self.processor = AsyncProcessor(name: "collector", maxConcurrency: Self.maximumConcurrentPolls)
        let backoff = Backoff(initial: configuration.initialBackoff, maximum: configuration.maximumBackoff)
        self.health = Mutex(
            Dictionary(feeds.map { ($0.name, Health(backoff: backoff)) }, uniquingKeysWith: { first, _ in first })
        )
    }

    /// The feeds, polled in this order (concurrently).
    public var feeds: [any Feed] {
        self.currentFeeds.withLockedValue { $0 }
    }

    /// Polls `feeds` from the next round on and returns the names of the feeds that are gone.
    ///
    /// A feed whose name was polled before keeps its history (last success, failure, backoff); a
    /// new name starts pending. A poll of a removed feed still running finishes and is ignored.
    /// Names must be unique. Cost: O(feeds).
    @discardableResult
    public func replaceFeeds(_ feeds: [any Feed]) -> [String] {
        let previous = self.currentFeeds.withLockedValue { current in
            defer { current = feeds }
            return current
        }
        let kept = Set(feeds.map(\.name))
        let removed = previous.map(\.name).filter { !kept.contains($0) }
        if !removed.isEmpty {
            self.health.withLockedValue { health in
                for name in removed {
                    health[name] = nil
                }
            }
        }
        return removed
    }

    // MARK: - Polling

    /// Polls every due feed once, concurrently, and returns one result per feed, in the feeds' order.
    ///
    /// A feed is not polled (its result is ``Result/skipped``) while it backs off after failures, or
    /// while its previous poll is still running past its deadline. Returns after every polled feed
    /// has answered or reached its deadline: at most about the timeout (clamped to `interval`) after
    /// it started.
    /// - Parameters:
    ///   - time: The round's time, in seconds since 1970; the source states are judged against it.
    ///   - interval: The interval in force, which bounds the timeout and the backoff's tolerance.
    public func poll(at time: Double, interval: Duration) async -> [Result] {
        let timeout = min(self.configuration.timeout, interval)
        let feeds = self.feeds
        let due = self.startPolls(of: feeds, at: time, interval: interval)
        let results = await withTaskGroup(of: (Int, Result).self) { group in
            for (index, feed) in feeds.enumerated() where due[index] {
                group.addTask {
                    (index, await self.poll(feed, timeout: timeout))
                }
            }
            var ordered = [Result?](repeating: nil, count: feeds.count)
            for await (index, result) in group {
                ordered[index] = result
            }
            return ordered
        }
        return self.health.withLockedValue { health in
            feeds.enumerated().map { index, feed in
                var state = health[feed.name] ?? self.freshHealth()
                guard let result = results[index] else {
                    return Result(source: feed.name, samples: nil, failure: state.lastFailure, skipped: true)
                }
                state.polled = true
                if result.samples != nil {
                    state.lastSuccess = time
                    state.lastFailure = nil
                    state.lastWarning = result.warning
                    state.backoff.recordSuccess()
                } else {
                    state.lastFailure = result.failure
                    state.backoff.recordFailure(at: time)
                }
                health[feed.name] = state
                return result
            }
        }
    }

    /// Marks the feeds of `feeds` due at `time` as running and returns, per feed, whether to poll it
    /// this round.
    private func startPolls(of feeds: [any Feed], at time: Double, interval: Duration) -> [Bool] {
        let tolerance = interval.seconds / 2
        return self.health.withLockedValue { health in
            feeds.map { feed in
                var state = health[feed.name] ?? self.freshHealth()
                guard !state.running, state.backoff.allows(at: time, tolerance: tolerance) else {
                    return false
                }
                state.running = true
                health[feed.name] = state
                return true
            }
        }
    }

    /// Polls one feed on the processor under its deadline and checks the result against the parse
    /// budget and the sample limits.
    private func poll(_ feed: any Feed, timeout: Duration) async -> Result {
        let start = PollStart()
        do {
            // In the poll's own task: the deadline is the feed's or `withDeadline`'s, never the processor's.
            let reading = try await self.processor.submitInline {
                start.started.store(true, ordering: .relaxed)
                guard !feed.enforcesItsTimeout else {
                    defer { self.finishPoll(of: feed.name) }
                    return try await feed.read(timeout: timeout)
                }
                return try await withDeadline(timeout) {
                    defer { self.finishPoll(of: feed.name) }
                    return try await feed.read(timeout: timeout)
                }
            }
            let samples = reading.samples
            let budget = self.configuration.maximumSamplesPerPoll
            guard samples.count <= budget else {
                return Result(
                    source: feed.name,
                    samples: nil,
                    failure: "too many samples: \(samples.count) (budget \(budget))"
                )
            }
            if let violation = self.configuration.sampleLimits.violation(in: samples) {
                return Result(source: feed.name, samples: nil, failure: SafeText.escaped(violation))
            }
            return Result(
                source: feed.name,
                samples: samples,
                failure: nil,
                time: reading.time,
                warning: reading.warning.map { SafeText.escaped($0, limit: SafeText.maximumReasonLength) }
            )
        } catch {
            if !start.started.load(ordering: .relaxed) {
                self.finishPoll(of: feed.name)
            }
            return Result(source: feed.name, samples: nil, failure: Self.reason(for: error))
        }
    }

    /// Records that a poll of `source` returned, even one abandoned at its deadline long ago.
    private func finishPoll(of source: String) {
        self.health.withLockedValue { $0[source]?.running = false }
    }

    private func freshHealth() -> Health {
        Health(backoff: Backoff(initial: self.configuration.initialBackoff, maximum: self.configuration.maximumBackoff))
    }

    // MARK: - Source states

    /// Every source's state at `time`, in the feeds' order: pending before its first poll, ok after a
    /// good one, stale while its last good poll is within the stale limit, down after that (or when it
    /// never answered), with the wait before its next poll when it is backing off beyond `interval`.
    public func statuses(at time: Double, interval: Duration) -> [SourceStatus] {
        let feeds = self.feeds
        return self.health.withLockedValue { health in
            feeds.map { feed in
                guard let state = health[feed.name], state.polled else {
                    var status = SourceStatus(name: feed.name, state: .pending, displayName: feed.displayName)
                    status.query = feed.query
                    return status
                }
                let sourceState: SourceState
                if let failure = state.lastFailure {
                    if let lastSuccess = state.lastSuccess, time - lastSuccess <= self.configuration.staleLimit.seconds
                    {
                        sourceState = .stale(age: time - lastSuccess, reason: failure)
                    } else {
                        sourceState = .down(reason: failure)
                    }
                } else {
                    sourceState = .ok
                }
                let retryIn = state.backoff.remaining(at: time)
                var status = SourceStatus(
                    name: feed.name,
                    state: sourceState,
                    lastSuccess: state.lastSuccess,
                    retryIn: state.lastFailure != nil && retryIn > interval.seconds ? retryIn : nil,
                    displayName: feed.displayName
                )
                status.warning = state.lastFailure == nil ? state.lastWarning : nil
                status.query = feed.query
                return status
            }
        }
    }

    /// Why a poll failed, as one line that is safe to show anywhere: a reason often quotes what
    /// the source sent, so it is escaped and cut to ``SafeText/maximumReasonLength`` characters.
    private static func reason(for error: any Error) -> String {
        let reason: String
        switch error {
        case let error as FeedError:
            reason = error.reason
        case is CancellationError:
            reason = "cancelled"
        default:
            reason = String(describing: error).split(separator: "\n").first.map(String.init) ?? "error"
        }
        return SafeText.escaped(reason, limit: SafeText.maximumReasonLength)
    }
}

/// Whether a poll's job started on the processor: if it never did (rejected or cancelled while queued),
/// nothing else will clear the source's running mark.
private final class PollStart: Sendable {
    let started = Atomic<Bool>(false)
}
