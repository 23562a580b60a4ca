/// Unit vectors by key, searched by brute force for the most similar one: the embeddings of a
/// ``SemanticCache``.
///
/// The vectors sit in one contiguous array, a row per key, so a search is one pass over memory with
/// SIMD dot products; each row also keeps a hash of its key's group (the model parameters),
/// so rows of other groups are skipped without comparing strings. Brute force is exact and has
/// nothing to tune; at 10,000 rows of 384 dimensions it is a few hundred microseconds
/// (docs/performance.md), where an approximate index (HNSW, IVF) would pay off only from about a
/// hundred thousand rows.
///
/// Not thread-safe: its owner holds it in a `Mutex`. Bounded: at most `rows` keys; ``insert(_:normalized:)``
/// needs a free row (``hasFreeRow(for:)``, ``removeAll(where:)``).
struct VectorIndex<Key: Hashable & Sendable>: Sendable where Key: GroupedKey {
    let dimensions: Int
    private(set) var vectors: [Float]
    private var keys: [Key?]
    private var groups: [Int]
    private var occupied: [Bool]
    private var rowOfKey: [Key: Int] = [:]
    private var freeRows: [Int]

    /// An empty index of `rows` rows of `dimensions` floats (allocated now: rows × dimensions × 4 bytes).
    init(dimensions: Int, rows: Int) {
        self.dimensions = dimensions
        self.vectors = [Float](repeating: 0, count: rows * dimensions)
        self.keys = [Key?](repeating: nil, count: rows)
        self.groups = [Int](repeating: 0, count: rows)
        self.occupied = [Bool](repeating: false, count: rows)
        self.freeRows = Array((0..<rows).reversed())
    }

    /// The number of keys held.
    var count: Int {
        self.rowOfKey.count
    }

    /// Whether `key` can be inserted now: it has a row already, or a row is free.
    func hasFreeRow(for key: Key) -> Bool {
        self.rowOfKey[key] != nil || !self.freeRows.isEmpty
    }

    /// Stores `normalized` (length 1, ``dimensions`` long) for `key`, in its row if it has one.
    mutating func insert(_ key: Key, normalized: [Float]) {
        precondition(normalized.count == self.dimensions, "VectorIndex: a vector of the wrong length")
        guard let row = self.rowOfKey[key] ?? self.freeRows.popLast() else {
            preconditionFailure("VectorIndex: no free row (check hasFreeRow first)")
        }
        self.rowOfKey[key] = row
        self.keys[row] = key
        self.groups[row] = key.group.hashValue
        self.occupied[row] = true
        let start = row * self.dimensions
        self.vectors.replaceSubrange(start..<start + self.dimensions, with: normalized)
    }

    /// Forgets `key`, if it is held.
    mutating func remove(_ key: Key) {
        guard let row = self.rowOfKey.removeValue(forKey: key) else {
            return
        }
        self.keys[row] = nil
        self.occupied[row] = false
        self.freeRows.append(row)
    }

    /// Forgets every key `isStale` accepts. Cost: O(rows), one call per key held.
    mutating func removeAll(where isStale: (Key) -> Bool) {
        for key in self.rowOfKey.keys where isStale(key) {
            self.remove(key)
        }
    }

    /// The key of `group` whose vector is most similar to `query` (cosine, both of length 1), if its
    /// similarity reaches `threshold`. Cost: one pass over the rows, O(rows × dimensions); the loop
    /// reads only the vectors and the groups' hashes.
    func nearest(to query: [Float], group: Key.Group, threshold: Float) -> (key: Key, similarity: Float)? {
        precondition(query.count == self.dimensions, "VectorIndex: a query of the wrong length")
        let groupHash = group.hashValue
        let dimensions = self.dimensions
        var best: (key: Key, similarity: Float)?
        self.vectors.withUnsafeBufferPointer { vectors in
            query.withUnsafeBufferPointer { query in
                self.groups.withUnsafeBufferPointer { groups in
                    self.occupied.withUnsafeBufferPointer { occupied in
                        for row in 0..<occupied.count where occupied[row] && groups[row] == groupHash {
                            let similarity = Self.dot(query, vectors, from: row * dimensions, count: dimensions)
                            guard similarity >= threshold, similarity > best?.similarity ?? -.infinity,
                                let key = self.keys[row], key.group == group
                            else {
                                continue
                            }
                            best = (key, similarity)
                        }
                    }
                }
            }
        }
        return best
    }

    /// The dot product of `query` and the `count` floats of `vectors` from `start`, 32 lanes at a
    /// time in two accumulators. Multiply and add, not `addProduct`: without FMA in the target's
    /// baseline (x86-64), a fused multiply-add is a library call per lane.
    @inline(__always)
    private static func dot(
        _ query: UnsafeBufferPointer<Float>,
        _ vectors: UnsafeBufferPointer<Float>,
        from start: Int,
        count: Int
    ) -> Float {
        var first = SIMD16<Float>()
        var second = SIMD16<Float>()
        var index = 0
        let queryBase = UnsafeRawPointer(query.baseAddress!)
        let rowBase = UnsafeRawPointer(vectors.baseAddress! + start)
        let stride = MemoryLayout<Float>.stride
        while index + 32 <= count {
            let offset = index * stride
            first +=
                queryBase.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                * rowBase.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            second +=
                queryBase.loadUnaligned(fromByteOffset: offset + 16 * stride, as: SIMD16<Float>.self)
                * rowBase.loadUnaligned(fromByteOffset: offset + 16 * stride, as: SIMD16<Float>.self)
            index += 32
        }
        var sum = (first + second).sum()
        while index < count {
            sum += query[index] * vectors[start + index]
            index += 1
        }
        return sum
    }
}

/// A key whose entries form groups that are searched apart, e.g. the model parameters of a prompt.
protocol GroupedKey: Hashable {
    associatedtype Group: Hashable
    /// The group the key belongs to.
    var group: Group { get }
}
