import Testing

@testable import PerfKit

/// Brute-force nearest search against a plain loop, groups kept apart, rows reused.
struct VectorIndexTests {
    struct Key: GroupedKey, Sendable {
        var group: String
        var name: String
    }

    private static func unit(_ vector: [Float]) -> [Float] {
        let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return vector.map { $0 / length }
    }

    @Test("finds the most similar row of the group, as a plain loop does, for lengths around the SIMD width")
    func matchesAPlainLoop() {
        for dimensions in [1, 15, 16, 31, 32, 33, 384] {
            var generator = SplitMix64(seed: UInt64(dimensions))
            let random = { (count: Int) in
                Self.unit((0..<count).map { _ in Float(generator.nextUnitDouble() * 2 - 1) })
            }
            var index = VectorIndex<Key>(dimensions: dimensions, rows: 64)
            var stored: [(Key, [Float])] = []
            for row in 0..<60 {
                let key = Key(group: row % 3 == 0 ? "other" : "main", name: "k\(row)")
                let vector = random(dimensions)
                index.insert(key, normalized: vector)
                stored.append((key, vector))
            }
            let query = random(dimensions)
            let expected =
                stored.filter { $0.0.group == "main" }
                .map { ($0.0, zip($0.1, query).reduce(Float(0)) { $0 + $1.0 * $1.1 }) }
                .max { $0.1 < $1.1 }
            let found = index.nearest(to: query, group: "main", threshold: -1)
            #expect(found?.key == expected?.0, "\(dimensions) dimensions")
            #expect(abs((found?.similarity ?? 9) - (expected?.1 ?? 0)) < 1e-4)
            #expect(index.nearest(to: query, group: "main", threshold: 1.01) == nil)
        }
    }

    @Test("removed keys are not found and free their rows")
    func removing() {
        var index = VectorIndex<Key>(dimensions: 2, rows: 2)
        let (a, b, c) = (Key(group: "", name: "a"), Key(group: "", name: "b"), Key(group: "", name: "c"))
        index.insert(a, normalized: [1, 0])
        index.insert(b, normalized: [0, 1])
        #expect(!index.hasFreeRow(for: c))
        #expect(index.hasFreeRow(for: a), "a key keeps its row")
        index.removeAll { $0 == a }
        #expect(index.nearest(to: [1, 0], group: "", threshold: 0.5) == nil)
        index.insert(c, normalized: [1, 0])
        #expect(index.nearest(to: [1, 0], group: "", threshold: 0.5)?.key == c)
        #expect(index.count == 2)
    }
}
