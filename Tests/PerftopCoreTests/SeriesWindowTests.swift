import PerfKit
import Testing

@testable import PerftopCore

/// The one window math: every rate and ratio the panes, the tracker and the advisor show.
@Suite("Series window math")
struct SeriesWindowTests {
    /// A source's hits and misses counters after each poll of `polls` (time, hits, misses).
    static func cache(_ polls: [(time: Double, hits: Double, misses: Double)]) -> SeriesStore {
        var store = SeriesStore(retention: 100)
        for poll in polls {
            store.record(
                source: "agent",
                samples: [
                    Sample(
                        name: MetricName.cacheHits,
                        labels: [LabelName.cache: "c"],
                        kind: .counter,
                        value: poll.hits
                    ),
                    Sample(
                        name: MetricName.cacheMisses,
                        labels: [LabelName.cache: "c"],
                        kind: .counter,
                        value: poll.misses
                    ),
                    Sample(
                        name: MetricName.cacheEvictions,
                        labels: [LabelName.cache: "c", LabelName.cause: CacheEvictionCause.size.rawValue],
                        kind: .counter,
                        value: poll.time * 10
                    ),
                ],
                at: poll.time
            )
        }
        return store
    }

    /// Ten seconds of a cache whose hit ratio falls from 90% to 50% halfway.
    static let falling = Self.cache([
        (0, 0, 0), (1, 90, 10), (2, 180, 20), (3, 270, 30), (4, 360, 40), (5, 450, 50),
        (6, 500, 100), (7, 550, 150), (8, 600, 200), (9, 650, 250), (10, 700, 300),
    ])

    static func hitsAndMisses(_ store: SeriesStore) throws -> (SeriesStore.Series, SeriesStore.Series) {
        (
            try #require(store.series(source: "agent", named: MetricName.cacheHits).first),
            try #require(store.series(source: "agent", named: MetricName.cacheMisses).first)
        )
    }

    @Test("a window picks the last two points, the points of the last N seconds, or every point")
    func windows() throws {
        let (hits, _) = try Self.hitsAndMisses(Self.falling)
        #expect(hits.points(in: .lastInterval).map(\.time) == [9, 10])
        #expect(hits.points(in: .seconds(3)).map(\.time) == [7, 8, 9, 10])
        #expect(hits.points(in: .seconds(0.5)).map(\.time) == [9, 10], "at least two points")
        #expect(hits.points(in: .retained).count == 11)
    }

