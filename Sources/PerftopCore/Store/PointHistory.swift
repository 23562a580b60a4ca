import Synchronization

/// A series' points, oldest first, kept in chunks of ``chunkCapacity`` that copies share, 12 bytes
/// a point.
///
/// A model takes the histories of the rows it may graph every round, and the store goes on appending
/// to its own. Here a copy shares every chunk, and chunks are only ever appended to: a point goes into
/// the next free slot of the newest chunk, which no history that was copied before it can see, so the
/// store appends in place even while models hold the same chunk. Only a history that finds its slot
/// already taken (another copy appended there first) copies the chunk, up to its own points. Dropping
/// the oldest point frees a chunk once all its points are gone and no copy holds it.
///
/// Times are kept to the millisecond: a chunk holds its first point's time in milliseconds and each
/// point's offset from it in 32 bits (a point that does not fit starts a new chunk), so a point
/// takes a value's 8 bytes and 4 for its time instead of 16, and two series read in the same poll
/// give the very same time for it.
///
/// Cost: O(1) to read a point by index, to append and to drop the oldest point (amortised); copying
/// is one retain.
///
/// `@unchecked Sendable`: its chunks (`ManagedBuffer`s, which are never `Sendable`) are written only
/// by ``append(_:)``, into a slot it first claimed with a compare-and-exchange on the chunk's atomic
/// count of filled slots, so no two histories write one slot; a history reads only the slots its own
/// count covers, all filled before it was copied (the store copies its histories under its lock).
public struct PointHistory: RandomAccessCollection, @unchecked Sendable, Equatable, ExpressibleByArrayLiteral {
    /// The points a chunk holds.
    static let chunkCapacity = 32

    /// The milliseconds of a time: the same time always gives the same number.
    static func milliseconds(_ time: Double) -> Int64? {
        let milliseconds = (time * 1_000).rounded()
        return milliseconds.isFinite && abs(milliseconds) < 9e15 ? Int64(milliseconds) : nil
    }

    /// A run of up to ``chunkCapacity`` consecutive points. Its header is the time of its first point,
    /// in milliseconds since 1970; its tail holds, in Doubles, the count of filled slots (an
    /// `Atomic<Int>`), the values, then the 32-bit time offsets two to a Double.
    private final class Chunk: ManagedBuffer<Int64, Double> {
        /// Doubles of tail storage.
        static let elements = 1 + PointHistory.chunkCapacity + PointHistory.chunkCapacity / 2

        /// What an append to a chunk did.
        enum Append {
            /// The point is in the slot.
            case appended
            /// Another history filled the slot first: this one needs a chunk of its own.
            case slotTaken
            /// The chunk is full, or the time is too far from its first: the point needs a new chunk.
            case noRoom
        }

        static func make(base: Int64) -> Chunk {
            // `create` is typed as the base class; it allocates an instance of this subclass.
            let chunk = unsafeDowncast(Chunk.create(minimumCapacity: Self.elements) { _ in base }, to: Chunk.self)
            chunk.withUnsafeMutablePointerToElements { elements in
                UnsafeMutableRawPointer(elements).bindMemory(to: Atomic<Int>.self, capacity: 1)
                    .initialize(to: Atomic(0))
            }
            return chunk
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

        /// Calls `body` with the points from `start`, `count` of them, in order: each point's time is
        /// the chunk's base plus the point's offset, in milliseconds.
        func forEach(from start: Int, count: Int, _ body: (SeriesStore.Point) -> Void) {
            self.withUnsafeMutablePointers { header, elements in
                let base = header.pointee
                let values = elements + 1
                let offsets = UnsafeMutableRawPointer(values + PointHistory.chunkCapacity)
                    .assumingMemoryBound(to: UInt32.self)
                for index in start..<(start + count) {
                    body(SeriesStore.Point(time: Double(base + Int64(offsets[index])) / 1_000, value: values[index]))
                }
            }
        }

        /// Puts a point `milliseconds` after the base into `slot`, if the slot is the next free one
        /// and the offset fits.
        func append(value: Double, milliseconds: Int64, at slot: Int) -> Append {
            self.withUnsafeMutablePointers { header, elements in
                let offset = milliseconds - header.pointee
                guard slot < PointHistory.chunkCapacity, offset >= 0, offset <= Int64(UInt32.max) else {
                    return .noRoom
                }
                let filled = UnsafeMutableRawPointer(elements).assumingMemoryBound(to: Atomic<Int>.self)
                guard
                    filled.pointee.compareExchange(expected: slot, desired: slot + 1, ordering: .acquiringAndReleasing)
                        .exchanged
                else {
                    return .slotTaken
                }
                let values = elements + 1
                let offsets = UnsafeMutableRawPointer(values + PointHistory.chunkCapacity)
                    .assumingMemoryBound(to: UInt32.self)
                values[slot] = value
                offsets[slot] = UInt32(offset)
                return .appended
            }
        }

        /// A chunk of its own with the first `count` points.
        func copy(count: Int) -> Chunk {
            let copy = Chunk.make(base: self.header)
            self.withUnsafeMutablePointerToElements { source in
                copy.withUnsafeMutablePointerToElements { target in
                    (target + 1).update(from: source + 1, count: count)
                    let offsets = 1 + PointHistory.chunkCapacity
                    UnsafeMutableRawPointer(target + offsets).copyMemory(
                        from: UnsafeRawPointer(source + offsets),
                        byteCount: count * MemoryLayout<UInt32>.stride
                    )
                    UnsafeMutableRawPointer(target).assumingMemoryBound(to: Atomic<Int>.self).pointee
                        .store(count, ordering: .releasing)
                }
            }
            return copy
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

    /// This history's points in chunk `index`, from the chunk's start.
    private func count(ofChunk index: Int) -> Int {
        index == self.chunks.count - 1 ? self.newestChunkCount : self.chunks[index].filled
    }

    /// Appends `point` as the newest; its time is kept to the millisecond (a time that is not a
    /// finite number of milliseconds, which no clock gives, is kept as 0).
    public mutating func append(_ point: SeriesStore.Point) {
        let milliseconds = Self.milliseconds(point.time) ?? 0
        let last = self.chunks.count - 1
        if last >= 0 {
            var outcome = self.chunks[last].append(
                value: point.value,
                milliseconds: milliseconds,
                at: self.newestChunkCount
            )
            if outcome == .slotTaken {
                self.chunks[last] = self.chunks[last].copy(count: self.newestChunkCount)
                outcome = self.chunks[last].append(
                    value: point.value,
                    milliseconds: milliseconds,
                    at: self.newestChunkCount
                )
            }
            if outcome == .appended {
                self.newestChunkCount += 1
                self.count += 1
                return
            }
            if self.newestChunkCount < Self.chunkCapacity {
                // An older chunk holds exactly this history's points, its filled count saying how many:
                // a copy of its own, which no other history can append to. (Another may append to the
                // shared one, and a full chunk takes no append.) A short chunk is rare: a time 49 days
                // after its chunk's first, or earlier than it.
                self.hasShortChunk = true
                self.chunks[last] = self.chunks[last].copy(count: self.newestChunkCount)
            }
        }
        let chunk = Chunk.make(base: milliseconds)
        _ = chunk.append(value: point.value, milliseconds: milliseconds, at: 0)
        self.chunks.append(chunk)
        self.newestChunkCount = 1
        self.count += 1
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
