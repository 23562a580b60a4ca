import PerfKit
import Synchronization
import Testing

@testable import PerftopCore

/// Failure-injection feeds: each behaves in one bad (or good) way on purpose.
private struct ConstantFeed: Feed {
    let name: String
    let samples: [Sample]

    func poll(timeout: Duration) async throws -> [Sample] {
        self.samples
    }
}

/// Ignores cancellation and answers only when the test releases it, like a peer that accepted and went silent.
private final class HungFeed: Feed {
    let name = "hung"
    private let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])

    func poll(timeout: Duration) async throws -> [Sample] {
        await withCheckedContinuation { continuation in self.waiting.withLockedValue { $0.append(continuation) } }
        return []
    }

    /// Polls started and not released.
    var waitingCount: Int {
        self.waiting.withLockedValue { $0.count }
    }

    func release() {
        self.waiting.withLockedValue { waiting in
            waiting.forEach { $0.resume() }
            waiting.removeAll()
        }
    }
}

/// Returns what its closure returns.
private struct ClosureFeed: Feed {
    let name: String
    let body: @Sendable () throws -> [Sample]

    func poll(timeout: Duration) async throws -> [Sample] {
        try self.body()
    }
}

/// Always fails with the reason it is given, like a source whose error quotes what it sent.
private struct FailingFeed: Feed {
    let name = "failing"
    let reason: String

    func poll(timeout: Duration) async throws -> [Sample] {
        throw FeedError(self.reason)
    }
}

/// Succeeds or fails as the test says, and counts its polls.
private final class SwitchFeed: Feed {
    let name = "switch"
    let failing = Atomic<Bool>(false)
    let polls = Atomic<Int>(0)

    func poll(timeout: Duration) async throws -> [Sample] {
        self.polls.add(1, ordering: .relaxed)
        if self.failing.load(ordering: .relaxed) {
            throw FeedError("connection refused")
        }
        return [Sample(name: "up", kind: .gauge, value: 1)]
    }
}

/// Says its values were measured at the next of `times`, one per poll.
private final class TimedFeed: Feed {
    let name = "timed"
    private let times: Mutex<[Double]>

    init(times: [Double]) {
        self.times = Mutex(times)
    }

    func poll(timeout: Duration) async throws -> [Sample] {
        [Sample(name: "x", kind: .gauge, value: 1)]
    }

    func read(timeout: Duration) async throws -> FeedReading {
        let time = self.times.withLockedValue { $0.isEmpty ? nil : $0.removeFirst() }
        return FeedReading(samples: try await self.poll(timeout: timeout), time: time)
    }
}

/// A wall clock the test moves by hand.
private final class ManualClock: Sendable {
    let seconds = Mutex<Double>(1_000)

    func advance(by delta: Double) {
        self.seconds.withLockedValue { $0 += delta }
    }
}

@Suite("Collector")
struct CollectorTests {
    @Test("a reading's time that is not finite or is later than the round's is recorded as the round's")
    func hostileReadingTimes() async throws {
        let clock = ManualClock()
        let collector = Collector(
            feeds: [TimedFeed(times: [.nan, .infinity, 1e15, 999.5])],
            now: { clock.seconds.withLockedValue { $0 } }
        )
        for _ in 0..<4 {
            await collector.collectOnce()
            clock.advance(by: 1)
        }
        let times = collector.withStore { $0.series(source: "timed", named: "x").first?.points.map(\.time) }
        #expect(times == [1_000, 1_001, 1_002], "a hostile time never holds later readings back; 999.5 is older")
        collector.recordHistory([
            "timed": [FeedReading(samples: [], time: .infinity), FeedReading(samples: [], time: 5e9)]
        ])
        #expect(collector.withStore { $0.lastRecordTime(source: "timed") } == 1_002)
    }

