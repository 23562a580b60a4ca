import Synchronization

/// The bucket layout of every ``LatencyHistogram``: HdrHistogram's log-linear layout with two
/// significant digits from 1 µs to 100 s, computed here so recording needs no lock.
///
/// A duration in nanoseconds maps to one of ``count`` buckets; every duration in a bucket is within
/// 1% of the bucket's ``lowestValue(at:)``. The layout is the one hdrhistogram-swift uses for
/// `lowestDiscernibleValue` 1,000 ns, `highestTrackableValue` 100 s and `.two` significant digits,
/// so a bucket's lowest value recorded into such a `Histogram` lands in the same bucket.
enum LatencyBuckets {
    /// Durations below this share the lowest bucket: 1 µs.
    static let lowestDiscernible: UInt64 = 1_000
    /// Durations above this share the highest bucket: 100 s.
    static let highestTrackable = UInt64(LatencyHistogram.maximumTrackable.nanoseconds)

    /// log2 of the unit: values are counted in units of 512 ns (the largest power of two ≤ 1 µs).
    private static let unitMagnitude = 9
    /// log2 of half the sub-bucket count; 256 sub-buckets give two significant digits.
    private static let subBucketHalfCountMagnitude = 7
    private static let subBucketHalfCount = 1 << subBucketHalfCountMagnitude
    private static let subBucketMask = UInt64(2 * subBucketHalfCount - 1) << UInt64(unitMagnitude)
    private static let leadingZeroCountBase = 64 - unitMagnitude - subBucketHalfCountMagnitude - 1

    /// The number of buckets: enough log-linear buckets to reach ``highestTrackable``.
    static let count: Int = {
        var smallestUntrackable = UInt64(2 * subBucketHalfCount) << UInt64(unitMagnitude)
        var buckets = 1
        while smallestUntrackable <= highestTrackable {
            smallestUntrackable <<= 1
            buckets += 1
        }
        return (buckets + 1) << subBucketHalfCountMagnitude
    }()

    /// The bucket of a duration in nanoseconds; negative durations count as zero, durations above
    /// ``highestTrackable`` as ``highestTrackable``. Cost: a few integer instructions.
    @inline(__always)
    static func index(ofNanoseconds nanoseconds: Int64) -> Int {
        let value = min(UInt64(max(0, nanoseconds)), Self.highestTrackable)
        let bucket = Self.leadingZeroCountBase - (value | Self.subBucketMask).leadingZeroBitCount
        let subBucket = Int(truncatingIfNeeded: value >> UInt64(bucket + Self.unitMagnitude))
        return ((bucket + 1) << Self.subBucketHalfCountMagnitude) + (subBucket - Self.subBucketHalfCount)
    }

    /// The lowest duration, in nanoseconds, that falls in bucket `index`.
    static func lowestValue(at index: Int) -> UInt64 {
        var bucket = (index >> Self.subBucketHalfCountMagnitude) - 1
        var subBucket = (index & (Self.subBucketHalfCount - 1)) + Self.subBucketHalfCount
        if bucket < 0 {
            subBucket -= Self.subBucketHalfCount
            bucket = 0
        }
        return UInt64(subBucket) << UInt64(bucket + Self.unitMagnitude)
    }
}

// MARK: - Dense counts

/// One count per bucket, each an atomic, so many threads record without a lock.
///
/// The buffer is allocated once (``LatencyBuckets/count`` × 4 bytes, about 11 KiB) and freed with
/// the object. `@unchecked Sendable` is safe: the pointer never changes after `init`, and every
/// element is only ever read or written through `Atomic` operations.
final class AtomicBucketCounts: @unchecked Sendable {
    private let counts: UnsafeMutablePointer<Atomic<UInt32>>

    init() {
        self.counts = .allocate(capacity: LatencyBuckets.count)
        for index in 0..<LatencyBuckets.count {
            (self.counts + index).initialize(to: Atomic(0))
        }
    }

    deinit {
        self.counts.deinitialize(count: LatencyBuckets.count)
        self.counts.deallocate()
    }

    /// The bytes the counts occupy.
    static var footprint: Int {
        LatencyBuckets.count * MemoryLayout<Atomic<UInt32>>.stride
    }

    /// Adds one to bucket `index`. Relaxed: counts need no ordering with other memory.
    @inline(__always)
    func increment(_ index: Int) {
        self.counts[index].wrappingAdd(1, ordering: .relaxed)
    }

    /// The count of bucket `index` now.
    func load(_ index: Int) -> UInt32 {
        self.counts[index].load(ordering: .relaxed)
    }

    /// Takes every count out, leaving zeros, and returns the non-zero ones in bucket order.
    ///
    /// A count added while this runs is either taken now or left for the next drain, never lost:
    /// each bucket is emptied by an atomic exchange. Cost: O(buckets) loads, one exchange per
    /// non-zero bucket.
    func drain() -> SparseBucketCounts {
        var sparse = SparseBucketCounts()
        for index in 0..<LatencyBuckets.count where self.counts[index].load(ordering: .relaxed) != 0 {
            let count = self.counts[index].exchange(0, ordering: .relaxed)
            if count != 0 {
                sparse.append(index: index, count: count)
            }
        }
        return sparse
    }
}

// MARK: - Sparse counts

/// The non-zero bucket counts of a finished sub-window, compactly encoded: each (bucket, count)
/// pair as the bucket's distance from the previous one and the count, both as LEB128 varints.
///
/// Neighbouring buckets are one apart and most counts are below 16,384, so a pair usually takes
/// 2–3 bytes instead of the 4 a dense bucket costs.
struct SparseBucketCounts: Sendable {
    private var bytes: [UInt8] = []
    private var lastIndex = -1
    /// The sum of the counts.
    private(set) var totalCount = 0

    /// Appends a pair; `index` must be greater than every index appended before.
    mutating func append(index: Int, count: UInt32) {
        Self.appendVarint(UInt32(index - self.lastIndex), to: &self.bytes)
        Self.appendVarint(count, to: &self.bytes)
        self.lastIndex = index
        self.totalCount += Int(count)
    }

    /// The bytes the encoding holds, including unused capacity.
    var footprint: Int {
        self.bytes.capacity
    }

    /// Calls `body` with each (bucket, count) pair in bucket order. Cost: O(pairs).
    func forEach(_ body: (_ index: Int, _ count: UInt32) -> Void) {
        var position = 0
        var index = -1
        while position < self.bytes.count {
            index += Int(Self.readVarint(self.bytes, at: &position))
            body(index, Self.readVarint(self.bytes, at: &position))
        }
    }

    private static func appendVarint(_ value: UInt32, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private static func readVarint(_ bytes: [UInt8], at position: inout Int) -> UInt32 {
        var value: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            let byte = bytes[position]
            position += 1
            value |= UInt32(byte & 0x7F) << shift
            if byte < 0x80 {
                return value
            }
            shift += 7
        }
    }
}
