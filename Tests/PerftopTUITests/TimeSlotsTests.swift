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
}