    @Test("history recorded before the first round gives rates at once; a reading's own time is kept")
    func historyBeforeTheFirstRound() async throws {
        func counts(hits: Double, misses: Double) -> [Sample] {
            [
                Sample(name: MetricName.cacheHits, labels: [LabelName.cache: "c"], kind: .counter, value: hits),
                Sample(name: MetricName.cacheMisses, labels: [LabelName.cache: "c"], kind: .counter, value: misses),
            ]
        }
        let clock = ManualClock()
        let collector = Collector(
            feeds: [ConstantFeed(name: "s", samples: counts(hits: 130, misses: 30))],
            now: { clock.seconds.withLockedValue { $0 } }
        )
        collector.recordHistory([
            "s": [
                FeedReading(samples: counts(hits: 10, misses: 10), time: 990),
                FeedReading(samples: counts(hits: 100, misses: 20), time: 995),
                FeedReading(samples: counts(hits: 1, misses: 1)),
            ]
        ])
        let round = await collector.collectOnce()
        let cache = try #require(round.model.caches.first)
        #expect(cache.hitRate == 0.75, "(130 − 100) / (160 − 120), between the history's last point and the round")
        let times = collector.withStore {
            $0.series(source: "s", named: MetricName.cacheHits).first?.points.map(\.time)
        }
        #expect(times == [990, 995, 1_000], "a reading without a time is skipped")
    }

    @Test("a hung source is cut off at its deadline and the others still report")
    func hungSourceDoesNotBlockOthers() async throws {
        let good = ConstantFeed(name: "good", samples: [Sample(name: "x", kind: .gauge, value: 7)])
        let hung = HungFeed()
        defer { hung.release() }
        let collector = Collector(
            feeds: [hung, good],
            configuration: Collector.Configuration(interval: .seconds(5), timeout: .milliseconds(200))
        )
        let round = await collector.collectOnce()
        #expect(round.results.map(\.source) == ["hung", "good"])
        #expect(round.results[0].failure == "timeout after 0.2s")
        #expect(round.results[1].samples?.first?.value == 7)
        #expect(round.model.sources.map(\.state) == [.down(reason: "timeout after 0.2s"), .ok])
        let value = collector.withStore { $0.series(source: "good", named: "x").first?.latest }
        #expect(value == 7)
    }

    @Test("a reason quoting a source's bytes is escaped and cut to one short line")
    func hostileReason() async throws {
        let quoted =
            "invalid value '\u{1B}]52;c;cm0gLXJmIH4=\u{7}\u{9B}2J\u{202E}" + String(repeating: "A", count: 100_000)
        let collector = Collector(feeds: [FailingFeed(reason: quoted)])
        let round = await collector.collectOnce()
        let reason = try #require(round.results.first?.failure)
        #expect(reason.hasPrefix("invalid value '\\u{1B}]52;c;cm0gLXJmIH4=\\u{7}\\u{9B}2J\\u{202E}AAA"))
        #expect(reason.count == SafeText.maximumReasonLength)
        #expect(reason.hasSuffix("…"))
        #expect(collector.model.sources.first?.state == .down(reason: reason))
    }

    @Test("a poll with a sample over the text limits fails with the reason and stores nothing")
    func sampleLimits() async throws {
        let long = String(repeating: "x", count: 2_000)
        let feed = ConstantFeed(
            name: "wide",
            samples: [
                Sample(name: "fine", kind: .gauge, value: 1),
                Sample(name: "m", labels: ["v": long], kind: .gauge, value: 1),
            ]
        )
        let collector = Collector(feeds: [feed])
        let round = await collector.collectOnce()
        #expect(round.results.first?.failure == "sample 'm': label 'v' longer than 1024 bytes")
        #expect(collector.withStore { $0.sources }.isEmpty)
    }

