import PerfKit
import Testing

@Suite struct CacheWeightTests {
    // MARK: - Bounds

    @Test(arguments: CachePolicy.allCases)
    func weightNeverExceedsTheMaximumOverRandomOperations(policy: CachePolicy) {
        let maximumWeight = 100
        let cache = Cache<Int, Int>(
            name: "weighted",
            maximumWeight: maximumWeight,
            weigher: { _, value in value },
            policy: policy
        )
        var generator = SplitMix64(seed: 0xB0B)
        var writes = 0
        for step in 0..<10_000 {
            let key = Int.random(in: 0..<40, using: &generator)
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<4:
                _ = cache.value(forKey: key)
            case 4..<9:
                cache.setValue(Int.random(in: 0...120, using: &generator), forKey: key)
                writes += 1
            default:
                cache.removeValue(forKey: key)
            }
            let stats = cache.stats
            #expect(stats.weight <= maximumWeight, "step \(step)")
            #expect(stats.weight >= 0, "step \(step)")
            if step % 500 == 0 {
                let stored = (0..<40).compactMap { cache.value(forKey: $0) }
                #expect(stored.reduce(0, +) == stats.weight, "step \(step)")
                #expect(stored.count == stats.entries, "step \(step)")
            }
        }
        let stats = cache.stats
        #expect(stats.replacements + stats.entries + stats.sizeEvictions + stats.explicitRemovals == writes)
        #expect(stats.sizeEvictions > 0)
    }

    @Test(arguments: CachePolicy.allCases)
    func bothBoundsHoldTogether(policy: CachePolicy) {
        let cache = Cache<Int, Int>(
            name: "both",
            capacity: 5,
            maximumWeight: 50,
            weigher: { _, value in value },
            policy: policy
        )
        for key in 0..<20 {
            cache.setValue(1, forKey: key)
            #expect(cache.count <= 5)
        }
        for key in 20..<40 {
            cache.setValue(20, forKey: key)
            #expect(cache.stats.weight <= 50)
        }
        #expect(cache.stats.maximumWeight == 50)
        #expect(cache.stats.capacity == 5)
    }

    // MARK: - Heavy entries

    @Test(arguments: CachePolicy.allCases)
    func anEntryHeavierThanTheMaximumIsNotStored(policy: CachePolicy) {
        let cache = Cache<String, [UInt8]>(
            name: "bytes",
            maximumWeight: 10,
            weigher: { _, value in value.count },
            policy: policy
        )
        cache.setValue([1, 2, 3], forKey: "small")

        cache.setValue(Array(repeating: 0, count: 11), forKey: "huge")

        #expect(cache.value(forKey: "huge") == nil)
        #expect(cache.value(forKey: "small") == [1, 2, 3])
        #expect(cache.stats.sizeEvictions == 1)
        #expect(cache.stats.weight == 3)

        cache.setValue(Array(repeating: 0, count: 11), forKey: "small")

        let stats = cache.stats
        #expect(cache.value(forKey: "small") == nil)
        #expect(stats.replacements == 1)
        #expect(stats.sizeEvictions == 2)
        #expect(stats.weight == 0)
        #expect(stats.entries == 0)
    }

    @Test func replacingAValueUpdatesTheWeight() {
        let cache = Cache<String, Int>(name: "reweigh", maximumWeight: 10, weigher: { _, value in value }, policy: .lru)
        cache.setValue(4, forKey: "a")
        cache.setValue(4, forKey: "b")

        cache.setValue(6, forKey: "a")

        #expect(cache.stats.weight == 10)
        cache.setValue(1, forKey: "c")
        #expect(cache.value(forKey: "b") == nil)
        #expect(cache.stats.weight == 7)
    }
}
