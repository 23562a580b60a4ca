import FoundationEssentials
import PerfKit
import Synchronization

/// The round loop: each round runs the three stages in order, the ``Poller`` (poll every due source
/// under its deadline), the ``SeriesStore`` (record what came back, under the one lock) and the
/// ``Derivation`` (every view, the tracker and the advice, from a copy of the store outside the
/// lock), then publishes the new model. The dashboard, the exports and `tracker check` all run
/// rounds through ``run(rounds:for:onRound:)``, the one scheduling loop.
///
/// The latest model is readable at any time without waiting (``model``), which is what the UI
/// thread does every frame. The collector measures itself: each model carries the round's collect
/// time and perftop's CPU share (``SelfCost``).
public final class Collector: Sendable {
    /// How often and how patiently the collector polls, and how much it keeps.
    public struct Configuration: Sendable {
        /// Time between the starts of two rounds.
        public var interval: Duration
        /// The longest one poll of one feed may take; at most ``interval``.
        public var timeout: Duration
        /// Points kept per series, and polls after which a series no longer reported is removed.
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

        /// The poller's part of the configuration.
        var poller: Poller.Configuration {
            Poller.Configuration(
                timeout: self.timeout,
                staleLimit: self.staleLimit,
                initialBackoff: self.interval,
                maximumBackoff: self.maximumBackoff,
                maximumSamplesPerPoll: self.maximumSamplesPerPoll,
                sampleLimits: self.sampleLimits
            )
        }
    }

    /// What one round produced: the time it read at, each feed's result and the model built from them.
    public struct Round: Sendable {
        /// When the round started, in seconds since 1970-01-01 UTC.
        public var time: Double
        /// One result per feed, in the order the feeds were given.
        public var results: [Poller.Result]
        /// The dashboard model after the round.
        public var model: DashboardModel

        /// Creates a round.
        public init(time: Double, results: [Poller.Result], model: DashboardModel) {
            self.time = time
            self.results = results
            self.model = model
        }
    }

    /// What the recording stage keeps between rounds.
    private struct Recorded {
        var store: SeriesStore
        var lastSelfCPU: (time: Double, seconds: Double)?
    }

    /// The configuration the collector started with; ``interval`` is the interval in force now.
    public let configuration: Configuration
    /// The first stage, which polls the sources.
    public let poller: Poller
    /// The third stage, which derives the model from the store: the one the collector started with
    /// until ``setTracker(_:)`` changes its tracker. Cheap: one lock.
    public var derivation: Derivation {
        self.currentDerivation.withLockedValue { $0 }
    }

    /// Finds the feeds to poll at the start of each round, given the feeds in use (e.g. the agents
    /// whose sockets are in a watched directory now); it returns the feeds to keep as they are (the
    /// same instances, so connections and backoff carry on) and new ones for new sources.
    public typealias FeedDiscovery = @Sendable (_ current: [any Feed]) -> [any Feed]

    /// How long a source's advice is shown before the advisor reads that source again, in seconds
    /// (``AdviceSchedule``): it reads the retained window (five minutes by default), which a few
    /// seconds hardly move, and after the model it is the costliest part of a round. A source is
    /// advised at once when it is added or answers again after failing.
    public static let adviceInterval = 5.0

    /// Which sources each round advises.
    private let adviceSchedule = AdviceSchedule(period: Collector.adviceInterval)
    /// The series a target could be bound to, listed for a store of this identity generation: listing
    /// them reads every series, so a round keeps them while no series came or went.
    private let lastBindableSeries = Mutex<(generation: Int, series: [BindableSeries])?>(nil)
    private let discovery: FeedDiscovery?
    private let recorded: Mutex<Recorded>
    private let latest: Mutex<DashboardModel>
    private let now: @Sendable () -> Double
    /// The interval in force; starts as the configuration's, changed by ``setInterval(_:)``.
    private let currentInterval: Mutex<Duration>
    /// The derivation in force; starts as the initialiser's, changed by ``setTracker(_:)``.
    private let currentDerivation: Mutex<Derivation>

