import BenchmarkSupport
import PerfKit

/// A ``SemanticCache`` lookup that misses the exact prompt: one embedding (precomputed here, so only
/// the cache's own work is timed: normalising and searching every cached embedding by brute force).
enum SemanticSearchBenchmark {
    static let dimensions = 384
    static let lookups = 200

    static func run() async {
        print()
        print("5. Semantic cache: a lookup that misses the exact prompt (normalise + brute-force search), one core")
        var table = TextTable(["entries", "dims", "median", "p95", "per entry"])
        for entries in [1_000, 10_000, 50_000] {
            var generator = SplitMix64(seed: 0x5EED_0005)
            let vectors = (0..<entries + Self.lookups).map { _ in
                (0..<Self.dimensions).map { _ in Float(generator.nextUnitDouble() * 2 - 1) }
            }
            let cache = SemanticCache<Int>(
                name: "bench",
                capacity: entries,
                dimensions: Self.dimensions,
                similarityThreshold: 0.99,
                policy: .lru
            ) { prompt in
                vectors[Int(prompt)!]
            }
            for entry in 0..<entries {
                try? cache.store(entry, prompt: String(entry), embedding: vectors[entry])
            }
            let clock = ContinuousClock()
            var durations: [Duration] = []
            var misses = 0
            for query in entries..<entries + Self.lookups {
                let start = clock.now
                if case .miss = try? await cache.lookup(String(query)) {
                    misses += 1
                }
                durations.append(start.duration(to: clock.now))
            }
            durations.sort()
            let microseconds = { (duration: Duration) in
                Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) * 1e-12
            }
            let median = microseconds(durations[durations.count / 2])
            table.append([
                "\(entries)", "\(Self.dimensions)", formatted(median, digits: 1) + " µs",
                formatted(microseconds(durations[durations.count * 95 / 100]), digits: 1) + " µs",
                formatted(median * 1000 / Double(entries), digits: 1) + " ns",
            ])
            blackHole(misses)
        }
        print(table.render())
        print("random unit vectors, threshold 0.99 (every lookup misses, so every row is compared)")
    }
}
