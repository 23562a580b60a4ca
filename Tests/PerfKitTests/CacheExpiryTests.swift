import PerfKit
import PerfKitTestKit
import Testing

@Suite struct CacheExpiryTests {
    // MARK: - Time to live

    @Test(arguments: CachePolicy.allCases)
    func entriesExpireAfterTheirTimeToLive(policy: CachePolicy) {
        let clock = ManualClock()
        let cache = Cache<String, Int>(
            name: "ttl",
            capacity: 10,
            policy: policy,
            timeToLive: .seconds(10),
            clock: clock
        )
        cache.setValue(1, forKey: "a")
        clock.advance(by: .seconds(5))
        cache.setValue(2, forKey: "b")
        #expect(cache.value(forKey: "a") == 1)

        clock.advance(by: .seconds(5))

        #expect(cache.value(forKey: "a") == nil)
        #expect(cache.value(forKey: "b") == 2)
        #expect(cache.count == 1)

        clock.advance(by: .seconds(5))

        #expect(cache.value(forKey: "b") == nil)
        let stats = cache.stats
        #expect(stats.expirations == 2)
        #expect(stats.hits == 2)
        #expect(stats.misses == 2)
        #expect(stats.entries == 0)
        #expect(stats.weight == 0)
        #expect(stats.sizeEvictions + stats.explicitRemovals + stats.replacements == 0)
    }

    @Test func replacingAValueRestartsItsTimeToLive() {
        let clock = ManualClock()
        let cache = Cache<String, Int>(name: "ttl", capacity: 10, timeToLive: .seconds(10), clock: clock)
        cache.setValue(1, forKey: "a")
        clock.advance(by: .seconds(8))
        cache.setValue(2, forKey: "a")

        clock.advance(by: .seconds(8))

        #expect(cache.value(forKey: "a") == 2)
        clock.advance(by: .seconds(2))
        #expect(cache.value(forKey: "a") == nil)
        #expect(cache.stats.expirations == 1)
        #expect(cache.stats.replacements == 1)
    }

    @Test func readingDoesNotExtendTheTimeToLive() {
        let clock = ManualClock()
        let cache = Cache<String, Int>(name: "ttl", capacity: 10, timeToLive: .seconds(10), clock: clock)
        cache.setValue(1, forKey: "a")
        for _ in 0..<9 {
            clock.advance(by: .seconds(1))
            #expect(cache.value(forKey: "a") == 1)
        }

        clock.advance(by: .seconds(1))

        #expect(cache.value(forKey: "a") == nil)
    }

    // MARK: - Time to idle

    @Test(arguments: CachePolicy.allCases)
    func entriesExpireAfterTheirTimeToIdle(policy: CachePolicy) {
        let clock = ManualClock()
        let cache = Cache<String, Int>(
            name: "tti",
            capacity: 10,
            policy: policy,
            timeToIdle: .seconds(10),
            clock: clock
        )
        cache.setValue(1, forKey: "a")
        cache.setValue(2, forKey: "b")
        clock.advance(by: .seconds(6))
        #expect(cache.value(forKey: "a") == 1)

        clock.advance(by: .seconds(6))

        #expect(cache.value(forKey: "b") == nil)
        #expect(cache.value(forKey: "a") == 1)

        clock.advance(by: .seconds(10))

        #expect(cache.value(forKey: "a") == nil)
        #expect(cache.stats.expirations == 2)
        #expect(cache.stats.misses == 2)
    }

    @Test func theEarlierOfTimeToLiveAndTimeToIdleWins() {
        let clock = ManualClock()
        let cache = Cache<String, Int>(
            name: "both",
            capacity: 10,
            timeToLive: .seconds(10),
            timeToIdle: .seconds(4),
            clock: clock
        )
        cache.setValue(1, forKey: "busy")
        cache.setValue(2, forKey: "idle")
        for _ in 0..<3 {
            clock.advance(by: .seconds(3))
            #expect(cache.value(forKey: "busy") == 1)
        }
        #expect(cache.value(forKey: "idle") == nil)

        clock.advance(by: .seconds(1))

        #expect(cache.value(forKey: "busy") == nil)
        #expect(cache.stats.expirations == 2)
    }

    // MARK: - Counting

    @Test(arguments: CachePolicy.allCases)
    func statsStayExactWhileEntriesExpireConcurrently(policy: CachePolicy) async {
        let clock = ManualClock()
        let cache = Cache<Int, Int>(
            name: "concurrent",
            capacity: 32,
            maximumWeight: 200,
            weigher: { _, value in value % 20 },
            policy: policy,
            timeToLive: .milliseconds(50),
            timeToIdle: .milliseconds(20),
            clock: clock
        )
        let totals = await withTaskGroup(of: (reads: Int, writes: Int).self) { group in
            for seed in 0..<8 {
                group.addTask {
                    var generator = SplitMix64(seed: UInt64(seed) + 100)
                    var counts = (reads: 0, writes: 0)
                    for step in 0..<4_000 {
                        let key = Int.random(in: 0..<64, using: &generator)
                        switch Int.random(in: 0..<10, using: &generator) {
                        case 0..<5:
                            _ = cache.value(forKey: key)
                            counts.reads += 1
                        case 5..<9:
                            cache.setValue(step, forKey: key)
                            counts.writes += 1
                        default:
                            clock.advance(by: .milliseconds(1))
                        }
                    }
                    return counts
                }
            }
            var totals = (reads: 0, writes: 0)
            for await counts in group {
                totals.reads += counts.reads
                totals.writes += counts.writes
            }
            return totals
        }

        let stats = cache.stats
        #expect(stats.hits + stats.misses == totals.reads)
        #expect(stats.replacements + stats.entries + stats.sizeEvictions + stats.expirations == totals.writes)
        #expect(stats.entries <= 32)
        #expect(stats.weight <= 200)
        #expect(stats.explicitRemovals == 0)

        clock.advance(by: .milliseconds(50))

        let expired = cache.stats
        #expect(expired.entries == 0)
        #expect(expired.weight == 0)
        #expect(expired.expirations == stats.expirations + stats.entries)
        #expect(expired.expirations > 0)
    }

    @Test func expiredEntriesAreNeitherRemovedExplicitlyNorEvictedForSize() {
        let clock = ManualClock()
        let cache = Cache<Int, Int>(name: "ttl", capacity: 2, policy: .lru, timeToLive: .seconds(1), clock: clock)
        cache.setValue(1, forKey: 1)
        cache.setValue(2, forKey: 2)
        clock.advance(by: .seconds(1))

        #expect(cache.removeValue(forKey: 1) == nil)
        cache.setValue(3, forKey: 3)
        cache.setValue(4, forKey: 4)
        cache.removeAll()

        let stats = cache.stats
        #expect(stats.expirations == 2)
        #expect(stats.sizeEvictions == 0)
        #expect(stats.explicitRemovals == 2)
        #expect(stats.totalEvictions == 4)
        let evictions = samples(named: "cache_evictions_total", in: cache.collectSamples())
        #expect(evictions[["cache": "ttl", "cause": "expired"]]?.value == 2)
    }
}