    @Test("a source that fails after working is stale with its reason, then down past the stale limit")
    func staleThenDown() async throws {
        let feed = SwitchFeed()
        let clock = ManualClock()
        let collector = Collector(
            feeds: [feed],
            configuration: Collector.Configuration(interval: .seconds(1), staleLimit: .seconds(10)),
            now: { clock.seconds.withLockedValue { $0 } }
        )
        #expect(collector.model.sources == [SourceStatus(name: "switch", state: .pending)])
        await collector.collectOnce()
        #expect(collector.model.sources[0].state == .ok)
        feed.failing.store(true, ordering: .relaxed)
        clock.advance(by: 3)
        await collector.collectOnce()
        #expect(collector.model.sources[0].state == .stale(age: 3, reason: "connection refused"))
        clock.advance(by: 10)
        await collector.collectOnce()
        #expect(collector.model.sources[0].state == .down(reason: "connection refused"))
        feed.failing.store(false, ordering: .relaxed)
        clock.advance(by: 2)
        await collector.collectOnce()
        #expect(collector.model.sources[0].state == .ok)
    }

    @Test("a hung source holds one poll at most while another source keeps updating every round")
    func hungSourceWhileAnotherUpdates() async throws {
        let clock = ManualClock()
        let hung = HungFeed()
        defer { hung.release() }
        let ticks = Mutex<Double>(0)
        let ticking = ClosureFeed(name: "ticking") {
            [
                Sample(
                    name: "ticks",
                    kind: .gauge,
                    value: ticks.withLockedValue {
                        $0 += 1; return $0
                    }
                )
            ]
        }
        let collector = Collector(
            feeds: [hung, ticking],
            configuration: Collector.Configuration(interval: .seconds(5), timeout: .milliseconds(100)),
            now: { clock.seconds.withLockedValue { $0 } }
        )
        for round in 1...4 {
            let result = await collector.collectOnce()
            #expect(collector.withStore { $0.series(source: "ticking", named: "ticks").first?.latest } == Double(round))
            #expect(result.model.sources[1].state == .ok)
            #expect(result.model.sources[0].state == .down(reason: "timeout after 0.1s"))
            #expect(result.results[0].skipped == (round > 1))
            clock.advance(by: 5)
        }
        #expect(hung.waitingCount == 1)
    }

    @Test("a failing source is polled less and less often, up to the cap, and recovers on success")
    func backoffAndRecovery() async throws {
        let feed = SwitchFeed()
        let clock = ManualClock()
        let collector = Collector(
            feeds: [feed],
            configuration: Collector.Configuration(interval: .seconds(1), maximumBackoff: .seconds(4)),
            now: { clock.seconds.withLockedValue { $0 } }
        )
        feed.failing.store(true, ordering: .relaxed)
        var polled: [Bool] = []
        for _ in 0..<14 {
            polled.append(!(await collector.collectOnce()).results[0].skipped)
            clock.advance(by: 1)
        }
        // Waits of 1, 2, 4, 4, 4 s after failures 1 to 5.
        let expected = [true, true, false, true, false, false, false, true, false, false, false, true, false, false]
        #expect(polled == expected)
        #expect(feed.polls.load(ordering: .relaxed) == 5)
        let status = collector.model.sources[0]
        #expect(status.state == .down(reason: "connection refused"))
        #expect(status.retryIn == 2)
        #expect(status.description == "down: connection refused, retry in 2s")

        feed.failing.store(false, ordering: .relaxed)
        clock.advance(by: 2)
        #expect(await collector.collectOnce().results[0].samples?.count == 1)
        #expect(collector.model.sources[0].state == .ok)
        #expect(collector.model.sources[0].retryIn == nil)
        clock.advance(by: 1)
        #expect(!(await collector.collectOnce()).results[0].skipped)
    }

    @Test("a source over its series cap is truncated and its state says so")
    func truncatedSource() async throws {
        let labels = ClosureFeed(name: "labels") {
            (0..<50).map { Sample(name: "requests_total", labels: ["id": "\($0)"], kind: .counter, value: 1) }
        }
        let collector = Collector(
            feeds: [labels],
            configuration: Collector.Configuration(maximumSeriesPerSource: 20)
        )
        await collector.collectOnce()
        let status = collector.model.sources[0]
        #expect(status.state == .ok)
        #expect(status.truncatedToSeries == 20)
        #expect(status.description == "ok, truncated to 20 series")
        #expect(collector.withStore { $0.series(source: "labels").count } == 20)
    }

