import PerfKit
import Testing

@Suite struct CacheTests {
    // MARK: - Eviction order

    @Test func evictsTheLeastRecentlyUsedEntryWhenFull() {
        let cache = Cache<String, Int>(name: "lru", capacity: 3, policy: .lru)
        cache.setValue(1, forKey: "a")
        cache.setValue(2, forKey: "b")
        cache.setValue(3, forKey: "c")
        #expect(cache.value(forKey: "a") == 1)

        cache.setValue(4, forKey: "d")

        #expect(cache.value(forKey: "b") == nil)
        #expect(cache.value(forKey: "a") == 1)
        #expect(cache.value(forKey: "c") == 3)
        #expect(cache.value(forKey: "d") == 4)
        #expect(cache.count == 3)
        #expect(cache.stats.sizeEvictions == 1)
    }

    @Test func replacingAValueRefreshesItsRecency() {
        let cache = Cache<String, Int>(name: "lru", capacity: 2, policy: .lru)
        cache.setValue(1, forKey: "a")
        cache.setValue(2, forKey: "b")
        cache.setValue(10, forKey: "a")

        cache.setValue(3, forKey: "c")

        #expect(cache.value(forKey: "b") == nil)
        #expect(cache.value(forKey: "a") == 10)
    }

    @Test func capacityOfOneKeepsOnlyTheNewestEntry() {
        let cache = Cache<Int, Int>(name: "one", capacity: 1)
        for key in 0..<5 {
            cache.setValue(key * 10, forKey: key)
        }
        #expect(cache.count == 1)
        #expect(cache.value(forKey: 4) == 40)
        #expect(cache.value(forKey: 3) == nil)
        #expect(cache.stats.sizeEvictions == 4)
    }

