import Synchronization
import Testing

@testable import PerfKit

@Suite struct CacheReadsTests {
    // MARK: - The read path

    @Test func hitsTakeNoLock() {
        let cache = Cache<Int, Int>(name: "reads", capacity: 100)
        for key in 0..<100 {
            cache.setValue(key * 10, forKey: key)
        }
        let before = cache.stats.hits

        // As if another reader were draining, holding the cache's lock: a read that needed the lock
        // would never return. Once the ring is full, reads drop their access instead of waiting.
        let reads = cache.reads
        #expect(reads.stripes.beginDrain())
        let values = cache.state.withLockedValue { _ in
            (0..<100).map { cache.value(forKey: $0) }
        }
        reads.stripes.endDrain()

        #expect(values == (0..<100).map { $0 * 10 })
        #expect(cache.stats.hits == before + 100)
        #expect(cache.stats.misses == 0)
    }

    @Test func missesAndExpiringCachesGoThroughTheLock() {
        let cache = Cache<Int, Int>(name: "reads", capacity: 10)
        #expect(cache.value(forKey: 1) == nil)
        #expect(cache.stats.misses == 1)
        #expect(cache.reads.isLockFree)
        #expect(!Cache<Int, Int>(name: "expiring", capacity: 10, timeToLive: .seconds(1)).reads.isLockFree)
        #expect(!Cache<Int, Int>(name: "idle", capacity: 10, timeToIdle: .seconds(1)).reads.isLockFree)
    }

    @Test func thePolicyLearnsOfLockFreeHits() {
        let cache = Cache<Int, Int>(name: "lru", capacity: 3, policy: .lru)
        cache.setValue(0, forKey: 0)
        cache.setValue(1, forKey: 1)
        cache.setValue(2, forKey: 2)
        #expect(cache.value(forKey: 0) == 0)

        // The write drains the read of 0 first, so 1 is now the least recently used.
        cache.setValue(3, forKey: 3)

        #expect(cache.value(forKey: 1) == nil)
        #expect(cache.value(forKey: 0) == 0)
    }

    @Test func everyKeyIsReadableAsTheTableGrows() {
        let cache = Cache<String, Int>(name: "grow", capacity: 5_000)
        for key in 0..<5_000 {
            cache.setValue(key, forKey: "key \(key)")
        }
        #expect(cache.state.withLockedValue { $0.keyIndex.count } == 5_000)
        #expect(cache.state.withLockedValue { $0.keyIndex.table.mask } == 8_191)

        #expect((0..<5_000).allSatisfy { cache.value(forKey: "key " + String($0)) == $0 })
        #expect(cache.stats.hits == 5_000)
        #expect(cache.stats.misses == 0)
    }

    @Test func replacedRemovedAndEvictedEntriesLeaveTheTable() {
        let cache = Cache<Int, Int>(name: "lru", capacity: 2, policy: .lru)
        let reads = cache.reads
        cache.setValue(1, forKey: 1)
        cache.setValue(2, forKey: 1)
        cache.setValue(3, forKey: 2)
        cache.setValue(4, forKey: 3)
        #expect(cache.state.withLockedValue { $0.keyIndex.count } == 2)
        #expect(reads.value(forKey: 1) == nil)
        #expect(reads.value(forKey: 3)?.value == 4)

        cache.removeValue(forKey: 3)
        #expect(reads.value(forKey: 3) == nil)
        cache.removeAll()
        #expect(cache.state.withLockedValue { $0.keyIndex.count } == 0)
        #expect(reads.value(forKey: 2) == nil)
    }

