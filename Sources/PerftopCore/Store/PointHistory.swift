import Synchronization

/// A series' points, oldest first, kept in chunks of ``chunkCapacity`` that copies share: 6 bytes a
/// point for whole numbers (most counters and gauges), 12 for the others.
///
/// A model takes the histories of the rows it may graph every round, and the store goes on appending
/// to its own. Here a copy shares every chunk, and chunks are only ever appended to: a point goes into
/// the next free slot of the newest chunk, which no history that was copied before it can see, so the
/// store appends in place even while models hold the same chunk. Only a history that finds its slot
/// already taken (another copy appended there first) copies the chunk, up to its own points. Dropping
/// the oldest point frees a chunk once all its points are gone and no copy holds it.
///
/// Times are kept to the millisecond, as offsets from the time of their chunk's first point, so two
/// series read in the same poll give the very same time for a point. A chunk is one of two layouts:
/// - **narrow**: each value a 32-bit whole offset from the chunk's first value, each time a 16-bit
///   offset (up to 65.5 s after the first), 6 bytes a point;
/// - **wide**: each value a `Double`, each time a 32-bit offset (up to 49 days), 12 bytes a point.
///
/// A chunk starts narrow when its first value is a whole number and the points of the chunk before
/// would all have fitted; a point that does not fit a narrow chunk turns the history's copy of it
/// wide. A time that fits neither (49 days on, or earlier than the chunk's first) starts a new chunk.
/// Every value reads back exactly as it was appended, bit for bit.
///
/// Cost: O(1) to read a point by index, to append and to drop the oldest point (amortised); copying
/// is one retain.
///
/// `@unchecked Sendable`: its chunks (`ManagedBuffer`s, which are never `Sendable`) are written only
/// by ``append(_:)``, into a slot it first claimed with a compare-and-exchange on the chunk's atomic
/// count of filled slots, so no two histories write one slot, or into a copy of its own; a history
/// reads only the slots its own count covers, all filled before it was copied (the store copies its
/// histories under its lock).
public struct PointHistory: RandomAccessCollection, @unchecked Sendable, Equatable, ExpressibleByArrayLiteral {
    /// The points a chunk holds.
    static let chunkCapacity = 32

    /// The milliseconds of a time: the same time always gives the same number.
    static func milliseconds(_ time: Double) -> Int64? {
        let milliseconds = (time * 1_000).rounded()
        return milliseconds.isFinite && abs(milliseconds) < 9e15 ? Int64(milliseconds) : nil
    }

    /// What a chunk knows besides its points.
    private struct ChunkHeader {
        /// The time of the chunk's first point, in milliseconds since 1970.
        var base: Int64
        /// Whether the chunk is narrow (see ``PointHistory``).
        var isNarrow: Bool
    }

    /// A run of up to ``chunkCapacity`` consecutive points. Its tail, in 64-bit words: the count of
    /// filled slots (an `Atomic<Int>`); then, wide, the values (`Double`) and the 32-bit time offsets;
    /// narrow, the first value (`Double`), the 32-bit value offsets and the 16-bit time offsets.
    private final class Chunk: ManagedBuffer<ChunkHeader, UInt64> {
        private static let capacity = PointHistory.chunkCapacity
        /// Where each part of the tail starts, in words.
        private static let wideValues = 1
        private static let wideTimes = 1 + capacity
        private static let narrowFirstValue = 1
        private static let narrowValues = 2
        private static let narrowTimes = 2 + capacity / 2

        /// What an append to a chunk did.
        enum Append {
            /// The point is in the slot.
            case appended
            /// Another history filled the slot first: this one needs a chunk of its own.
            case slotTaken
            /// The chunk is narrow and the point does not fit it: this history needs a wide copy.
            case needsWide
            /// The chunk is full, or the time is 49 days or more from its first or before it: the point
            /// needs a new chunk.
            case noRoom
        }

        /// The offset of `value` from a narrow chunk's first value, when it reads back bit for bit.
        static func narrowOffset(of value: Double, from first: Double) -> Int32? {
            guard let offset = Int32(exactly: value - first), (first + Double(offset)).bitPattern == value.bitPattern
            else {
                return nil
            }
            return offset
        }

        /// Whether `value` can start a narrow chunk: a whole number (not -0).
        static func mayStartNarrow(_ value: Double) -> Bool {
            Self.narrowOffset(of: value, from: value) != nil
        }

