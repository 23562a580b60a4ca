/// A series' points, oldest first, kept in chunks of ``chunkCapacity`` that copies share, 12 bytes
/// a point.
///
/// A model takes the histories of the rows it may graph every round; with the points in one buffer,
/// the store's next append to a series whose history a model still held copied the whole buffer
/// (300 points, for each of thousands of series at a hundred sources). Here a copy shares every
/// chunk, and an append copies at most the newest chunk, the only one that changes; dropping the
/// oldest point frees a chunk once all its points are gone.
///
/// Times are kept to the millisecond: a chunk holds its first point's time in milliseconds and each
/// point's offset from it in 32 bits (a point that does not fit starts a new chunk), so a point
/// takes a value's 8 bytes and 4 for its time instead of 16, and two series read in the same poll
/// give the very same time for it.
///
/// Cost: O(1) to read a point by index, to append and to drop the oldest point (amortised; an
/// append to a chunk a copy still holds copies that chunk); copying is one retain.
///
/// `@unchecked Sendable`: its chunks (`ManagedBuffer`s, which are never `Sendable`) are written only by
/// ``append(_:)``, after `isKnownUniquelyReferenced` proved that no other history, on any thread,
/// holds the chunk; every other access reads.
public struct PointHistory: RandomAccessCollection, @unchecked Sendable, Equatable, ExpressibleByArrayLiteral {
    /// The points a chunk holds.
    static let chunkCapacity = 32

    /// The milliseconds of a time: the same time always gives the same number.
    static func milliseconds(_ time: Double) -> Int64? {
        let milliseconds = (time * 1_000).rounded()
        return milliseconds.isFinite && abs(milliseconds) < 9e15 ? Int64(milliseconds) : nil
    }

    /// What a chunk knows besides its points.
    private struct Header {
        /// The time of the chunk's first point, in milliseconds since 1970.
        var base: Int64
        /// The points it holds.
        var count: Int
    }

    /// A run of up to ``chunkCapacity`` consecutive points: their values, then their time offsets.
    private final class Chunk: ManagedBuffer<Header, Double> {
        /// Doubles of tail storage: the values, then the 32-bit offsets two to a Double.
        static let elements = PointHistory.chunkCapacity + PointHistory.chunkCapacity / 2

        static func make(base: Int64) -> Chunk {
            // `create` is typed as the base class; it allocates an instance of this subclass.
            unsafeDowncast(
                Chunk.create(minimumCapacity: Self.elements) { _ in Header(base: base, count: 0) },
                to: Chunk.self
            )
        }

        var count: Int {
            self.header.count
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
                let base = header.pointee.base
                let offsets = UnsafeMutableRawPointer(elements + PointHistory.chunkCapacity)
                    .assumingMemoryBound(to: UInt32.self)
                for index in start..<(start + count) {
                    body(SeriesStore.Point(time: Double(base + Int64(offsets[index])) / 1_000, value: elements[index]))
                }
            }
        }

        /// Appends a point `milliseconds` after the base, if there is room and the offset fits.
        func append(value: Double, milliseconds: Int64) -> Bool {
            self.withUnsafeMutablePointers { header, elements in
                let offset = milliseconds - header.pointee.base
                guard header.pointee.count < PointHistory.chunkCapacity, offset >= 0, offset <= Int64(UInt32.max)
                else {
                    return false
                }
                let offsets = UnsafeMutableRawPointer(elements + PointHistory.chunkCapacity)
                    .assumingMemoryBound(to: UInt32.self)
                elements[header.pointee.count] = value
                offsets[header.pointee.count] = UInt32(offset)
                header.pointee.count += 1
                return true
            }
        }

        /// A chunk of its own with the same points.
        func copy() -> Chunk {
            let copy = Chunk.make(base: self.header.base)
            self.withUnsafeMutablePointerToElements { source in
                copy.withUnsafeMutablePointerToElements { target in
                    target.update(from: source, count: Self.elements)
                }
            }
            copy.header.count = self.header.count
            return copy
        }
    }

    private var chunks: ContiguousArray<Chunk> = []
    /// The index in the first chunk of the first point.
    private var offset = 0
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
        for chunk in self.chunks {
            if index < chunk.count {
                return chunk[index]
            }
            index -= chunk.count
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
            while remaining > 0, index >= self.chunks[chunk].count {
                index -= self.chunks[chunk].count
                chunk += 1
            }
        } else {
            (chunk, index) = index.quotientAndRemainder(dividingBy: Self.chunkCapacity)
        }
        while remaining > 0 {
            let taken = Swift.min(remaining, self.chunks[chunk].count - index)
            self.chunks[chunk].forEach(from: index, count: taken, body)
            remaining -= taken
            chunk += 1
            index = 0
        }
    }

    /// Appends `point` as the newest; its time is kept to the millisecond (a time that is not a
    /// finite number of milliseconds, which no clock gives, is kept as 0).
    public mutating func append(_ point: SeriesStore.Point) {
        let milliseconds = Self.milliseconds(point.time) ?? 0
        let last = self.chunks.count - 1
        if last >= 0 {
            if !isKnownUniquelyReferenced(&self.chunks[last]) {
                self.chunks[last] = self.chunks[last].copy()
            }
            if self.chunks[last].append(value: point.value, milliseconds: milliseconds) {
                self.count += 1
                return
            }
            if self.chunks[last].count < Self.chunkCapacity {
                self.hasShortChunk = true
            }
        }
        let chunk = Chunk.make(base: milliseconds)
        _ = chunk.append(value: point.value, milliseconds: milliseconds)
        self.chunks.append(chunk)
        self.count += 1
    }

    /// Drops the oldest point; the history must not be empty.
    public mutating func removeFirst() {
        precondition(self.count > 0, "removeFirst from an empty history")
        self.count -= 1
        self.offset += 1
        if self.offset == self.chunks[0].count {
            self.chunks.removeFirst()
            self.offset = 0
        }
    }

    /// Whether both hold the same points in the same order.
    public static func == (lhs: PointHistory, rhs: PointHistory) -> Bool {
        lhs.elementsEqual(rhs)
    }
}