    @Test func keysThatAllHashAlikeShareOneChain() {
        // 300 keys with one hash share one bucket; removing every third unlinks nodes from the
        // chain's front, middle and end.
        let cache = Cache<CollidingKey, Int>(name: "collisions", capacity: 300, policy: .lru)
        for key in 0..<300 {
            cache.setValue(key, forKey: CollidingKey(id: key))
        }
        for key in stride(from: 0, to: 300, by: 3) {
            cache.removeValue(forKey: CollidingKey(id: key))
        }

        #expect(
            (0..<300).allSatisfy { key in
                cache.reads.value(forKey: CollidingKey(id: key))?.value == (key % 3 == 0 ? nil : key)
            }
        )
    }

    // MARK: - Reclamation

    @Test func retiredValuesAreReleasedInBatchesAndOnRemoval() {
        let released = ReleaseCounter()
        let cache = Cache<Int, TrackedValue>(name: "release", capacity: 2, policy: .lru)
        cache.setValue(TrackedValue(released), forKey: 1)
        cache.setValue(TrackedValue(released), forKey: 1)
        #expect(released.count == 0)

        cache.removeValue(forKey: 1)
        #expect(released.count == 2)

        // 38 evictions: the first 32 retired are released together, the last 6 wait.
        for key in 0..<40 {
            cache.setValue(TrackedValue(released), forKey: key)
        }
        #expect(released.count == 2 + 32)

        cache.removeAll()
        #expect(released.count == 42)
    }

    @Test func aReaderInsideKeepsWhatItMayBeReading() throws {
        let released = ReleaseCounter()
        let cache = Cache<Int, TrackedValue>(name: "release", capacity: 10)
        cache.setValue(TrackedValue(released), forKey: 1)

        let (stripe, parity) = cache.reads.stripes.enter()
        cache.setValue(TrackedValue(released), forKey: 1)
        cache.removeValue(forKey: 2)
        #expect(released.count == 0)

        cache.reads.stripes.leave(stripe: stripe, parity: parity, hit: false)
        cache.removeValue(forKey: 2)
        #expect(released.count == 1)
    }

    @Test func aDroppedCacheReleasesItsRetiredValues() {
        let released = ReleaseCounter()
        do {
            let cache = Cache<Int, TrackedValue>(name: "release", capacity: 10)
            cache.setValue(TrackedValue(released), forKey: 1)
            cache.setValue(TrackedValue(released), forKey: 1)
            #expect(released.count == 0)
        }
        #expect(released.count == 2)
    }

    // MARK: - Concurrency

    @Test(arguments: CachePolicy.allCases)
    func readersSeeWholeValuesWhileWritersChurn(policy: CachePolicy) async {
        let cache = Cache<Int, String>(name: "churn", capacity: 64, policy: policy)
        let readers = 4
        let writers = 2
        let operations = 4_000
        let torn = await withTaskGroup(of: Int.self) { group in
            for task in 0..<readers + writers {
                group.addTask {
                    var generator = SplitMix64(seed: UInt64(task))
                    var torn = 0
                    for step in 0..<operations {
                        let key = Int.random(in: 0..<256, using: &generator)
                        if task < readers {
                            if let value = cache.value(forKey: key), !value.hasPrefix("value of \(key) ") {
                                torn += 1
                            }
                        } else if step % 8 == 0 {
                            cache.removeValue(forKey: key)
                        } else {
                            cache.setValue("value of \(key) written at step \(step)", forKey: key)
                        }
                    }
                    return torn
                }
            }
            return await group.reduce(0, +)
        }

        let stats = cache.stats
        #expect(torn == 0)
        #expect(stats.hits + stats.misses == readers * operations)
        #expect(stats.entries <= 64)
        #expect(cache.state.withLockedValue { $0.keyIndex.count } == stats.entries)
    }

    @Test func anEntryRecordIsTheSameSizeWhateverItsKeyAndValue() {
        #expect(MemoryLayout<CacheState<Int, Int>.Entry?>.stride == 48)
        #expect(MemoryLayout<CacheState<String, [String: String]>.Entry?>.stride == 48)
    }

    @Test func aNodeOfIntsFitsMallocsFortyEightByteClass() {
        // No object header: key, value, hash, slot and link, 40 bytes, and 8 for malloc's own.
        #expect(MemoryLayout<CacheReads<Int, Int>.Node>.size == 40)
    }

    @Test func theStripeFillsItsOwnCacheLines() {
        #expect(MemoryLayout<ReadStripes.Stripe>.stride == 256)
    }
}

// MARK: - Support

/// Counts how many ``TrackedValue``s were released.
final class ReleaseCounter: Sendable {
    private let released = Atomic(0)

    var count: Int { self.released.load(ordering: .relaxed) }

    func increment() {
        self.released.wrappingAdd(1, ordering: .relaxed)
    }
}

/// A cached value that counts its release.
final class TrackedValue: Sendable {
    let counter: ReleaseCounter

    init(_ counter: ReleaseCounter) {
        self.counter = counter
    }

    deinit {
        self.counter.increment()
    }
}

/// A key whose every value hashes alike.
struct CollidingKey: Hashable, Sendable {
    let id: Int

    func hash(into hasher: inout Hasher) {
        hasher.combine(0)
    }
}