        /// An empty chunk whose first point will be `value` at `base`, narrow if `isNarrow`.
        static func make(base: Int64, firstValue value: Double, isNarrow: Bool) -> Chunk {
            let words = isNarrow ? Self.narrowTimes + Self.capacity / 4 : Self.wideTimes + Self.capacity / 2
            // `create` is typed as the base class; it allocates an instance of this subclass.
            let chunk = unsafeDowncast(
                Chunk.create(minimumCapacity: words) { _ in ChunkHeader(base: base, isNarrow: isNarrow) },
                to: Chunk.self
            )
            chunk.withUnsafeMutablePointerToElements { elements in
                let tail = UnsafeMutableRawPointer(elements)
                tail.bindMemory(to: Atomic<Int>.self, capacity: 1).initialize(to: Atomic(0))
                if isNarrow {
                    (tail + 8 * Self.narrowFirstValue).bindMemory(to: Double.self, capacity: 1).initialize(to: value)
                    (tail + 8 * Self.narrowValues).bindMemory(to: Int32.self, capacity: Self.capacity)
                    (tail + 8 * Self.narrowTimes).bindMemory(to: UInt16.self, capacity: Self.capacity)
                } else {
                    (tail + 8 * Self.wideValues).bindMemory(to: Double.self, capacity: Self.capacity)
                    (tail + 8 * Self.wideTimes).bindMemory(to: UInt32.self, capacity: Self.capacity)
                }
            }
            return chunk
        }

        var isNarrow: Bool {
            self.header.isNarrow
        }

        /// The slots filled, by any history; only those a history counts as its own are its points.
        var filled: Int {
            self.withUnsafeMutablePointerToElements { elements in
                UnsafeMutableRawPointer(elements).assumingMemoryBound(to: Atomic<Int>.self).pointee
                    .load(ordering: .acquiring)
            }
        }

        subscript(index: Int) -> SeriesStore.Point {
            var point = SeriesStore.Point(time: 0, value: 0)
            self.forEach(from: index, count: 1) { point = $0 }
            return point
        }

        /// Calls `body` with the points from `start`, `count` of them, in order.
        func forEach(from start: Int, count: Int, _ body: (SeriesStore.Point) -> Void) {
            self.withUnsafeMutablePointers { header, elements in
                let base = header.pointee.base
                let tail = UnsafeMutableRawPointer(elements)
                if header.pointee.isNarrow {
                    let first = (tail + 8 * Self.narrowFirstValue).assumingMemoryBound(to: Double.self).pointee
                    let values = (tail + 8 * Self.narrowValues).assumingMemoryBound(to: Int32.self)
                    let times = (tail + 8 * Self.narrowTimes).assumingMemoryBound(to: UInt16.self)
                    for index in start..<(start + count) {
                        body(
                            SeriesStore.Point(
                                time: Double(base + Int64(times[index])) / 1_000,
                                value: first + Double(values[index])
                            )
                        )
                    }
                } else {
                    let values = (tail + 8 * Self.wideValues).assumingMemoryBound(to: Double.self)
                    let times = (tail + 8 * Self.wideTimes).assumingMemoryBound(to: UInt32.self)
                    for index in start..<(start + count) {
                        body(SeriesStore.Point(time: Double(base + Int64(times[index])) / 1_000, value: values[index]))
                    }
                }
            }
        }

        /// Whether a point would fit a narrow chunk with this chunk's first point (slot 0, which the
        /// caller owns).
        func wouldFitNarrow(value: Double, milliseconds: Int64) -> Bool {
            let offset = milliseconds - self.header.base
            return offset >= 0 && offset <= Int64(UInt16.max)
                && Self.narrowOffset(of: value, from: self[0].value) != nil
        }

        /// Puts a point `milliseconds` after the base into `slot`, if the slot is the next free one
        /// and the point fits.
        func append(value: Double, milliseconds: Int64, at slot: Int) -> Append {
            self.withUnsafeMutablePointers { header, elements in
                let offset = milliseconds - header.pointee.base
                guard slot < Self.capacity, offset >= 0, offset <= Int64(UInt32.max) else {
                    return .noRoom
                }
                let tail = UnsafeMutableRawPointer(elements)
                var narrowOffset: Int32 = 0
                if header.pointee.isNarrow {
                    let first = (tail + 8 * Self.narrowFirstValue).assumingMemoryBound(to: Double.self).pointee
                    guard offset <= Int64(UInt16.max), let fitting = Self.narrowOffset(of: value, from: first) else {
                        return .needsWide
                    }
                    narrowOffset = fitting
                }
                let filled = tail.assumingMemoryBound(to: Atomic<Int>.self)
                guard
                    filled.pointee.compareExchange(expected: slot, desired: slot + 1, ordering: .acquiringAndReleasing)
                        .exchanged
                else {
                    return .slotTaken
                }
                if header.pointee.isNarrow {
                    (tail + 8 * Self.narrowValues).assumingMemoryBound(to: Int32.self)[slot] = narrowOffset
                    (tail + 8 * Self.narrowTimes).assumingMemoryBound(to: UInt16.self)[slot] = UInt16(offset)
                } else {
                    (tail + 8 * Self.wideValues).assumingMemoryBound(to: Double.self)[slot] = value
                    (tail + 8 * Self.wideTimes).assumingMemoryBound(to: UInt32.self)[slot] = UInt32(offset)
                }
                return .appended
            }
        }

