import Foundation
import PerfKit
import Testing

@Suite struct CacheStatsDeltaTests {
    // MARK: - CacheStats

    @Test func subtractsCountersAndKeepsNewerGauges() {
        let earlier = CacheStats(
            hits: 10,
            misses: 5,
            sizeEvictions: 2,
            replacements: 1,
            explicitRemovals: 1,
            entries: 8,
            capacity: 100,
            expirations: 3,
            weight: 80,
            maximumWeight: 1_000
        )
        let later = CacheStats(
            hits: 40,
            misses: 15,
            sizeEvictions: 6,
            replacements: 2,
            explicitRemovals: 4,
            entries: 12,
            capacity: 100,
            expirations: 3,
            weight: 120,
            maximumWeight: 1_000
        )

        let delta = later.delta(since: earlier)

        #expect(delta.hits == 30)
        #expect(delta.misses == 10)
        #expect(delta.sizeEvictions == 4)
        #expect(delta.replacements == 1)
        #expect(delta.explicitRemovals == 3)
        #expect(delta.expirations == 0)
        #expect(delta.entries == 12)
        #expect(delta.weight == 120)
        #expect(delta.capacity == 100)
        #expect(delta.maximumWeight == 1_000)
        #expect(delta.hitRatio == 0.75)
    }

    @Test func aCounterThatWentDownYieldsTheNewerSnapshot() {
        let earlier = CacheStats(
            hits: 100,
            misses: 50,
            sizeEvictions: 0,
            replacements: 0,
            explicitRemovals: 0,
            entries: 20,
            capacity: 100
        )
        let recreated = CacheStats(
            hits: 3,
            misses: 60,
            sizeEvictions: 0,
            replacements: 0,
            explicitRemovals: 0,
            entries: 2,
            capacity: 100
        )

        #expect(recreated.delta(since: earlier) == recreated)
    }

    @Test func anIdleIntervalHasNoHitRatio() {
        let stats = CacheStats(
            hits: 7,
            misses: 3,
            sizeEvictions: 0,
            replacements: 0,
            explicitRemovals: 0,
            entries: 1,
            capacity: 10
        )

        #expect(stats.delta(since: stats).requests == 0)
        #expect(stats.delta(since: stats).hitRatio == nil)
    }

    @Test func deltaOfALiveCacheCountsOnlyTheInterval() {
        let cache = Cache<Int, Int>(name: "ints", capacity: 10)
        cache.setValue(1, forKey: 1)
        _ = cache.value(forKey: 1)
        _ = cache.value(forKey: 2)
        let earlier = cache.stats
        _ = cache.value(forKey: 1)
        _ = cache.value(forKey: 1)
        _ = cache.value(forKey: 1)
        _ = cache.value(forKey: 3)

        let delta = cache.stats.delta(since: earlier)

        #expect(delta.hits == 3)
        #expect(delta.misses == 1)
        #expect(delta.hitRatio == 0.75)
        #expect(delta.entries == 1)
    }

    // MARK: - LoadStats

    @Test func subtractsLoadCounters() {
        var earlier = LoadStats()
        earlier.successes = 4
        earlier.failures = 1
        earlier.totalLoadTime = .milliseconds(50)
        var later = earlier
        later.successes = 10
        later.failures = 3
        later.totalLoadTime = .milliseconds(80)

        let delta = later.delta(since: earlier)

        #expect(delta.successes == 6)
        #expect(delta.failures == 2)
        #expect(delta.loads == 8)
        #expect(delta.totalLoadTime == .milliseconds(30))
    }

    @Test func aLoadCounterThatWentDownYieldsTheNewerSnapshot() {
        var earlier = LoadStats()
        earlier.successes = 4
        earlier.totalLoadTime = .milliseconds(50)
        var recreated = LoadStats()
        recreated.successes = 9
        recreated.totalLoadTime = .milliseconds(10)

        #expect(recreated.delta(since: earlier) == recreated)
    }

    // MARK: - DiskCacheStats

    @Test func subtractsDiskCountersAndKeepsNewerGauges() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("CacheStatsDeltaTests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = try DiskCache<Int>(name: "ints", directory: directory, maxBytes: 1 << 20)
        try cache.setValue(1, forKey: "a")
        _ = cache.value(forKey: "a")
        _ = cache.value(forKey: "b")
        let earlier = cache.stats
        try cache.setValue(2, forKey: "b")
        _ = cache.value(forKey: "a")
        _ = cache.value(forKey: "b")
        _ = cache.value(forKey: "b")
        _ = cache.value(forKey: "c")

        let later = cache.stats
        let delta = later.delta(since: earlier)

        #expect(delta.hits == 3)
        #expect(delta.misses == 1)
        #expect(delta.writes == 1)
        #expect(delta.evictions == 0)
        #expect(delta.entries == 2)
        #expect(delta.bytes == later.bytes)
        #expect(delta.maxBytes == 1 << 20)
        #expect(delta.hitRatio == 0.75)

        // Reopening the directory starts the counters again: the delta is the reopened cache's counts.
        let reopened = try DiskCache<Int>(name: "ints", directory: directory, maxBytes: 1 << 20)
        _ = reopened.value(forKey: "a")
        #expect(reopened.stats.delta(since: later) == reopened.stats)
        #expect(reopened.stats.delta(since: later).hits == 1)
    }
}
