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
}
