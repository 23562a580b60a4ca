import PerfKit
import Testing

@Suite struct CachePolicyTests {
    // MARK: - Eviction order

    @Test func lfuEvictsTheLeastFrequentlyUsedEntry() {
        let cache = Cache<String, Int>(name: "lfu", capacity: 3, policy: .lfu)
        cache.setValue(1, forKey: "a")
        cache.setValue(2, forKey: "b")
        cache.setValue(3, forKey: "c")
        _ = cache.value(forKey: "a")
        _ = cache.value(forKey: "a")
        _ = cache.value(forKey: "b")

        cache.setValue(4, forKey: "d")
        cache.setValue(5, forKey: "e")

        #expect(cache.value(forKey: "c") == nil)
        #expect(cache.value(forKey: "d") == nil)
        #expect(cache.value(forKey: "a") == 1)
        #expect(cache.value(forKey: "b") == 2)
        #expect(cache.value(forKey: "e") == 5)
        #expect(cache.stats.sizeEvictions == 2)
    }

    @Test func lfuBreaksTiesByRecency() {
        let cache = Cache<String, Int>(name: "lfu", capacity: 3, policy: .lfu)
        cache.setValue(1, forKey: "a")
        cache.setValue(2, forKey: "b")
        cache.setValue(3, forKey: "c")
        _ = cache.value(forKey: "a")
        _ = cache.value(forKey: "b")

        cache.setValue(4, forKey: "d")

        #expect(cache.value(forKey: "c") == nil)
        cache.setValue(5, forKey: "c")

        #expect(cache.value(forKey: "d") == nil)
        #expect(cache.value(forKey: "a") == 1)
    }

    @Test func fifoEvictsTheOldestWriteWhateverWasRead() {
        let cache = Cache<String, Int>(name: "fifo", capacity: 3, policy: .fifo)
        cache.setValue(1, forKey: "a")
        cache.setValue(2, forKey: "b")
        cache.setValue(3, forKey: "c")
        _ = cache.value(forKey: "a")
        cache.setValue(20, forKey: "b")

        cache.setValue(4, forKey: "d")
        #expect(cache.value(forKey: "a") == nil)

        cache.setValue(5, forKey: "e")
        #expect(cache.value(forKey: "b") == nil)
        #expect(cache.value(forKey: "c") == 3)
        #expect(cache.count == 3)
    }