    /// Creates a collector.
    ///
    /// - Parameters:
    ///   - feeds: the sources to poll; their names must be unique.
    ///   - configuration: interval, timeout and bounds.
    ///   - derivation: what is derived each round besides the views: the tracker and the advisor.
    ///   - discovery: called at the start of each round to add and drop feeds; a dropped feed's
    ///     series leave the store. None by default: the feeds are fixed.
    ///   - now: the wall clock, in seconds since 1970; injected by tests.
    public init(
        feeds: [any Feed],
        configuration: Configuration = Configuration(),
        derivation: Derivation = Derivation(),
        discovery: FeedDiscovery? = nil,
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.configuration = configuration
        self.discovery = discovery
        self.poller = Poller(feeds: feeds, configuration: configuration.poller)
        self.currentDerivation = Mutex(derivation)
        self.now = now
        self.currentInterval = Mutex(configuration.interval)
        self.recorded = Mutex(
            Recorded(
                store: SeriesStore(
                    retention: configuration.retention,
                    maximumSeriesPerSource: configuration.maximumSeriesPerSource,
                    maximumIdentityBytesPerSource: configuration.maximumIdentityBytesPerSource
                )
            )
        )
        self.latest = Mutex(
            DashboardModel(
                timestamp: now(),
                interval: configuration.interval.seconds,
                sources: feeds.map { SourceStatus(name: $0.name, state: .pending) }
            )
        )
    }

    // MARK: - Reading

    /// The feeds, polled in this order (concurrently).
    public var feeds: [any Feed] {
        self.poller.feeds
    }

    /// The processor the polls run on; register it to show the collector's own queue.
    public var processor: AsyncProcessor {
        self.poller.processor
    }

    /// The model built by the last round; cheap (a lock and a copy), never waits for a round.
    public var model: DashboardModel {
        self.latest.withLockedValue { $0 }
    }

    /// Runs `body` with the store under the collector's lock; keep it short.
    public func withStore<Result: Sendable>(_ body: (SeriesStore) -> Result) -> Result {
        self.recorded.withLockedValue { body($0.store) }
    }

    /// The time between the starts of two rounds now: the configuration's interval until
    /// ``setInterval(_:)`` changes it. Cheap: one lock.
    public var interval: Duration {
        self.currentInterval.withLockedValue { $0 }
    }

    /// Changes the time between rounds; ``run(rounds:for:onRound:)`` waits the new interval after the
    /// round in progress, and models built from then on report it. Thread-safe; the poll timeout stays
    /// the configuration's, clamped to the new interval.
    /// - Parameter interval: The new interval; values below one millisecond are raised to it.
    public func setInterval(_ interval: Duration) {
        self.currentInterval.withLockedValue { $0 = max(interval, .milliseconds(1)) }
    }

    /// Replaces the tracker evaluated each round (``Derivation/replaceTracker(_:)``), e.g. after a
    /// target was bound from the dashboard; the next round judges the new tracker, a round in
    /// progress the old one. Thread-safe.
    /// - Parameter tracker: The new tracker; nil for none.
    public func setTracker(_ tracker: Tracker?) {
        self.currentDerivation.withLockedValue { $0.replaceTracker(tracker) }
    }

    // MARK: - History

    /// Records what sources held before perftop started (e.g. ``PrometheusEngine/backfill(window:points:timeout:)``),
    /// each source's readings oldest first, so the graphs and windows are full from the first round.
    ///
    /// A reading without a time, with a time that is not finite or is later than now, over the poll
    /// budget or breaking the sample limits is skipped, as a poll's would be; the next round's model
    /// shows the rest. Cost: as many recordings as readings.
    public func recordHistory(_ history: [String: [FeedReading]]) {
        let configuration = self.configuration
        let now = self.now()
        self.recorded.withLockedValue { recorded in
            for (source, readings) in history {
                for reading in readings {
                    guard let time = reading.time, time.isFinite, time <= now,
                        reading.samples.count <= configuration.maximumSamplesPerPoll,
                        configuration.sampleLimits.violation(in: reading.samples) == nil
                    else {
                        continue
                    }
                    recorded.store.record(source: source, samples: reading.samples, at: time)
                }
            }
        }
    }

    /// The time a round's reading is recorded at: the time its source says the values were measured
    /// (``FeedReading/time``) when that is finite and not after the round's, else the round's. A
    /// source whose clock runs ahead of this machine's, or that sends a time of its choosing, could
    /// otherwise hold back every later reading (the store ignores a reading no newer than the last).
    static func recordingTime(reported: Double?, round: Double) -> Double {
        guard let reported, reported.isFinite else {
            return round
        }
        return min(reported, round)
    }

