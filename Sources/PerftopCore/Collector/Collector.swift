import Foundation
import PerfKit
import Synchronization

/// Polls every feed on an interval, keeps their samples in a ``SeriesStore`` and publishes a ``DashboardModel``.
///
/// Feeds are polled concurrently on a PerfKit ``AsyncProcessor`` (named `collector`), each under
/// its own deadline, so one slow or hung source never delays the others: at the deadline the
/// source is marked stale or down and the round goes on. The latest model is readable at any
/// time without waiting (``model``), which is what the UI thread does every frame.
public final class Collector: Sendable {
    /// How often and how patiently the collector polls, and how much it keeps.
    public struct Configuration: Sendable {
        /// Time between the starts of two rounds.
        public var interval: Duration
        /// The longest one poll of one feed may take; at most ``interval``.
        public var timeout: Duration
        /// Points kept per series.
        public var retention: Int
        /// Series kept per source.
        public var maximumSeriesPerSource: Int
        /// A failing source whose last good poll is older than this is shown as down rather than stale.
        public var staleLimit: Duration
        /// The longest a failing source waits between polls; the wait starts at ``interval`` and
        /// doubles with each failure in a row (see ``Backoff``).
        public var maximumBackoff: Duration
        /// The parse budget: the most samples one poll may return. A poll over it fails with
        /// `too many samples: N (budget M)` and its samples are not stored. Parsing itself runs inside
        /// the poll, so it also counts against ``timeout``.
        public var maximumSamplesPerPoll: Int
        /// The bounds on each sample's name and labels; a poll with a sample over them fails with the
        /// reason and its samples are not stored.
        public var sampleLimits: SampleLimits
        /// The most bytes of names and labels kept per source (``SeriesStore/maximumIdentityBytesPerSource``).
        public var maximumIdentityBytesPerSource: Int
        /// The optimization tracker evaluated after every round into ``DashboardModel/tracker``, over
        /// the whole retained window; nil for none. Set it after creating the configuration.
        public var tracker: Tracker?
        /// The advisor run after every round into ``DashboardModel/advice``; nil for no advice. Set it
        /// after creating the configuration. Costs about as much as building the model.
        public var advisor: Advisor?

        /// Creates a configuration; the timeout is clamped to the interval, the backoff cap to at least the interval.
        ///
        /// - Parameters:
        ///   - interval: time between the starts of two rounds.
        ///   - timeout: the longest one poll may take; the interval by default.
        ///   - retention: points kept per series.
        ///   - maximumSeriesPerSource: series kept per source.
        ///   - staleLimit: how long a failing source is stale before it is down; ten intervals by default.
        ///   - maximumBackoff: the cap on the wait between polls of a failing source; 30 s by default.
        ///   - maximumSamplesPerPoll: the parse budget in samples per poll; 1,000,000 by default.
        ///   - sampleLimits: the bounds on each sample's name and labels.
        ///   - maximumIdentityBytesPerSource: bytes of names and labels kept per source; 8 MiB by default.
        public init(
            interval: Duration = .seconds(1),
            timeout: Duration? = nil,
            retention: Int = 300,
            maximumSeriesPerSource: Int = 10_000,
            staleLimit: Duration? = nil,
            maximumBackoff: Duration = .seconds(30),
            maximumSamplesPerPoll: Int = 1_000_000,
            sampleLimits: SampleLimits = SampleLimits(),
            maximumIdentityBytesPerSource: Int = 8 << 20
        ) {
            self.interval = interval
            self.timeout = min(timeout ?? interval, interval)
            self.retention = retention
            self.maximumSeriesPerSource = maximumSeriesPerSource
            self.staleLimit = staleLimit ?? interval * 10
            self.maximumBackoff = max(maximumBackoff, interval)
            self.maximumSamplesPerPoll = maximumSamplesPerPoll
            self.sampleLimits = sampleLimits
            self.maximumIdentityBytesPerSource = maximumIdentityBytesPerSource
        }
    }