        /// A chunk of its own with the first `count` points, wide if `wide`, else of this one's layout.
        func copy(count: Int, wide: Bool = false) -> Chunk {
            self.withUnsafeMutablePointers { header, elements in
                let source = UnsafeMutableRawPointer(elements)
                // A wide chunk keeps no first value (its slot holds the first point, if any).
                let first =
                    header.pointee.isNarrow
                    ? (source + 8 * Self.narrowFirstValue).assumingMemoryBound(to: Double.self).pointee : 0
                let isNarrow = header.pointee.isNarrow && !wide
                let copy = Chunk.make(base: header.pointee.base, firstValue: first, isNarrow: isNarrow)
                copy.withUnsafeMutablePointerToElements { target in
                    // Slot by slot as stored, never through a time in seconds and back: the offsets
                    // stay exact whatever the base.
                    let target = UnsafeMutableRawPointer(target)
                    func copySlots(at word: Int, bytesEach: Int) {
                        (target + 8 * word).copyMemory(from: source + 8 * word, byteCount: bytesEach * count)
                    }
                    if isNarrow {
                        copySlots(at: Self.narrowValues, bytesEach: 4)
                        copySlots(at: Self.narrowTimes, bytesEach: 2)
                    } else if !header.pointee.isNarrow {
                        copySlots(at: Self.wideValues, bytesEach: 8)
                        copySlots(at: Self.wideTimes, bytesEach: 4)
                    } else {
                        let offsets = (source + 8 * Self.narrowValues).assumingMemoryBound(to: Int32.self)
                        let times = (source + 8 * Self.narrowTimes).assumingMemoryBound(to: UInt16.self)
                        let values = (target + 8 * Self.wideValues).assumingMemoryBound(to: Double.self)
                        let wideTimes = (target + 8 * Self.wideTimes).assumingMemoryBound(to: UInt32.self)
                        for slot in 0..<count {
                            values[slot] = first + Double(offsets[slot])
                            wideTimes[slot] = UInt32(times[slot])
                        }
                    }
                    target.assumingMemoryBound(to: Atomic<Int>.self).pointee.store(count, ordering: .releasing)
                }
                return copy
            }
        }
    }

    private var chunks: ContiguousArray<Chunk> = []
    /// The index in the first chunk of the first point.
    private var offset = 0
    /// This history's points in its newest chunk, from the chunk's start: other copies may have
    /// filled more of it. Every older chunk is this history's up to its filled count.
    private var newestChunkCount = 0
    /// Whether a chunk before the last holds fewer than ``chunkCapacity`` points (a time too far
    /// from its chunk's first started a new one), so a point is found by walking the chunks.
    private var hasShortChunk = false
    /// Whether every point of the newest chunk would fit a narrow one, so the next chunk starts narrow.
    private var newestChunkFitsNarrow = true
    /// The number of points.
    public private(set) var count = 0

    /// An empty history.
    public init() {}

    /// A history of `points`, oldest first. Cost: O(points).
    public init(_ points: some Sequence<SeriesStore.Point>) {
        for point in points {
            self.append(point)
        }
    }

    /// A history of the points listed, oldest first.
    public init(arrayLiteral points: SeriesStore.Point...) {
        self.init(points)
    }

    /// 0: the oldest point.
    public var startIndex: Int { 0 }

    /// ``count``: one past the newest point.
    public var endIndex: Int { self.count }

    /// The point at `position`, 0 being the oldest. O(1), or O(chunks) in a history with a short chunk.
    public subscript(position: Int) -> SeriesStore.Point {
        precondition(position >= 0 && position < self.count, "index out of range")
        var index = self.offset + position
        guard self.hasShortChunk else {
            return self.chunks[index / Self.chunkCapacity][index % Self.chunkCapacity]
        }
        for chunk in self.chunks.indices {
            let count = self.count(ofChunk: chunk)
            if index < count {
                return self.chunks[chunk][index]
            }
            index -= count
        }
        preconditionFailure("index out of range")
    }