    // MARK: - Rounds

    /// Runs one round: finds the feeds (with a ``FeedDiscovery``), polls every due feed, records what
    /// they returned and derives the model.
    ///
    /// Returns after every polled feed has answered or reached its deadline, so at most about
    /// ``Configuration/timeout`` after it started, plus the derivation's time.
    @discardableResult
    public func collectOnce() async -> Round {
        let clock = ContinuousClock()
        let started = clock.now
        if let discovery = self.discovery {
            let removed = self.poller.replaceFeeds(discovery(self.poller.feeds))
            if !removed.isEmpty {
                self.recorded.withLockedValue { recorded in
                    removed.forEach { recorded.store.removeSource($0) }
                }
            }
        }
        let time = self.now()
        let interval = self.interval
        let results = await self.poller.poll(at: time, interval: interval)
        let collectSeconds = (clock.now - started).seconds
        let selfCPUSeconds = ProcessStatistics.callingProcessCPUSeconds()
        // Under the lock only the recording; the derivation reads a copy of the store (copy-on-write,
        // so no copy is made) while the UI keeps reading the last model.
        let (store, cpuPercent) = self.recorded.withLockedValue { recorded in
            for result in results {
                if let samples = result.samples {
                    recorded.store.record(
                        source: result.source,
                        samples: samples,
                        at: Self.recordingTime(reported: result.time, round: time)
                    )
                }
            }
            var cpuPercent: Double?
            if let seconds = selfCPUSeconds {
                if let last = recorded.lastSelfCPU, time > last.time {
                    cpuPercent = max(0, seconds - last.seconds) / (time - last.time) * 100
                }
                recorded.lastSelfCPU = (time, seconds)
            }
            return (recorded.store, cpuPercent)
        }
        let sources = self.poller.statuses(at: time, interval: interval).map { status in
            var status = status
            if store.droppedSeries(source: status.name) > 0 {
                status.truncatedToSeries = store.held(source: status.name).series
            }
            return status
        }
        let derivation = self.derivation
        let reusedBindableSeries = self.lastBindableSeries.withLockedValue { last in
            last.flatMap { $0.generation == store.identityGeneration ? $0.series : nil }
        }
        let model = await derivation.derive(
            concurrentlyFrom: store,
            sources: sources,
            timestamp: time,
            interval: interval.seconds,
            selfCost: SelfCost(collectSeconds: collectSeconds, cpuPercent: cpuPercent),
            adviceSchedule: self.adviceSchedule,
            reusedBindableSeries: reusedBindableSeries
        )
        if reusedBindableSeries == nil, derivation.tracker != nil {
            self.lastBindableSeries.withLockedValue { $0 = (store.identityGeneration, model.bindableSeries) }
        }
        self.latest.withLockedValue { latest in
            if model.timestamp >= latest.timestamp {
                latest = model
            }
        }
        return Round(time: time, results: results, model: model)
    }

    /// The one scheduling loop: a round every ``interval`` until `rounds` rounds ran, no round would
    /// start `duration` after the first, or the calling task is cancelled; a change of the interval
    /// applies from the wait after the round in progress.
    ///
    /// `onRound` runs after each round, e.g. to write an export row; a round interrupted by
    /// cancellation (its polls may have been cut short) is not passed on. An error `onRound` throws
    /// ends the loop and is rethrown.
    /// - Parameters:
    ///   - rounds: The most rounds to run; nil for no limit.
    ///   - duration: The time after the first round's start after which no round starts; nil for none.
    ///   - onRound: Called with each round.
    public func run(
        rounds: Int? = nil,
        for duration: Duration? = nil,
        onRound: (Round) async throws -> Void
    ) async rethrows {
        let clock = ContinuousClock()
        let start = clock.now
        var next = start
        var count = 0
        while !Task.isCancelled, rounds.map({ count < $0 }) ?? true {
            if count > 0 {
                next = max(next.advanced(by: self.interval), clock.now)
                if let duration, next > start.advanced(by: duration) {
                    break
                }
                do {
                    try await Task.sleep(until: next, clock: clock)
                } catch {
                    break
                }
            }
            let round = await self.collectOnce()
            count += 1
            if Task.isCancelled {
                break
            }
            try await onRound(round)
        }
    }
}