    /// What one round read from one feed.
    public struct FeedResult: Sendable {
        /// The feed's name.
        public var source: String
        /// The samples read, or nil when the poll failed.
        public var samples: [Sample]?
        /// Why the poll failed, or nil when it succeeded. A skipped source repeats its last reason.
        public var failure: String?
        /// True when the source was not polled this round: it is backing off after failures, or its
        /// previous poll has not returned yet.
        public var skipped = false
    }

    /// What one round produced: the time it read at, each feed's result and the model built from them.
    public struct Round: Sendable {
        /// When the round started, in seconds since 1970-01-01 UTC.
        public var time: Double
        /// One result per feed, in the order the feeds were given.
        public var results: [FeedResult]
        /// The dashboard model after the round.
        public var model: DashboardModel
    }

    private struct FeedHealth {
        var lastSuccess: Double?
        var lastFailure: String?
        var polled = false
        var backoff: Backoff
        /// The series held after a poll that had some dropped (over the series or identity-byte cap).
        var truncatedTo: Int?
        /// A poll was started and has not returned (it may have been abandoned at its deadline).
        var running = false
    }

    private struct State {
        var store: SeriesStore
        var health: [String: FeedHealth]
        var model: DashboardModel
        var lastSelfCPU: (time: Double, seconds: Double)?
    }

    /// The configuration the collector started with; ``interval`` is the interval in force now.
    public let configuration: Configuration
    /// The feeds, polled in this order (concurrently).
    public let feeds: [any Feed]
    /// The processor the polls run on; register it to show the collector's own queue.
    public let processor: AsyncProcessor

    private let state: Mutex<State>
    private let now: @Sendable () -> Double
    /// The interval in force; starts as the configuration's, changed by ``setInterval(_:)``.
    private let currentInterval: Mutex<Duration>

    /// Creates a collector.
    ///
    /// - Parameters:
    ///   - feeds: the sources to poll; their names must be unique.
    ///   - configuration: interval, timeout and bounds.
    ///   - now: the wall clock, in seconds since 1970; injected by tests.
    public init(
        feeds: [any Feed],
        configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.feeds = feeds
        self.configuration = configuration
        self.now = now
        self.currentInterval = Mutex(configuration.interval)
        self.processor = AsyncProcessor(name: "collector", maxConcurrency: max(1, min(feeds.count, 8)))
        let initialModel = DashboardModel(
            timestamp: now(),
            interval: configuration.interval.seconds,
            sources: feeds.map { SourceStatus(name: $0.name, state: .pending) }
        )
        self.state = Mutex(
            State(
                store: SeriesStore(
                    retention: configuration.retention,
                    maximumSeriesPerSource: configuration.maximumSeriesPerSource,
                    maximumIdentityBytesPerSource: configuration.maximumIdentityBytesPerSource
                ),
                health: Dictionary(
                    feeds.map {
                        (
                            $0.name,
                            FeedHealth(
                                backoff: Backoff(
                                    initial: configuration.interval,
                                    maximum: configuration.maximumBackoff
                                )
                            )
                        )
                    },
                    uniquingKeysWith: { first, _ in first }
                ),
                model: initialModel
            )
        )
    }

    // MARK: - Reading

    /// The model built by the last round; cheap (a lock and a copy), never waits for a round.
    public var model: DashboardModel {
        self.state.withLockedValue { $0.model }
    }

    /// Runs `body` with the store under the collector's lock; keep it short.
    public func withStore<Result: Sendable>(_ body: (SeriesStore) -> Result) -> Result {
        self.state.withLockedValue { body($0.store) }
    }

    /// The time between the starts of two rounds now: the configuration's interval until
    /// ``setInterval(_:)`` changes it. Cheap: one lock.
    public var interval: Duration {
        self.currentInterval.withLockedValue { $0 }
    }