    /// Calls `body` with each point at the positions of `range` (0 being the oldest), oldest first.
    /// Cost: O(points in range), walking the chunks, instead of finding each point's chunk again as a
    /// loop of subscripts does.
    public func forEach(in range: Range<Int>, _ body: (SeriesStore.Point) -> Void) {
        precondition(range.lowerBound >= 0 && range.upperBound <= self.count, "range out of bounds")
        var remaining = range.count
        var index = self.offset + range.lowerBound
        var chunk = 0
        if self.hasShortChunk {
            while remaining > 0, index >= self.count(ofChunk: chunk) {
                index -= self.count(ofChunk: chunk)
                chunk += 1
            }
        } else {
            (chunk, index) = index.quotientAndRemainder(dividingBy: Self.chunkCapacity)
        }
        while remaining > 0 {
            let taken = Swift.min(remaining, self.count(ofChunk: chunk) - index)
            self.chunks[chunk].forEach(from: index, count: taken, body)
            remaining -= taken
            chunk += 1
            index = 0
        }
    }

    /// Which chunks hold the points, oldest first: two histories that share a chunk list the same
    /// identifier. For tests.
    var chunkIdentifiers: [ObjectIdentifier] {
        self.chunks.map(ObjectIdentifier.init)
    }

    /// Whether each chunk is narrow, oldest first. For tests.
    var chunksAreNarrow: [Bool] {
        self.chunks.map(\.isNarrow)
    }

    /// This history's points in chunk `index`, from the chunk's start.
    private func count(ofChunk index: Int) -> Int {
        index == self.chunks.count - 1 ? self.newestChunkCount : self.chunks[index].filled
    }

    /// Appends `point` as the newest; its time is kept to the millisecond (a time that is not a
    /// finite number of milliseconds, which no clock gives, is kept as 0).
    public mutating func append(_ point: SeriesStore.Point) {
        let milliseconds = Self.milliseconds(point.time) ?? 0
        if !self.chunks.isEmpty, self.appendToNewestChunk(point.value, milliseconds: milliseconds) {
            self.newestChunkCount += 1
            self.count += 1
            return
        }
        let isNarrow = self.newestChunkFitsNarrow && Chunk.mayStartNarrow(point.value)
        let chunk = Chunk.make(base: milliseconds, firstValue: point.value, isNarrow: isNarrow)
        _ = chunk.append(value: point.value, milliseconds: milliseconds, at: 0)
        self.chunks.append(chunk)
        self.newestChunkCount = 1
        self.newestChunkFitsNarrow = Chunk.mayStartNarrow(point.value)
        self.count += 1
    }

    /// Puts a point into the newest chunk, or into a copy of it of this history's own (when another
    /// history took the slot, or the point needs a wide chunk); false when it needs a new chunk.
    private mutating func appendToNewestChunk(_ value: Double, milliseconds: Int64) -> Bool {
        let last = self.chunks.count - 1
        // At most three turns: a copy of its own takes the slot, and a wide one takes the point.
        while true {
            switch self.chunks[last].append(value: value, milliseconds: milliseconds, at: self.newestChunkCount) {
            case .appended:
                if self.newestChunkFitsNarrow, !self.chunks[last].isNarrow {
                    self.newestChunkFitsNarrow = self.chunks[last].wouldFitNarrow(
                        value: value,
                        milliseconds: milliseconds
                    )
                }
                return true
            case .slotTaken:
                self.chunks[last] = self.chunks[last].copy(count: self.newestChunkCount)
            case .needsWide:
                self.chunks[last] = self.chunks[last].copy(count: self.newestChunkCount, wide: true)
                self.newestChunkFitsNarrow = false
            case .noRoom:
                if self.newestChunkCount < Self.chunkCapacity {
                    // An older chunk holds exactly this history's points, its filled count saying how
                    // many: a copy of its own, which no other history can append to. (Another may append
                    // to the shared one, and a full chunk takes no append.) A short chunk is rare: a time
                    // 49 days after its chunk's first, or earlier than it.
                    self.hasShortChunk = true
                    self.chunks[last] = self.chunks[last].copy(count: self.newestChunkCount)
                }
                return false
            }
        }
    }

    /// Drops the oldest point; the history must not be empty.
    public mutating func removeFirst() {
        precondition(self.count > 0, "removeFirst from an empty history")
        self.count -= 1
        self.offset += 1
        if self.offset == self.count(ofChunk: 0) {
            self.chunks.removeFirst()
            self.offset = 0
            if self.chunks.isEmpty {
                self.newestChunkCount = 0
            }
        }
    }

    /// Whether both hold the same points in the same order.
    public static func == (lhs: PointHistory, rhs: PointHistory) -> Bool {
        lhs.elementsEqual(rhs)
    }
}
