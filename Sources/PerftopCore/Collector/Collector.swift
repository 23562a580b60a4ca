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

        /// Creates a configuration; the timeout is clamped to the interval.
        public init(
            interval: Duration = .seconds(1),
            timeout: Duration? = nil,
            retention: Int = 300,
            maximumSeriesPerSource: Int = 10_000,
            staleLimit: Duration? = nil
        ) {
            self.interval = interval
            self.timeout = min(timeout ?? interval, interval)
            self.retention = retention
            self.maximumSeriesPerSource = maximumSeriesPerSource
            self.staleLimit = staleLimit ?? interval * 10
        }
    }

    /// What one round read from one feed.
    public struct FeedResult: Sendable {
        /// The feed's name.
        public var source: String
        /// The samples read, or nil when the poll failed.
        public var samples: [Sample]?
        /// Why the poll failed, or nil when it succeeded.
        public var failure: String?
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
    }

    private struct State {
        var store: SeriesStore
        var health: [String: FeedHealth] = [:]
        var model: DashboardModel
        var lastSelfCPU: (time: Double, seconds: Double)?
    }

    /// The configuration in force.
    public let configuration: Configuration
    /// The feeds, polled in this order (concurrently).
    public let feeds: [any Feed]
    /// The processor the polls run on; register it to show the collector's own queue.
    public let processor: AsyncProcessor

    private let state: Mutex<State>
    private let now: @Sendable () -> Double

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
                    maximumSeriesPerSource: configuration.maximumSeriesPerSource
                ),
                model: initialModel
            )
        )
    }

    // MARK: - Reading

    /// The model built by the last round; cheap (a lock and a copy), never waits for a round.
    public var model: DashboardModel {
        self.state.withLock { $0.model }
    }

    /// Runs `body` with the store under the collector's lock; keep it short.
    public func withStore<Result: Sendable>(_ body: (SeriesStore) -> Result) -> Result {
        self.state.withLock { body($0.store) }
    }

    // MARK: - Collecting

    /// Polls every feed once, concurrently, records what they returned and rebuilds the model.
    ///
    /// Returns after every feed has answered or reached its deadline, so at most about
    /// ``Configuration/timeout`` after it started.
    @discardableResult
    public func collectOnce() async -> Round {
        let clock = ContinuousClock()
        let started = clock.now
        let time = self.now()
        let timeout = self.configuration.timeout
        let processor = self.processor
        let results = await withTaskGroup(of: (Int, FeedResult).self) { group in
            for (index, feed) in self.feeds.enumerated() {
                group.addTask {
                    do {
                        let samples = try await processor.submit {
                            try await withDeadline(timeout) { try await feed.poll(timeout: timeout) }
                        }
                        return (index, FeedResult(source: feed.name, samples: samples, failure: nil))
                    } catch {
                        return (index, FeedResult(source: feed.name, samples: nil, failure: Self.reason(for: error)))
                    }
                }
            }
            var ordered = [FeedResult?](repeating: nil, count: self.feeds.count)
            for await (index, result) in group {
                ordered[index] = result
            }
            return ordered.compactMap { $0 }
        }
        let collectSeconds = (clock.now - started).seconds
        let selfCPU = try? ProcessStatistics.read()
        let model = self.state.withLock { state -> DashboardModel in
            for result in results {
                var health = state.health[result.source, default: FeedHealth()]
                health.polled = true
                if let samples = result.samples {
                    state.store.record(source: result.source, samples: samples, at: time)
                    health.lastSuccess = time
                    health.lastFailure = nil
                } else {
                    health.lastFailure = result.failure
                }
                state.health[result.source] = health
            }
            var cpuPercent: Double?
            if let selfCPU {
                let seconds = selfCPU.cpuSeconds
                if let last = state.lastSelfCPU, time > last.time {
                    cpuPercent = max(0, seconds - last.seconds) / (time - last.time) * 100
                }
                state.lastSelfCPU = (time, seconds)
            }
            state.model = DashboardModel(
                store: state.store,
                sources: self.feeds.map {
                    SourceStatus(name: $0.name, state: self.sourceState(state.health[$0.name], at: time))
                },
                timestamp: time,
                interval: self.configuration.interval.seconds,
                selfCost: SelfCost(collectSeconds: collectSeconds, cpuPercent: cpuPercent)
            )
            return state.model
        }
        return Round(time: time, results: results, model: model)
    }

    /// Collects a round every ``Configuration/interval`` until the calling task is cancelled.
    ///
    /// `onRound` runs after each round, e.g. to write an export row.
    public func run(onRound: @Sendable (Round) async -> Void = { _ in }) async {
        let clock = ContinuousClock()
        var next = clock.now
        while !Task.isCancelled {
            let round = await self.collectOnce()
            await onRound(round)
            next = next.advanced(by: self.configuration.interval)
            if next < clock.now {
                next = clock.now
            }
            try? await Task.sleep(until: next, clock: clock)
        }
    }

    // MARK: - Source states

    private func sourceState(_ health: FeedHealth?, at time: Double) -> SourceState {
        guard let health, health.polled else {
            return .pending
        }
        guard let failure = health.lastFailure else {
            return .ok
        }
        if let lastSuccess = health.lastSuccess, time - lastSuccess <= self.configuration.staleLimit.seconds {
            return .stale(age: time - lastSuccess, reason: failure)
        }
        return .down(reason: failure)
    }

    private static func reason(for error: any Error) -> String {
        switch error {
        case let error as FeedError:
            return error.reason
        case is CancellationError:
            return "cancelled"
        default:
            return String(describing: error).split(separator: "\n").first.map(String.init) ?? "error"
        }
    }
}