    @Test(arguments: [CachePolicy.lru, .lfu, .fifo])
    func matchesAReferenceModelOverRandomOperations(policy: CachePolicy) {
        let capacity = 8
        let cache = Cache<Int, Int>(name: "model", capacity: capacity, policy: policy)
        var model = ReferenceModel(policy: policy)
        var generator = SplitMix64(seed: 0xCAFE)
        for step in 0..<20_000 {
            let key = Int.random(in: 0..<20, using: &generator)
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<5:
                #expect(cache.value(forKey: key) == model.read(key, at: step), "step \(step)")
            case 5..<9:
                model.write(step, forKey: key, at: step, capacity: capacity)
                cache.setValue(step, forKey: key)
            default:
                #expect(cache.removeValue(forKey: key) == model.remove(key), "step \(step)")
            }
            #expect(cache.count == model.entries.count, "step \(step)")
        }
    }

    // MARK: - W-TinyLFU

    @Test(arguments: [(CachePolicy.windowTinyLFU, true), (.lru, false)])
    func frequentlyUsedKeysSurviveAScanOfOneHitWonders(policy: CachePolicy, survives: Bool) {
        let cache = Cache<Int, Int>(name: "scan", capacity: 100, policy: policy)
        let hotKeys = 0..<20
        for key in hotKeys {
            cache.setValue(key, forKey: key)
        }
        // 14 reads saturate the hot keys' 4-bit counters (15), so no one-hit wonder can be estimated
        // more frequent, whatever the hash seed; the scan is too short to age the sketch.
        for _ in 0..<14 {
            for key in hotKeys {
                #expect(cache.value(forKey: key) == key)
            }
        }

        for key in 1_000..<1_500 {
            cache.setValue(key, forKey: key)
        }

        let survivors = hotKeys.filter { cache.value(forKey: $0) != nil }
        #expect(survivors.count == (survives ? hotKeys.count : 0))
        #expect(cache.count == 100)
        #expect(cache.stats.sizeEvictions == 520 - 100)
    }

    @Test func admitsAWindowVictimMoreFrequentThanTheMainVictim() {
        let cache = Cache<Int, Int>(name: "admission", capacity: 100)
        for key in 0..<100 {
            cache.setValue(key, forKey: key)
        }
        cache.setValue(1_000, forKey: 1_000)
        for _ in 0..<5 {
            #expect(cache.value(forKey: 1_000) == 1_000)
        }

        cache.setValue(2_000, forKey: 2_000)

        #expect(cache.value(forKey: 1_000) == 1_000)
        #expect(cache.value(forKey: 99) == nil)
        #expect(cache.value(forKey: 0) == nil)
        #expect(cache.value(forKey: 1) == 1)
        #expect(cache.count == 100)
    }

    @Test func rejectsAWindowVictimLessFrequentThanTheMainVictim() {
        let cache = Cache<Int, Int>(name: "admission", capacity: 100)
        for key in 0..<100 {
            cache.setValue(key, forKey: key)
        }
        // 14 reads saturate the main entries' 4-bit counters (15), so no new key can be estimated
        // more frequent, whatever the hash seed; 1,488 increments are too few to age the sketch.
        for _ in 0..<14 {
            for key in 0..<99 {
                #expect(cache.value(forKey: key) == key)
            }
        }

        cache.setValue(1_000, forKey: 1_000)
        cache.setValue(2_000, forKey: 2_000)

        #expect((0..<99).allSatisfy { cache.value(forKey: $0) == $0 })
        #expect(cache.value(forKey: 99) == nil)
        #expect(cache.value(forKey: 1_000) == nil)
        #expect(cache.value(forKey: 2_000) == 2_000)
        #expect(cache.stats.sizeEvictions == 2)
    }
}

// MARK: - Reference model

/// A slow, obviously correct model of the LRU, LFU and FIFO policies: a list scanned for its victim.
private struct ReferenceModel {
    struct Entry {
        var key: Int
        var value: Int
        var frequency: Int
        var writtenAt: Int
        var usedAt: Int
    }

    let policy: CachePolicy
    var entries: [Entry] = []

    mutating func read(_ key: Int, at step: Int) -> Int? {
        guard let position = self.entries.firstIndex(where: { $0.key == key }) else {
            return nil
        }
        self.entries[position].frequency += 1
        self.entries[position].usedAt = step
        return self.entries[position].value
    }

    mutating func write(_ value: Int, forKey key: Int, at step: Int, capacity: Int) {
        if let position = self.entries.firstIndex(where: { $0.key == key }) {
            self.entries[position].value = value
            self.entries[position].frequency += 1
            self.entries[position].usedAt = step
            return
        }
        if self.entries.count == capacity {
            self.entries.remove(at: self.victim)
        }
        self.entries.append(Entry(key: key, value: value, frequency: 1, writtenAt: step, usedAt: step))
    }

    mutating func remove(_ key: Int) -> Int? {
        self.entries.firstIndex { $0.key == key }.map { self.entries.remove(at: $0).value }
    }

    private var victim: Int {
        let ordered = self.entries.indices.min { left, right in
            let lhs = self.entries[left]
            let rhs = self.entries[right]
            switch self.policy {
            case .lru, .windowTinyLFU: return lhs.usedAt < rhs.usedAt
            case .fifo: return lhs.writtenAt < rhs.writtenAt
            case .lfu: return (lhs.frequency, lhs.usedAt) < (rhs.frequency, rhs.usedAt)
            }
        }
        return ordered!
    }
}
