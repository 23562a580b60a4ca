import PerfKit
import Testing

@Suite struct CacheWarmerTests {
    struct LoadFailed: Error {}

    @Test(arguments: [1, 3, 8])
    func warmingRespectsTheConcurrencyBound(maxConcurrency: Int) async {
        let cache = LoadingCache<Int, Int>(name: "warm", capacity: 100)
        let probe = ConcurrencyProbe()

        let report = await cache.warm(keys: 0..<50, maxConcurrency: maxConcurrency) { key in
            probe.enter()
            defer { probe.leave() }
            for _ in 0..<10 {
                await Task.yield()
            }
            return key * 10
        }

        #expect(report == CacheWarmingReport(loaded: 50, failed: 0))
        #expect(probe.maximum <= maxConcurrency)
        #expect(probe.maximum >= 1)
        #expect(cache.cache.stats.entries == 50)
        #expect(cache.cache.value(forKey: 49) == 490)
    }

    @Test func countsFailuresWithoutStopping() async {
        let cache = LoadingCache<Int, Int>(name: "warm", capacity: 100)

        let report = await cache.warm(keys: 0..<20, maxConcurrency: 4) { key in
            if key.isMultiple(of: 5) {
                throw LoadFailed()
            }
            return key
        }

        #expect(report == CacheWarmingReport(loaded: 16, failed: 4))
        #expect(cache.cache.stats.entries == 16)
        #expect(cache.loadStats.failures == 4)
    }
}
