import Histogram
import Testing

@testable import PerfKit

@Suite struct LatencyBucketsTests {
    /// The histogram whose layout ``LatencyBuckets`` reproduces.
    let reference = Histogram<UInt64>(
        lowestDiscernibleValue: 1_000,
        highestTrackableValue: 100_000_000_000,
        numberOfSignificantValueDigits: .two
    )

    @Test func everyBucketsLowestValueMapsBackToTheBucket() {
        // Buckets above 100 s's exist in the layout (the last bucket is partly used) but are never filled.
        let highest = LatencyBuckets.index(ofNanoseconds: Int64(LatencyBuckets.highestTrackable))
        for index in 0...highest {
            let value = LatencyBuckets.lowestValue(at: index)
            #expect(LatencyBuckets.index(ofNanoseconds: Int64(value)) == index)
            #expect(self.reference.lowestEquivalentForValue(value) == value)
        }
    }

    @Test func bucketsMatchHdrHistogramsLayout() {
        var generator = SystemRandomNumberGenerator()
        var values: [UInt64] = [0, 1, 511, 512, 999, 1_000, 1_024, 65_535, 65_536, 100_000_000_000]
        for _ in 0..<10_000 {
            let magnitude = UInt64.random(in: 0...36, using: &generator)
            values.append(UInt64.random(in: 0...(1 << magnitude), using: &generator) % 100_000_000_001)
        }
        for value in values {
            let index = LatencyBuckets.index(ofNanoseconds: Int64(value))
            #expect(LatencyBuckets.lowestValue(at: index) == self.reference.lowestEquivalentForValue(value))
        }
    }

    @Test func outOfRangeValuesAreClamped() {
        #expect(LatencyBuckets.index(ofNanoseconds: -5) == 0)
        #expect(LatencyBuckets.index(ofNanoseconds: .max) == LatencyBuckets.index(ofNanoseconds: 100_000_000_000))
        #expect(LatencyBuckets.index(ofNanoseconds: 100_000_000_000) < LatencyBuckets.count)
    }

    @Test func sparseCountsRoundTripAndStaySmall() {
        var sparse = SparseBucketCounts()
        let pairs: [(Int, UInt32)] = [(0, 1), (1, 127), (2, 128), (300, 70_000), (2_815, .max)]
        for (index, count) in pairs {
            sparse.append(index: index, count: count)
        }
        var decoded: [(Int, UInt32)] = []
        sparse.forEach { decoded.append(($0, $1)) }
        #expect(decoded.map(\.0) == pairs.map(\.0))
        #expect(decoded.map(\.1) == pairs.map(\.1))
        #expect(sparse.totalCount == pairs.reduce(0) { $0 + Int($1.1) })
    }

    @Test func drainingLeavesZerosAndReturnsTheCounts() {
        let counts = AtomicBucketCounts()
        for _ in 0..<3 {
            counts.increment(7)
        }
        counts.increment(2_000)
        var drained: [(Int, UInt32)] = []
        counts.drain().forEach { drained.append(($0, $1)) }
        #expect(drained.map(\.0) == [7, 2_000])
        #expect(drained.map(\.1) == [3, 1])
        #expect(counts.load(7) == 0)
        #expect(counts.drain().totalCount == 0)
    }
}