    @Test func matchesAReferenceModelOverRandomOperations() {
        let capacity = 8
        let cache = Cache<Int, Int>(name: "model", capacity: capacity, policy: .lru)
        var model: [(key: Int, value: Int)] = []
        var generator = SplitMix64(seed: 0x5EED)
        for step in 0..<20_000 {
            let key = Int.random(in: 0..<20, using: &generator)
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<5:
                let expected = model.firstIndex { $0.key == key }.map { model.remove(at: $0) }
                if let expected {
                    model.insert(expected, at: 0)
                }
                #expect(cache.value(forKey: key) == expected?.value, "step \(step)")
            case 5..<9:
                model.removeAll { $0.key == key }
                model.insert((key, step), at: 0)
                if model.count > capacity {
                    model.removeLast()
                }
                cache.setValue(step, forKey: key)
            default:
                let expected = model.firstIndex { $0.key == key }.map { model.remove(at: $0) }
                #expect(cache.removeValue(forKey: key) == expected?.value, "step \(step)")
            }
            #expect(cache.count == model.count, "step \(step)")
        }
    }

    // MARK: - Eviction causes

    @Test func replacementCountsAsCauseReplaced() {
        let cache = Cache<String, Int>(name: "replace", capacity: 4)
        cache.setValue(1, forKey: "a")
        cache.setValue(2, forKey: "a")

        let stats = cache.stats
        #expect(cache.value(forKey: "a") == 2)
        #expect(stats.replacements == 1)
        #expect(stats.sizeEvictions == 0)
        #expect(stats.explicitRemovals == 0)
        #expect(stats.entries == 1)
    }

    @Test func explicitRemovalCountsAsCauseExplicit() {
        let cache = Cache<String, Int>(name: "remove", capacity: 4)
        cache.setValue(1, forKey: "a")
        cache.setValue(2, forKey: "b")
        cache.setValue(3, forKey: "c")

        #expect(cache.removeValue(forKey: "a") == 1)
        #expect(cache.removeValue(forKey: "missing") == nil)
        #expect(cache.stats.explicitRemovals == 1)

        cache.removeAll()

        let stats = cache.stats
        #expect(stats.explicitRemovals == 3)
        #expect(stats.entries == 0)
        #expect(stats.sizeEvictions == 0)
        #expect(cache.value(forKey: "b") == nil)
    }

    @Test func slotsAreReusedAfterRemovalAndRemoveAll() {
        let cache = Cache<Int, String>(name: "reuse", capacity: 3)
        for round in 0..<3 {
            for key in 0..<3 {
                cache.setValue("\(round)-\(key)", forKey: key)
            }
            #expect(cache.removeValue(forKey: 1) == "\(round)-1")
            cache.setValue("new", forKey: 7)
            #expect(cache.value(forKey: 0) == "\(round)-0")
            #expect(cache.value(forKey: 7) == "new")
            cache.removeAll()
            #expect(cache.count == 0)
        }
        #expect(cache.stats.sizeEvictions == 0)
    }

    // MARK: - Stats

    @Test func countsHitsAndMissesExactly() {
        let cache = Cache<String, Int>(name: "counts", capacity: 2)
        cache.setValue(1, forKey: "a")
        _ = cache.value(forKey: "a")
        _ = cache.value(forKey: "a")
        _ = cache.value(forKey: "b")

        let stats = cache.stats
        #expect(stats.hits == 2)
        #expect(stats.misses == 1)
        #expect(stats.requests == 3)
        #expect(stats.hitRatio == 2.0 / 3.0)
        #expect(stats.capacity == 2)
    }

    @Test func hitRatioIsAbsentBeforeTheFirstRead() {
        #expect(Cache<Int, Int>(name: "empty", capacity: 1).stats.hitRatio == nil)
    }

    @Test(arguments: CachePolicy.allCases)
    func statsStayExactUnderConcurrentUse(policy: CachePolicy) async {
        let cache = Cache<Int, Int>(name: "concurrent", capacity: 16, policy: policy)
        let tasks = 8
        let operationsPerTask = 5_000
        let totals = await withTaskGroup(of: (reads: Int, writes: Int, removals: Int).self) { group in
            for seed in 0..<tasks {
                group.addTask {
                    var generator = SplitMix64(seed: UInt64(seed))
                    var counts = (reads: 0, writes: 0, removals: 0)
                    for step in 0..<operationsPerTask {
                        let key = Int.random(in: 0..<64, using: &generator)
                        switch Int.random(in: 0..<10, using: &generator) {
                        case 0..<6:
                            _ = cache.value(forKey: key)
                            counts.reads += 1
                        case 6..<9:
                            cache.setValue(step, forKey: key)
                            counts.writes += 1
                        default:
                            cache.removeValue(forKey: key)
                            counts.removals += 1
                        }
                    }
                    return counts
                }
            }
            var totals = (reads: 0, writes: 0, removals: 0)
            for await counts in group {
                totals.reads += counts.reads
                totals.writes += counts.writes
                totals.removals += counts.removals
            }
            return totals
        }

        let stats = cache.stats
        #expect(stats.hits + stats.misses == totals.reads)
        #expect(stats.entries <= 16)
        #expect(stats.entries == cache.count)
        #expect(stats.explicitRemovals <= totals.removals)
        // Every write replaced a value or inserted an entry that is still there or left for a reason.
        #expect(stats.replacements + stats.entries + stats.sizeEvictions + stats.explicitRemovals == totals.writes)
        #expect(stats.expirations == 0)
        #expect(stats.weight == stats.entries)
    }

    // MARK: - Samples

    @Test func reportsTheWellKnownSamples() {
        let cache = Cache<String, Int>(name: "users", capacity: 2, policy: .lru)
        cache.setValue(1, forKey: "a")
        cache.setValue(2, forKey: "a")
        cache.setValue(3, forKey: "b")
        cache.setValue(4, forKey: "c")
        _ = cache.value(forKey: "c")
        _ = cache.value(forKey: "a")

        let label = ["cache": "users"]
        let expected = [
            Sample(name: "cache_hits_total", labels: label, kind: .counter, value: 1),
            Sample(name: "cache_misses_total", labels: label, kind: .counter, value: 1),
            Sample(
                name: "cache_evictions_total",
                labels: ["cache": "users", "cause": "size"],
                kind: .counter,
                value: 1
            ),
            Sample(
                name: "cache_evictions_total",
                labels: ["cache": "users", "cause": "replaced"],
                kind: .counter,
                value: 1
            ),
            Sample(
                name: "cache_evictions_total",
                labels: ["cache": "users", "cause": "explicit"],
                kind: .counter,
                value: 0
            ),
            Sample(
                name: "cache_evictions_total",
                labels: ["cache": "users", "cause": "expired"],
                kind: .counter,
                value: 0
            ),
            Sample(name: "cache_entries", labels: label, kind: .gauge, value: 2),
            Sample(name: "cache_capacity", labels: label, kind: .gauge, value: 2),
            Sample(name: "cache_weight", labels: label, kind: .gauge, value: 2),
        ]
        #expect(cache.collectSamples() == expected)
    }

    @Test func aCacheBoundedOnlyByWeightReportsNoCapacity() {
        let cache = Cache<String, String>(name: "blobs", maximumWeight: 100, weigher: { _, value in value.count })
        cache.setValue("abc", forKey: "a")
        let names = cache.collectSamples().map(\.name)
        #expect(!names.contains("cache_capacity"))
        #expect(names.contains("cache_weight"))
    }
}
