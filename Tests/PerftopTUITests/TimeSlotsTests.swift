import PerfKit
import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("TimeSlots")
struct TimeSlotsTests {
    static func points(_ pairs: [(Double, Double)]) -> [SeriesStore.Point] {
        pairs.map { SeriesStore.Point(time: $0.0, value: $0.1) }
    }

    @Test("one point per interval fills one slot each, newest last")
    func steady() {
        let values = TimeSlots.values(
            of: Self.points([(7, 1), (8, 2), (9, 3), (10, 4)]),
            now: 10,
            interval: 1,
            count: 6
        )
        #expect(values == [1, 2, 3, 4])
    }

    @Test("after the interval fell from 1 s to 0.25 s, the old points sit four slots apart, held in between")
    func intervalChange() {
        let history = Self.points([(8, 1), (9, 2), (10, 3), (10.25, 4), (10.5, 5)])
        let values = TimeSlots.values(of: history, now: 10.5, interval: 0.25, count: 20)
        #expect(values == [1, 1, 1, 1, 2, 2, 2, 2, 3, 4, 5])
    }

    @Test("a source that stopped answering leaves a gap at the right, not its last value stretched")
    func staleSource() {
        let values = TimeSlots.values(of: Self.points([(5, 1), (6, 2)]), now: 8, interval: 1, count: 10)
        #expect(values.count == 4)
        #expect(values.prefix(2) == [1, 2])
        #expect(values.suffix(2).allSatisfy { $0.isNaN })
    }

    @Test("points older than the slots, in the future or at non-finite times are left out")
    func outside() {
        let history = Self.points([(-1000, 9), (9, 1), (10, 2), (11, 7), (.nan, 5), (.infinity, 5)])
        #expect(TimeSlots.values(of: history, now: 10, interval: 1, count: 3) == [1, 2])
        #expect(TimeSlots.values(of: history, now: 10, interval: 0, count: 2) == [5, 5], "no interval: in order")
        #expect(TimeSlots.values(of: [], now: 10, interval: 1).isEmpty)
    }

    @Test("fewer slots are the newest of all of them: a point older than the slots carries its value into them")
    func fewerSlots() {
        let history = Self.points([(0, 1), (50, 2), (60, 3), (61, 4), (64, 5)])
        let all = TimeSlots.values(of: history, now: 66, interval: 1)
        #expect(all.count == 67)
        for count in [1, 2, 5, 16, 20, 66, 67, 100] {
            let some = TimeSlots.values(of: history, now: 66, interval: 1, count: count)
            #expect(some.count == min(count, all.count), "count \(count)")
            #expect(zip(some, all.suffix(count)).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "count \(count)")
        }
        let beyond = Self.points([(-1000, 9), (10, 2)])
        #expect(TimeSlots.values(of: beyond, now: 10, interval: 1, count: 3) == [2], "not from beyond the most slots")
    }

    /// A model of one cache whose counters were read at `times` (hits 3 and misses 1 more each poll,
    /// both counters reset once at `resetAt`), with the model's time `now` and interval `interval`.
    static func cacheModel(times: [Double], resetAt: Int?, now: Double, interval: Double) -> DashboardModel {
        var store = SeriesStore(retention: 300)
        for (index, time) in times.enumerated() {
            let count = Double(index - (index >= (resetAt ?? .max) ? resetAt! : 0))
            store.record(
                source: "agent",
                samples: [
                    Sample(
                        name: MetricName.cacheHits,
                        labels: [LabelName.cache: "users"],
                        kind: .counter,
                        value: 3 * count + Double(index % 4)
                    ),
                    Sample(
                        name: MetricName.cacheMisses,
                        labels: [LabelName.cache: "users"],
                        kind: .counter,
                        value: count
                    ),
                ],
                at: time
            )
        }
        return DashboardModel(
            store: store,
            sources: [SourceStatus(name: "agent", state: .ok)],
            timestamp: now,
            interval: interval
        )
    }

    @Test("a cache's hit-rate slots derived from the slots' span are those derived from the retained window")
    func hitRateSlotsFromTheSlotsSpan() throws {
        let start = 1_700_000_000.0
        let regular = (0..<300).map { start + Double($0) }
        let histories: [(name: String, times: [Double], resetAt: Int?, now: Double, interval: Double)] = [
            ("regular", regular, nil, regular.last!, 1),
            ("regular, model a little later", regular, 120, regular.last! + 0.4, 1),
            (
                "a long gap before the last polls",
                Array(regular.prefix(100)) + (0..<5).map { start + 280 + Double($0) }, nil, start + 284, 1
            ),
            ("stopped answering long ago", Array(regular.prefix(100)), nil, start + 299, 1),
            (
                "interval fell to 0.25 s", regular + (1...40).map { regular.last! + Double($0) * 0.25 }, nil,
                regular.last! + 10, 0.25
            ),
            (
                "interval rose to 5 s", Array(regular.prefix(200)) + (1...20).map { start + 199 + Double($0) * 5 }, 210,
                start + 299, 5
            ),
            ("two polls", Array(regular.prefix(2)), nil, start + 1, 1),
            ("one poll", Array(regular.prefix(1)), nil, start, 1),
        ]
        for history in histories {
            let model = Self.cacheModel(
                times: history.times,
                resetAt: history.resetAt,
                now: history.now,
                interval: history.interval
            )
            let cache = try #require(model.caches.first, "\(history.name)")
            for count in [1, 2, 12, 64, 200, 600] {
                let full = model.slots(cache.hitRatePoints, count: count)
                let windowed = model.hitRateSlots(cache, count: count)
                #expect(windowed.count == full.count, "\(history.name), \(count) slots")
                #expect(
                    zip(windowed, full).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) },
                    "\(history.name), \(count) slots"
                )
            }
        }
    }
}