    @Test("the hit ratio of a window is Σhits ÷ Σrequests over it, and says which span it covered")
    func shares() throws {
        let (hits, misses) = try Self.hitsAndMisses(Self.falling)
        let last = try #require(SeriesStore.Series.share(of: hits, and: misses, over: .lastInterval))
        #expect(last.value == 0.5)
        #expect(last.window == .lastInterval && last.from == 9 && last.to == 10)
        let all = try #require(SeriesStore.Series.share(of: hits, and: misses, over: .retained))
        #expect(all.value == 0.7)
        #expect(all.seconds == 10)
        #expect(
            SeriesStore.Series.shares(of: hits, and: misses, over: .retained).map(\.value) == [
                0.9, 0.9, 0.9, 0.9, 0.9, 0.5, 0.5, 0.5, 0.5, 0.5,
            ]
        )
    }

    @Test("a restarted source's counters count from zero again, never negative")
    func resets() throws {
        let store = Self.cache([(0, 1_000, 1_000), (1, 1_090, 1_010), (2, 9, 1), (3, 18, 2)])
        let (hits, misses) = try Self.hitsAndMisses(store)
        #expect(hits.increase(over: .retained)?.value == 108.0)
        #expect(SeriesStore.Series.share(of: hits, and: misses, over: .retained)?.value == 108.0 / 120.0)
        #expect(hits.rates(over: .retained).map(\.value) == [90, 9, 9])
    }

    @Test("two counters pair only at the polls that read both")
    func pairsAtSharedTimes() throws {
        var store = SeriesStore(retention: 10)
        let polls: [(time: Double, hits: Double?, misses: Double?)] = [
            (0, 0, 0), (1, 10, nil), (2, 20, 5), (3, nil, 6), (4, 40, 10),
        ]
        for poll in polls {
            var samples: [Sample] = []
            if let hits = poll.hits {
                samples.append(
                    Sample(name: MetricName.cacheHits, labels: [LabelName.cache: "c"], kind: .counter, value: hits)
                )
            }
            if let misses = poll.misses {
                samples.append(
                    Sample(name: MetricName.cacheMisses, labels: [LabelName.cache: "c"], kind: .counter, value: misses)
                )
            }
            store.record(source: "agent", samples: samples, at: poll.time)
        }
        let (hits, misses) = try Self.hitsAndMisses(store)
        // Paired at 0, 2 and 4: Δhits 20 + 20, Δmisses 5 + 5.
        #expect(SeriesStore.Series.shares(of: hits, and: misses, over: .retained).map(\.time) == [2, 4])
        let share = try #require(SeriesStore.Series.share(of: hits, and: misses, over: .retained))
        #expect(share.value == 40.0 / 50.0)
        #expect(share.from == 0 && share.to == 4)
    }

    @Test("no request in the window means no ratio, not zero")
    func idle() throws {
        let store = Self.cache([(0, 5, 5), (1, 5, 5)])
        let (hits, misses) = try Self.hitsAndMisses(store)
        #expect(SeriesStore.Series.share(of: hits, and: misses, over: .lastInterval) == nil)
        #expect(hits.rate(over: .lastInterval)?.value == 0)
    }

    @Test("a summary's mean is Δsum ÷ Δcount over the window")
    func meanPerEvent() throws {
        var store = SeriesStore(retention: 10)
        for (time, sum, count) in [(0.0, 0.0, 0.0), (1, 2, 4), (2, 2, 4), (3, 5, 10)] {
            store.record(
                source: "s",
                samples: [.counter("op_seconds_sum", sum), .counter("op_seconds_count", count)],
                at: time
            )
        }
        let sum = try #require(store.series(source: "s", named: "op_seconds_sum").first)
        let count = try #require(store.series(source: "s", named: "op_seconds_count").first)
        #expect(SeriesStore.Series.meanPerEvent(total: sum, count: count, over: .retained)?.value == 0.5)
        #expect(SeriesStore.Series.meanPerEvent(total: sum, count: count, over: .seconds(1.5))?.value == 0.5)
        #expect(SeriesStore.Series.meansPerEvent(total: sum, count: count, over: .retained).map(\.time) == [1, 3])
    }

    @Test("the pane, the advisor and the tracker cite the same hit ratio for the same window")
    func oneAnswerPerWindow() throws {
        let store = Self.falling
        let pane = try #require(
            DashboardModel(store: store, sources: [], timestamp: 10, interval: 1).caches.first?.hitRate
        )
        var thresholds = AdvisorThresholds()
        thresholds.cacheHitRatio = 0.99
        thresholds.cacheMinimumPoints = 2
        thresholds.cacheSizeEvictionsPerSecond = 1
        let lastInterval = Advisor(thresholds: thresholds, window: .lastInterval).advise(store: store)
        let cited = try #require(lastInterval.first { $0.subject.kind == .cache }?.value("hit rate"))
        #expect(cited == pane)

        let retained = Advisor(thresholds: thresholds, window: .retained).advise(store: store)
        let citedOverAll = try #require(retained.first { $0.subject.kind == .cache }?.value("hit rate"))
        let target = TrackerTarget(
            name: "hit ratio",
            metric: MetricSelector(name: MetricName.cacheHits),
            statistic: .hitRatio,
            goal: try TrackerGoal(parsing: ">= 99%")
        )
        let tracked = try #require(TrackerEvaluator(window: .seconds(10)).evaluate(target, store: store).value)
        #expect(citedOverAll == tracked)
        #expect(tracked == 0.7 && pane == 0.5)
    }

    // MARK: - Kept sums against a pass over the points

    /// The increase over `points` as the definition says: the sum of the steps, a fall counting as
    /// the new value.
    static func summedSteps(_ points: some Collection<SeriesStore.Point>) -> Double {
        zip(points.dropLast(), points.dropFirst()).reduce(0) { total, step in
            total + (step.1.value >= step.0.value ? step.1.value - step.0.value : max(step.1.value, 0))
        }
    }

    /// Equal, or both NaN.
    static func same(_ first: Double?, _ second: Double?) -> Bool {
        first == second || (first?.isNaN == true && second?.isNaN == true)
    }

    @Test(
        "NaN, infinities and huge values an agent sends give the last interval the numbers of a pass over the points",
        arguments: [Sample.Kind.gauge, .summary, .untyped]
    )
    func hostileValuesInTheLastInterval(kind: Sample.Kind) throws {
        let values: [Double] = [
            1, .infinity, 5, .nan, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0, .nan, 7,
        ]
        var store = SeriesStore(retention: 4)
        for (poll, value) in values.enumerated() {
            let samples = ["part", "rest"].map { Sample(name: $0, kind: kind, value: value) }
            store.record(source: "s", samples: samples, at: Double(poll))
            let part = try #require(store.series(source: "s", id: SeriesID(name: "part")))
            let rest = try #require(store.series(source: "s", id: SeriesID(name: "rest")))
            let last = part.points.suffix(2)
            #expect(Self.same(part.latest, part.points.last?.value))
            #expect(
                Self.same(part.increase(over: .lastInterval)?.value, last.count == 2 ? Self.summedSteps(last) : nil)
            )
            let steps = Self.summedSteps(last)
            let expected = last.count == 2 && steps + steps > 0 ? steps / (steps + steps) : nil
            #expect(Self.same(SeriesStore.Series.share(of: part, and: rest, over: .lastInterval)?.value, expected))
        }
    }

    @Test(
        "increases and paired shares kept as the store records agree with a pass over the points, through resets, gaps, repeats, kind changes and points dropped",
        arguments: [1, 2, 3, 4] as [UInt64]
    )
    func keptSumsAgreeWithAPass(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var store = SeriesStore(retention: 20)
        var values: [String: Double] = ["hits": 0, "misses": 0]
        var kind = Sample.Kind.counter
        for poll in 0..<300 {
            if random.next() % 50 == 0 {
                kind = [.counter, .gauge, .summary, .untyped][Int(random.next() % 4)]
            }
            var samples: [Sample] = []
            for name in ["hits", "misses"] where random.next() % 10 != 0 {
                // Mostly growth, sometimes a reset to a small count.
                values[name] =
                    random.next() % 25 == 0 ? Double(random.next() % 5) : values[name]! + Double(random.next() % 7)
                let repeats = random.next() % 30 == 0 ? 2 : 1
                for _ in 0..<repeats {
                    samples.append(
                        Sample(name: name, labels: [:], kind: name == "hits" ? kind : .counter, value: values[name]!)
                    )
                }
            }
            store.record(source: "s", samples: samples, at: Double(poll))
            guard let hits = store.series(source: "s", id: SeriesID(name: "hits")),
                let misses = store.series(source: "s", id: SeriesID(name: "misses"))
            else {
                continue
            }
            // The last two points the series keeps beside its history are the history's.
            #expect(hits.newest == hits.points.last && hits.latest == hits.points.last?.value)
            #expect(hits.previous == (hits.points.count >= 2 ? hits.points[hits.points.count - 2] : nil))
            for window in [Window.lastInterval, .seconds(6), .retained] {
                let points = hits.points(in: window)
                #expect(hits.increase(over: window)?.value == (points.count >= 2 ? Self.summedSteps(points) : nil))
                // Paired by time, each hit with the first miss read at the same time.
                let pairs = points.compactMap { hit in
                    misses.points(in: window).first { $0.time == hit.time }.map { (hit, $0) }
                }
                let (part, rest) = (Self.summedSteps(pairs.map(\.0)), Self.summedSteps(pairs.map(\.1)))
                let expected = pairs.count >= 2 && part + rest > 0 ? part / (part + rest) : nil
                #expect(SeriesStore.Series.share(of: hits, and: misses, over: window)?.value == expected)
                let steps = zip(pairs.dropLast(), pairs.dropFirst()).compactMap { earlier, later in
                    let (part, rest) = (
                        Self.summedSteps([earlier.0, later.0]), Self.summedSteps([earlier.1, later.1])
                    )
                    return part + rest > 0 ? SeriesStore.Point(time: later.0.time, value: part / (part + rest)) : nil
                }
                #expect(SeriesStore.Series.shares(of: hits, and: misses, over: window) == steps)
            }
        }
    }

    @Test(
        "a gauge's line over the retained window, kept as points come and go, is a pass over the points' line but for rounding, through hostile values and kind changes",
        arguments: [1, 2, 3] as [UInt64]
    )
    func keptLineAgreesWithAPass(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var store = SeriesStore(retention: 40)
        // A process's resident bytes: gigabytes growing, with noise and irregular polls, through
        // more appends than the sums are kept before they are summed again.
        var time = 1_700_000_000.0
        var resident = 4e9
        // Not finite, overflowing, or finite but so large that taking them away again would leave
        // nothing but rounding of the sums (a spike of a petabyte among gigabytes).
        let hostile: [Double] = [
            .nan, .infinity, -.infinity, .greatestFiniteMagnitude, 1e300, -1e300, 1e150, -1e150, 4e15,
        ]
        var compared = 0
        var keptSumsRead = 0
        for poll in 0..<(3 * SeriesStore.Series.lineResumPeriod + 100) {
            time += 0.5 + Double(random.next() % 1_000) / 1_000
            resident += Double(random.next() % 4_096) - 1_024
            // Now and then a burst of hostile values, which enter the window and later leave it.
            let value = poll % 300 < 3 && poll > 0 ? hostile[Int(random.next() % UInt64(hostile.count))] : resident
            // For a while the source calls it untyped, whose line is not kept; then a gauge again.
            let kind: Sample.Kind = (700..<710).contains(poll) ? .untyped : .gauge
            store.record(source: "s", samples: [Sample(name: "resident", kind: kind, value: value)], at: time)
            let series = try #require(store.series(source: "s", id: SeriesID(name: "resident")))
            let kept = series.fit(over: .retained)
            let pass = LinearFit(Array(series.points))
            #expect((kept == nil) == (pass == nil), "poll \(poll): a line kept and none in a pass, or the reverse")
            guard let kept, let pass else {
                continue
            }
            compared += 1
            keptSumsRead += series.retainedLine != nil ? 1 : 0
            #expect(abs(kept.slope - pass.slope) <= 1e-10 * max(abs(pass.slope), 1), "poll \(poll)")
            #expect(abs(kept.rSquared - pass.rSquared) <= 1e-10, "poll \(poll)")
            #expect(kept.count == pass.count && kept.duration == pass.duration, "poll \(poll)")
        }
        #expect(compared > 3 * SeriesStore.Series.lineResumPeriod - 200)
        // Most lines came from the kept sums, not from the pass that a window holding a value that is
        // not finite falls back to.
        #expect(keptSumsRead > compared / 2, "\(keptSumsRead) of \(compared) lines from the kept sums")
    }
}