    @Test("a poll over the parse budget fails and stores nothing")
    func parseBudget() async throws {
        let flood = ClosureFeed(name: "flood") {
            (0..<11).map { Sample(name: "x", labels: ["i": "\($0)"], kind: .gauge, value: 1) }
        }
        let collector = Collector(feeds: [flood], configuration: Collector.Configuration(maximumSamplesPerPoll: 10))
        let round = await collector.collectOnce()
        #expect(round.results[0].failure == "too many samples: 11 (budget 10)")
        #expect(collector.model.sources[0].state == .down(reason: "too many samples: 11 (budget 10)"))
        #expect(collector.withStore { $0.series(source: "flood").isEmpty })
    }

    @Test("stale shows the last good sample's time and age")
    func staleKeepsLastSuccess() async throws {
        let feed = SwitchFeed()
        let clock = ManualClock()
        let collector = Collector(feeds: [feed], now: { clock.seconds.withLockedValue { $0 } })
        await collector.collectOnce()
        feed.failing.store(true, ordering: .relaxed)
        clock.advance(by: 2)
        await collector.collectOnce()
        let status = collector.model.sources[0]
        #expect(status.lastSuccess == 1_000)
        #expect(status.description == "stale 2s: connection refused")
        #expect(collector.withStore { $0.series(source: "switch", named: "up").first?.latest } == 1)
    }

    @Test("rounds feed the store, and rates appear from the second round on")
    func roundsFeedTheStore() async throws {
        let clock = ManualClock()
        let counter = Mutex<Double>(0)
        struct CountingFeed: Feed {
            let name = "counting"
            let counter: @Sendable () -> Double
            func poll(timeout: Duration) async throws -> [Sample] {
                [Sample(name: "cache_hits_total", labels: ["cache": "c"], kind: .counter, value: self.counter())]
            }
        }
        let collector = Collector(
            feeds: [
                CountingFeed(counter: {
                    counter.withLockedValue {
                        $0 += 10; return $0
                    }
                })
            ],
            now: { clock.seconds.withLockedValue { $0 } }
        )
        await collector.collectOnce()
        clock.advance(by: 2)
        await collector.collectOnce()
        let rate = collector.withStore {
            $0.series(source: "counting", named: "cache_hits_total").first?.rate(over: .lastInterval)?.value
        }
        #expect(rate == 5)
    }

    @Test("the collector's own processor reports its polls")
    func ownProcessor() async throws {
        let collector = Collector(feeds: [ConstantFeed(name: "a", samples: []), ConstantFeed(name: "b", samples: [])])
        await collector.collectOnce()
        await collector.collectOnce()
        let stats = collector.processor.stats
        #expect(stats.succeeded == 4)
        #expect(stats.queueDepth == 0)
        #expect(stats.inFlight == 0)
    }