    /// Changes the time between rounds; ``run(onRound:)`` waits the new interval after the round in
    /// progress, and models built from then on report it. Thread-safe; the poll timeout stays the
    /// configuration's, clamped to the new interval.
    /// - Parameter interval: The new interval; values below one millisecond are raised to it.
    public func setInterval(_ interval: Duration) {
        self.currentInterval.withLockedValue { $0 = max(interval, .milliseconds(1)) }
    }

    // MARK: - Collecting

    /// Polls every due feed once, concurrently, records what they returned and rebuilds the model.
    ///
    /// A feed is not polled (its result is ``FeedResult/skipped``) while it backs off after failures,
    /// or while its previous poll is still running past its deadline, so a hung source holds at most
    /// one task. Returns after every polled feed has answered or reached its deadline, so at most
    /// about ``Configuration/timeout`` after it started.
    @discardableResult
    public func collectOnce() async -> Round {
        let clock = ContinuousClock()
        let started = clock.now
        let time = self.now()
        let interval = self.interval
        let configuration = {
            var configuration = self.configuration
            configuration.timeout = min(configuration.timeout, interval)
            return configuration
        }()
        let due = self.startPolls(at: time, interval: interval)
        let results = await withTaskGroup(of: (Int, FeedResult).self) { group in
            for (index, feed) in self.feeds.enumerated() {
                guard due[index] else {
                    continue
                }
                group.addTask {
                    (index, await self.poll(feed, configuration: configuration))
                }
            }
            var ordered = [FeedResult?](repeating: nil, count: self.feeds.count)
            for await (index, result) in group {
                ordered[index] = result
            }
            return ordered
        }
        let collectSeconds = (clock.now - started).seconds
        let selfCPU = try? ProcessStatistics.read()
        // Under the lock only the recording; the model, the tracker and the advice are derived from a
        // copy of the store (copy-on-write, so no copy is made) while the UI keeps reading the last model.
        let recorded = self.state.withLockedValue { state in
            var all: [FeedResult] = []
            for (index, feed) in self.feeds.enumerated() {
                var health = state.health[feed.name] ?? self.freshHealth()
                guard let result = results[index] else {
                    all.append(FeedResult(source: feed.name, samples: nil, failure: health.lastFailure, skipped: true))
                    continue
                }
                all.append(result)
                health.polled = true
                if let samples = result.samples {
                    state.store.record(source: result.source, samples: samples, at: time)
                    health.lastSuccess = time
                    health.lastFailure = nil
                    health.truncatedTo =
                        state.store.droppedSeries(source: result.source) > 0
                        ? state.store.held(source: result.source).series : nil
                    health.backoff.recordSuccess()
                } else {
                    health.lastFailure = result.failure
                    health.backoff.recordFailure(at: time)
                }
                state.health[feed.name] = health
            }
            var cpuPercent: Double?
            if let selfCPU {
                let seconds = selfCPU.cpuSeconds
                if let last = state.lastSelfCPU, time > last.time {
                    cpuPercent = max(0, seconds - last.seconds) / (time - last.time) * 100
                }
                state.lastSelfCPU = (time, seconds)
            }
            let sources = self.feeds.map { self.status(of: $0.name, health: state.health[$0.name], at: time) }
            return (store: state.store, sources: sources, cpuPercent: cpuPercent, all: all)
        }
        var model = DashboardModel(
            store: recorded.store,
            sources: recorded.sources,
            timestamp: time,
            interval: interval.seconds,
            selfCost: SelfCost(collectSeconds: collectSeconds, cpuPercent: recorded.cpuPercent)
        )
        if let tracker = configuration.tracker {
            let window = Double(configuration.retention) * interval.seconds
            model.tracker = TrackerEvaluator(window: window).evaluate(tracker, store: recorded.store).views
        }
        if let advisor = configuration.advisor {
            model.advice = advisor.advise(store: recorded.store, sources: model.sources)
        }
        self.state.withLockedValue { state in
            if model.timestamp >= state.model.timestamp {
                state.model = model
            }
        }
        return Round(time: time, results: recorded.all, model: model)
    }

