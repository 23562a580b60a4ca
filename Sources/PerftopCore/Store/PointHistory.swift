/// A series' points, oldest first, kept in chunks of ``chunkCapacity`` that copies share.
///
/// A model takes the histories of the rows it may graph every round; with the points in one buffer,
/// the store's next append to a series whose history a model still held copied the whole buffer
/// (300 points, for each of thousands of series at a hundred sources). Here a copy shares every
/// chunk, and an append copies at most the newest chunk, the only one that changes; dropping the
/// oldest point frees a chunk once all its points are gone.
///
/// Cost: O(1) to read a point by index, to append and to drop the oldest point (amortised; an
/// append to a chunk a copy still holds copies that chunk); copying is one retain.
public struct PointHistory: RandomAccessCollection, Sendable, Equatable, ExpressibleByArrayLiteral {
    /// The points a chunk holds.
    static let chunkCapacity = 64

    /// A run of consecutive points.
    ///
    /// `@unchecked Sendable`: its points are written only by ``PointHistory/append(_:)`` after
    /// `isKnownUniquelyReferenced` proved that no other history (on any thread) holds the chunk.
    private final class Chunk: @unchecked Sendable {
        var points: ContiguousArray<SeriesStore.Point>

        init(_ points: ContiguousArray<SeriesStore.Point>) {
            self.points = points
            self.points.reserveCapacity(PointHistory.chunkCapacity)
        }
    }

    private var chunks: ContiguousArray<Chunk> = []
    /// The index in the first chunk of the first point.
    private var offset = 0
    /// The number of points.
    public private(set) var count = 0

    /// An empty history.
    public init() {}

    /// A history of `points`, oldest first.
    public init(_ points: some Sequence<SeriesStore.Point>) {
        for point in points {
            self.append(point)
        }
    }

    public init(arrayLiteral points: SeriesStore.Point...) {
        self.init(points)
    }

    public var startIndex: Int { 0 }

    public var endIndex: Int { self.count }

    public subscript(position: Int) -> SeriesStore.Point {
        precondition(position >= 0 && position < self.count, "index out of range")
        let absolute = self.offset + position
        return self.chunks[absolute / Self.chunkCapacity].points[absolute % Self.chunkCapacity]
    }

    /// Appends `point` as the newest.
    public mutating func append(_ point: SeriesStore.Point) {
        let last = self.chunks.count - 1
        if last >= 0, self.chunks[last].points.count < Self.chunkCapacity {
            if !isKnownUniquelyReferenced(&self.chunks[last]) {
                self.chunks[last] = Chunk(self.chunks[last].points)
            }
            self.chunks[last].points.append(point)
        } else {
            self.chunks.append(Chunk([point]))
        }
        self.count += 1
    }

    /// Drops the oldest point; the history must not be empty.
    public mutating func removeFirst() {
        precondition(self.count > 0, "removeFirst from an empty history")
        self.count -= 1
        self.offset += 1
        if self.offset == Self.chunkCapacity || self.count == 0 {
            self.chunks.removeFirst()
            self.offset = 0
        }
    }

    public static func == (lhs: PointHistory, rhs: PointHistory) -> Bool {
        lhs.elementsEqual(rhs)
    }
}
