import Testing

@testable import PerftopCore

/// A series' points in shared chunks: the store appends and drops points while models keep the
/// histories they took, each seeing exactly the points it was given.
struct PointHistoryTests {
    private static func point(_ index: Int) -> SeriesStore.Point {
        SeriesStore.Point(time: Double(index), value: Double(index) * 10)
    }

    @Test func appendsAndDropsAcrossChunksInOrder() {
        var history = PointHistory()
        for index in 0..<200 {
            history.append(Self.point(index))
            if history.count > 150 {
                history.removeFirst()
            }
        }
        #expect(history.count == 150)
        #expect(history.first == Self.point(50))
        #expect(history.last == Self.point(199))
        #expect(history.map(\.time) == (50..<200).map(Double.init))
        #expect(Array(history.suffix(2)) == [Self.point(198), Self.point(199)])
        while !history.isEmpty {
            history.removeFirst()
        }
        history.append(Self.point(7))
        #expect(history == [Self.point(7)])
    }

    @Test func aCopyKeepsItsPointsWhileTheOriginalMovesOn() {
        var original = PointHistory((0..<100).map(Self.point))
        let copy = original
        for index in 100..<300 {
            original.append(Self.point(index))
            original.removeFirst()
        }
        #expect(copy.map(\.time) == (0..<100).map(Double.init))
        #expect(original.map(\.time) == (200..<300).map(Double.init))
        var second = copy
        second.append(Self.point(1_000))
        #expect(copy.count == 100, "an append to a shared newest chunk copies it")
        #expect(second.last == Self.point(1_000))
    }

    @Test func timesAreKeptToTheMillisecondAndTheSameTimeReadsTheSameEverywhere() {
        let time = 1_733_400_000.123_4
        let first = PointHistory([SeriesStore.Point(time: 5, value: 1), SeriesStore.Point(time: time, value: 2)])
        let second = PointHistory([SeriesStore.Point(time: time, value: 3)])
        #expect(first[1].time == 1_733_400_000.123)
        #expect(first[1].time == second[0].time, "two series read in one poll pair up by time")
        #expect(first[0] == SeriesStore.Point(time: 5, value: 1))
    }

    /// Every range of a history read chunk by chunk, against its subscripts.
    func expectEveryRangeMatchesItsSubscripts(_ history: PointHistory) {
        for start in 0...history.count {
            for end in start...history.count {
                var read: [SeriesStore.Point] = []
                history.forEach(in: start..<end) { read.append($0) }
                #expect(read == (start..<end).map { history[$0] }, "range \(start)..<\(end)")
            }
        }
    }

    @Test func forEachReadsEveryRangeAsTheSubscriptsDo() {
        var history = PointHistory((0..<100).map(Self.point))
        for _ in 0..<45 {
            history.removeFirst()
        }
        self.expectEveryRangeMatchesItsSubscripts(history)

        let sixtyDays = 60.0 * 86_400
        var gapped = PointHistory((0..<40).map(Self.point))
        for index in 0..<40 {
            gapped.append(SeriesStore.Point(time: sixtyDays + Double(index), value: Double(index)))
        }
        gapped.removeFirst()
        self.expectEveryRangeMatchesItsSubscripts(gapped)
    }

    @Test func aTimeTooFarFromItsChunksFirstStartsAnotherAndEveryPointIsStillFound() {
        var history = PointHistory()
        let sixtyDays = 60.0 * 86_400
        let times = [0, 1, 2, sixtyDays, sixtyDays + 1] + (0..<70).map { sixtyDays + 2 + Double($0) }
        for (index, time) in times.enumerated() {
            history.append(SeriesStore.Point(time: time, value: Double(index)))
        }
        #expect(history.map(\.time) == times)
        #expect(history.map(\.value) == times.indices.map(Double.init))
        for _ in 0..<4 {
            history.removeFirst()
        }
        #expect(history.first?.time == sixtyDays + 1)
        #expect(history.count == times.count - 4)
    }
}
