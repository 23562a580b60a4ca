import Synchronization
import Testing

@testable import PerfKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The background maintenance of ``CacheMaintenance``. Serialised: the tests count the drains of the
/// process-wide maintenance thread, which only these tests use.
@Suite(.serialized) struct CacheMaintenanceTests {
    /// Waits until the maintenance thread has completed more than `count` drains, for at most a
    /// minute (a bound for a stuck thread, not a timing assertion); returns whether it did.
    func waitForDrains(after count: Int) -> Bool {
        for _ in 0..<60_000 where cacheMaintenanceThread.stats.completed <= count {
            usleep(1_000)
        }
        return cacheMaintenanceThread.stats.completed > count
    }

    /// The drains the maintenance thread has completed, read once it is idle (nothing queued, nothing
    /// running), so that a drain another test left pending cannot complete in the middle of this one.
    /// Waits for at most a minute, like ``waitForDrains(after:)``.
    func completedDrainsWhenIdle() -> Int {
        for _ in 0..<60_000 {
            let stats = cacheMaintenanceThread.stats
            if stats.queueDepth == 0, stats.busyThreads == 0 {
                return stats.completed
            }
            usleep(1_000)
        }
        return cacheMaintenanceThread.stats.completed
    }

    /// The key at the front of LRU's list: the most recently used one, as the policy knows it.
    func mostRecentlyUsed(in cache: Cache<Int, Int>) -> Int? {
        cache.state.withLockedValue { state in
            let front = state.queues[CacheState<Int, Int>.primary].front
            return front == CacheLinks.none ? nil : state.entries[front]?.node.key
        }
    }

    @Test func aFullBufferIsDrainedOnTheMaintenanceThread() {
        let cache = Cache<Int, Int>(name: "background", capacity: 3, policy: .lru, maintenance: .background)
        for key in 0..<3 {
            cache.setValue(key, forKey: key)
        }
        let before = self.completedDrainsWhenIdle()
        #expect(self.mostRecentlyUsed(in: cache) == 2)

        // The cache's lock is held while the ring fills: a reader that drained on its own thread
        // would have to wait for it, one that hands the drain over returns. The drain then runs once
        // the lock is free.
        let pending = cache.state.withLockedValue { _ in
            for _ in 0..<ReadStripes.ringSize {
                _ = cache.value(forKey: 0)
            }
            return cache.reads.stripes.drainFlag.pointee.load(ordering: .relaxed)
        }
        #expect(pending)
        #expect(self.waitForDrains(after: before))

        #expect(self.mostRecentlyUsed(in: cache) == 0)
        let stillDraining = cache.reads.stripes.drainFlag.pointee.load(ordering: .relaxed)
        #expect(!stillDraining)
        #expect(cache.stats.hits == ReadStripes.ringSize)
    }

    @Test func theDefaultDrainsOnTheReadingThread() {
        let cache = Cache<Int, Int>(name: "inline", capacity: 3, policy: .lru)
        for key in 0..<3 {
            cache.setValue(key, forKey: key)
        }
        let before = self.completedDrainsWhenIdle()
        for _ in 0..<ReadStripes.ringSize {
            _ = cache.value(forKey: 0)
        }

        #expect(cache.maintenance == .callingThread)
        #expect(self.mostRecentlyUsed(in: cache) == 0)
        #expect(cacheMaintenanceThread.stats.completed == before)
    }

    @Test(arguments: [CachePolicy.windowTinyLFU, .lru, .lfu])
    func countsStayExactWhileTheThreadDrains(policy: CachePolicy) async {
        let cache = Cache<Int, Int>(name: "background", capacity: 64, policy: policy, maintenance: .background)
        let readers = 3
        let operations = 20_000
        let wrong = await withTaskGroup(of: Int.self) { group in
            for task in 0...readers {
                group.addTask {
                    var generator = SplitMix64(seed: UInt64(task))
                    var wrong = 0
                    for step in 0..<operations {
                        let key = Int.random(in: 0..<128, using: &generator)
                        if task == readers {
                            if step % 4 == 0 {
                                cache.setValue(key * 10, forKey: key)
                            }
                        } else if let value = cache.value(forKey: key), value != key * 10 {
                            wrong += 1
                        }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }

        let stats = cache.stats
        #expect(wrong == 0)
        #expect(stats.hits + stats.misses == readers * operations)
        #expect(stats.entries <= 64)
    }
}