    /// Collects a round every ``interval`` until the calling task is cancelled; a change of the
    /// interval applies from the wait after the round in progress.
    ///
    /// `onRound` runs after each round, e.g. to write an export row.
    public func run(onRound: @Sendable (Round) async -> Void = { _ in }) async {
        let clock = ContinuousClock()
        var next = clock.now
        while !Task.isCancelled {
            let round = await self.collectOnce()
            await onRound(round)
            next = next.advanced(by: self.interval)
            if next < clock.now {
                next = clock.now
            }
            try? await Task.sleep(until: next, clock: clock)
        }
    }

    // MARK: - Scheduling

    /// Marks the feeds due at `time` as running and returns, per feed, whether to poll it this round.
    private func startPolls(at time: Double, interval: Duration) -> [Bool] {
        let tolerance = interval.seconds / 2
        return self.state.withLockedValue { state in
            self.feeds.map { feed in
                var health = state.health[feed.name] ?? self.freshHealth()
                guard !health.running, health.backoff.allows(at: time, tolerance: tolerance) else {
                    return false
                }
                health.running = true
                state.health[feed.name] = health
                return true
            }
        }
    }

    /// Polls one feed on the processor under its deadline and checks the result against the parse
    /// budget and the sample limits.
    private func poll(_ feed: any Feed, configuration: Configuration) async -> FeedResult {
        let start = PollStart()
        do {
            let samples = try await self.processor.submit {
                start.started.store(true, ordering: .relaxed)
                return try await withDeadline(configuration.timeout) {
                    defer { self.finishPoll(of: feed.name) }
                    return try await feed.poll(timeout: configuration.timeout)
                }
            }
            guard samples.count <= configuration.maximumSamplesPerPoll else {
                let reason = "too many samples: \(samples.count) (budget \(configuration.maximumSamplesPerPoll))"
                return FeedResult(source: feed.name, samples: nil, failure: reason)
            }
            if let violation = configuration.sampleLimits.violation(in: samples) {
                return FeedResult(source: feed.name, samples: nil, failure: SafeText.escaped(violation))
            }
            return FeedResult(source: feed.name, samples: samples, failure: nil)
        } catch {
            if !start.started.load(ordering: .relaxed) {
                self.finishPoll(of: feed.name)
            }
            return FeedResult(source: feed.name, samples: nil, failure: Self.reason(for: error))
        }
    }

    /// Records that a poll of `source` returned, even one abandoned at its deadline long ago.
    private func finishPoll(of source: String) {
        self.state.withLockedValue { $0.health[source]?.running = false }
    }

    private func freshHealth() -> FeedHealth {
        FeedHealth(backoff: Backoff(initial: self.configuration.interval, maximum: self.configuration.maximumBackoff))
    }

    // MARK: - Source states

    private func status(of name: String, health: FeedHealth?, at time: Double) -> SourceStatus {
        guard let health, health.polled else {
            return SourceStatus(name: name, state: .pending)
        }
        let state: SourceState
        if let failure = health.lastFailure {
            if let lastSuccess = health.lastSuccess, time - lastSuccess <= self.configuration.staleLimit.seconds {
                state = .stale(age: time - lastSuccess, reason: failure)
            } else {
                state = .down(reason: failure)
            }
        } else {
            state = .ok
        }
        let retryIn = health.backoff.remaining(at: time)
        return SourceStatus(
            name: name,
            state: state,
            lastSuccess: health.lastSuccess,
            truncatedToSeries: health.truncatedTo,
            retryIn: health.lastFailure != nil && retryIn > self.interval.seconds ? retryIn : nil
        )
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
