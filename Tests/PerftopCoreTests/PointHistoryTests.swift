import Synchronization
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

    @Test func theOriginalAppendsInPlaceWhileACopyHoldsItsNewestChunk() {
        var original = PointHistory((0..<40).map(Self.point))
        let copy = original
        original.append(Self.point(40))
        #expect(original.chunkIdentifiers == copy.chunkIdentifiers, "no chunk was copied")
        #expect(copy.count == 40)
        #expect(copy.last == Self.point(39), "the copy does not see the point appended after it")
        #expect(original.last == Self.point(40))
    }

    @Test func whoeverAppendsSecondToASharedChunkGetsAChunkOfItsOwn() {
        var original = PointHistory((0..<40).map(Self.point))
        var copy = original
        copy.append(Self.point(1_000))
        original.append(Self.point(40))
        #expect(original.chunkIdentifiers.dropLast() == copy.chunkIdentifiers.dropLast())
        #expect(original.chunkIdentifiers.last != copy.chunkIdentifiers.last)
        #expect(copy.map(\.time) == (0..<40).map(Double.init) + [1_000])
        #expect(original.map(\.time) == (0..<41).map(Double.init))
        original.append(Self.point(41))
        copy.append(Self.point(1_001))
        #expect(copy.suffix(2).map(\.time) == [1_000, 1_001])
        #expect(original.suffix(2).map(\.time) == [40, 41])
    }

    /// The original leaves a chunk half full (a time far after its first) while a copy still ends in
    /// it: the copy may go on filling that chunk, and the original must not see those points.
    @Test func aChunkLeftShortIsNotGrownUnderTheHistoryThatLeftIt() {
        var original = PointHistory((0..<40).map(Self.point))
        var copy = original
        let sixtyDays = 60.0 * 86_400
        original.append(SeriesStore.Point(time: sixtyDays, value: -1))
        copy.append(Self.point(40))
        copy.append(Self.point(41))
        #expect(original.map(\.time) == (0..<40).map(Double.init) + [sixtyDays])
        #expect(copy.map(\.time) == (0..<42).map(Double.init))
        self.expectEveryRangeMatchesItsSubscripts(original)
        for _ in 0..<40 {
            original.removeFirst()
        }
        #expect(original == [SeriesStore.Point(time: sixtyDays, value: -1)])
    }

    @Test func wholeNumbersTakeNarrowChunksAndOthersWideOnesEachReadBackBitForBit() {
        var history = PointHistory()
        let values: [Double] = [
            0, 1, -7, 3e9, 0.5, -0.0, .nan, .infinity, -.infinity, 0x1p60, Double(Int32.max) * 3, .ulpOfOne,
            -123_456_789, 42,
        ]
        var appended: [SeriesStore.Point] = []
        for (index, value) in (values + values + values).enumerated() {
            let point = SeriesStore.Point(time: 1_733_400_000 + Double(index) * 1.001, value: value)
            history.append(point)
            appended.append(point)
        }
        #expect(history.count == appended.count)
        for (read, written) in zip(history, appended) {
            #expect(read.value.bitPattern == written.value.bitPattern, "\(written.value)")
            #expect(read.time == (written.time * 1_000).rounded() / 1_000)
        }

        var counter = PointHistory((0..<100).map { SeriesStore.Point(time: Double($0), value: Double($0 * 1_000)) })
        #expect(counter.chunksAreNarrow == [true, true, true, true])
        var latency = PointHistory((0..<40).map { SeriesStore.Point(time: Double($0), value: Double($0) / 8) })
        #expect(latency.chunksAreNarrow == [false, false])
        latency.append(SeriesStore.Point(time: 40, value: 1))
        #expect(latency.last?.value == 1)
        counter.append(SeriesStore.Point(time: 100, value: 0.25))
        #expect(counter.chunksAreNarrow == [true, true, true, false], "the newest chunk turned wide")
        #expect(
            Array(counter.suffix(2)) == [
                SeriesStore.Point(time: 99, value: 99_000), SeriesStore.Point(time: 100, value: 0.25),
            ]
        )
    }

    @Test func aChunkAfterOneThatWouldNotFitStartsWideAndTheOneAfterANarrowFitStartsNarrow() {
        var history = PointHistory((0..<31).map { SeriesStore.Point(time: Double($0), value: 1) })
        history.append(SeriesStore.Point(time: 31, value: 1.5))
        history.append(SeriesStore.Point(time: 32, value: 2))
        #expect(history.chunksAreNarrow == [false, false], "the chunk after a wide one starts wide")
        for index in 33..<64 {
            history.append(SeriesStore.Point(time: Double(index), value: 2))
        }
        history.append(SeriesStore.Point(time: 64, value: 3))
        #expect(history.chunksAreNarrow == [false, false, true], "its points all fitted: narrow again")
        var spaced = PointHistory()
        for index in 0..<3 {
            spaced.append(SeriesStore.Point(time: Double(index) * 70, value: 5))
        }
        #expect(spaced.chunksAreNarrow == [false], "70 s apart: times need wide offsets")
        #expect(spaced.map(\.time) == [0, 70, 140])
    }

    @Test func aCopyThatNeedsAWideChunkLeavesTheSharedNarrowOneToTheOriginal() {
        var original = PointHistory((0..<40).map(Self.point))
        var copy = original
        copy.append(SeriesStore.Point(time: 40, value: 0.5))
        original.append(Self.point(40))
        #expect(copy.chunksAreNarrow == [true, false])
        #expect(original.chunksAreNarrow == [true, true])
        #expect(original.chunkIdentifiers == copy.chunkIdentifiers.dropLast() + [original.chunkIdentifiers[1]])
        #expect(copy.last == SeriesStore.Point(time: 40, value: 0.5))
        #expect(original.map(\.time) == (0..<41).map(Double.init))
        #expect(copy.dropLast().map(\.value) == (0..<40).map { Double($0) * 10 })
    }

    /// A copy of a chunk (slot taken, or turned wide) holds the points exactly as the original does,
    /// at the far end of the times a history keeps.
    @Test func copiesKeepEveryPointExactlyEvenFarFromTheEpoch() {
        // Milliseconds near 8.9e15, where a time in seconds no longer holds every millisecond.
        let time = { (index: Int) in Double(-8_899_999_999_999_999 + index) / 1_000 }
        var original = PointHistory((0..<20).map { SeriesStore.Point(time: time($0), value: Double($0)) })
        var widened = original
        widened.append(SeriesStore.Point(time: time(20), value: 0.5))
        var taken = original
        original.append(SeriesStore.Point(time: time(20), value: 20))
        taken.append(SeriesStore.Point(time: time(21), value: 21))
        #expect(widened.chunksAreNarrow == [false])
        #expect(Array(widened.prefix(20)) == Array(original.prefix(20)))
        #expect(Array(taken.prefix(20)) == Array(original.prefix(20)))
        #expect(widened.count == 21 && taken.count == 21 && original.count == 21)
        #expect(taken.last?.value == 21)
    }

    /// The store's use, under ThreadSanitizer in CI: one thread appends under a lock while others take
    /// copies under it and read them outside it, each copy seeing a run of consecutive points.
    @Test func copiesReadOnOtherThreadsWhileTheOriginalAppends() async {
        let shared = SharedHistory()
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for index in 0..<3_000 {
                    shared.history.withLockedValue { history in
                        history.append(Self.point(index))
                        if history.count > 100 {
                            history.removeFirst()
                        }
                    }
                }
                return true
            }
            for _ in 0..<2 {
                group.addTask {
                    var consistent = true
                    for _ in 0..<300 {
                        let copy = shared.history.withLockedValue { $0 }
                        guard let first = copy.first else {
                            continue
                        }
                        consistent = consistent && copy.map(\.time) == (0..<copy.count).map { first.time + Double($0) }
                    }
                    return consistent
                }
            }
            for await consistent in group {
                #expect(consistent)
            }
        }
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

/// A history behind a lock, as the store keeps its series.
private final class SharedHistory: Sendable {
    let history = Mutex(PointHistory())
}