    @Test(
        "a source's advice is made again five seconds later, goes while the source fails, and is made at once when it answers again"
    )
    func adviceCadence() async throws {
        // A cache that turns bad: every hit until `bad` is set, then every lookup a miss and an
        // eviction; its polls fail while `down` is set.
        let bad = Atomic<Bool>(false)
        let down = Atomic<Bool>(false)
        let counts = Mutex((hits: 0.0, misses: 0.0, evictions: 0.0))
        let cache = ClosureFeed(name: "agent") {
            if down.load(ordering: .relaxed) {
                throw FeedError("connection refused")
            }
            let now = counts.withLockedValue { counts in
                if bad.load(ordering: .relaxed) {
                    counts.misses += 100
                    counts.evictions += 100
                } else {
                    counts.hits += 100
                }
                return counts
            }
            let labels = [LabelName.cache: "c"]
            return [
                Sample(name: MetricName.cacheHits, labels: labels, kind: .counter, value: now.hits),
                Sample(name: MetricName.cacheMisses, labels: labels, kind: .counter, value: now.misses),
                Sample(
                    name: MetricName.cacheEvictions,
                    labels: [LabelName.cache: "c", LabelName.cause: CacheEvictionCause.size.rawValue],
                    kind: .counter,
                    value: now.evictions
                ),
            ]
        }
        var thresholds = AdvisorThresholds()
        thresholds.cacheHitRatio = 0.8
        thresholds.cacheMinimumPoints = 2
        thresholds.cacheSizeEvictionsPerSecond = 1
        let clock = ManualClock()
        let collector = Collector(
            feeds: [cache],
            configuration: Collector.Configuration(interval: .seconds(1), retention: 3),
            derivation: Derivation(advisor: Advisor(thresholds: thresholds)),
            now: { clock.seconds.withLockedValue { $0 } }
        )
        /// Runs a round one second after the last (the first at the clock's start) and returns its advice.
        func round() async -> [AdvisorRule] {
            await collector.collectOnce()
            clock.advance(by: 1)
            return collector.model.advice.map(\.rule)
        }
        for _ in 0..<3 {
            #expect(await round().isEmpty)
        }
        bad.store(true, ordering: .relaxed)
        #expect(await round().isEmpty, "3 s after the source was first advised: still that advice")
        #expect(await round().isEmpty, "4 s after: still that advice")
        #expect(await round() == [.cacheCapacity], "5 s after: advised again")

        down.store(true, ordering: .relaxed)
        #expect(await round().isEmpty, "a failing source's advice goes at once")
        #expect(collector.model.sources[0].state != .ok)

        down.store(false, ordering: .relaxed)
        #expect(await round() == [.cacheCapacity], "answering again: advised at once")
        #expect(collector.model.sources[0].state == .ok)
        bad.store(false, ordering: .relaxed)
        for second in 1...4 {
            #expect(await round() == [.cacheCapacity], "\(second) s later: still the advice made when it answered")
        }
        #expect(await round().isEmpty, "5 s later: advised again, the cache now healthy")
    }

    @Test("the series to bind are listed again only when a series comes or goes")
    func bindableSeries() async {
        let names = Mutex(["a"])
        let feed = ClosureFeed(name: "s") {
            names.withLockedValue { $0 }.map { Sample(name: $0, kind: .gauge, value: 1) }
        }
        let collector = Collector(feeds: [feed], derivation: Derivation(tracker: Tracker()))
        #expect(await collector.collectOnce().model.bindableSeries.map(\.selector.name) == ["a"])
        #expect(await collector.collectOnce().model.bindableSeries.map(\.selector.name) == ["a"], "kept")
        names.withLockedValue { $0 = ["a", "b"] }
        #expect(await collector.collectOnce().model.bindableSeries.map(\.selector.name) == ["a", "b"])
        let untracked = Collector(feeds: [feed])
        #expect(await untracked.collectOnce().model.bindableSeries.isEmpty, "no tracker, no list")
    }

    @Test("setTracker: the next round judges the new tracker, and the advisor adopts its hit-ratio goals")
    func setTracker() async throws {
        let feed = ConstantFeed(name: "s", samples: [Sample(name: "g", kind: .gauge, value: 7)])
        var unbound = Tracker(targets: [TrackerTarget(name: "g", goal: try TrackerGoal(parsing: "< 10"))])
        let collector = Collector(
            feeds: [feed],
            derivation: Derivation(tracker: unbound, advisor: Advisor(adoptingGoalsOf: unbound))
        )
        #expect(await collector.collectOnce().model.tracker.map(\.status) == ["unbound"])
        #expect(collector.model.bindableSeries.map(\.selector.description) == ["g"])
        unbound.targets[0].metric = MetricSelector(name: "g")
        unbound.targets.append(
            TrackerTarget(
                name: "users",
                metric: MetricSelector(
                    name: MetricName.cacheHits,
                    matchers: [.init(label: LabelName.cache, value: "u")]
                ),
                statistic: .hitRatio,
                goal: try TrackerGoal(parsing: ">= 90%")
            )
        )
        collector.setTracker(unbound)
        #expect(collector.derivation.advisor?.thresholds.cacheHitRatioTargets == ["u": 0.9])
        let round = await collector.collectOnce()
        #expect(round.model.tracker.first?.status == "met")
        #expect(round.model.tracker.first?.current != nil)
    }
}
