import BenchmarkSupport
import PerfKit
import Synchronization

/// A thread-safe key-value store whose operation cost the throughput benchmark measures.
protocol BenchmarkedStore: Sendable {
    func get(_ key: Int) -> Int?
    func put(_ key: Int, _ value: Int)
}

extension Cache: BenchmarkedStore where Key == Int, Value == Int {
    func get(_ key: Int) -> Int? {
        self.value(forKey: key)
    }

    func put(_ key: Int, _ value: Int) {
        self.setValue(value, forKey: key)
    }
}

/// The floor: an unbounded dictionary behind one `Mutex`, with no eviction and no statistics.
final class MutexDictionary: BenchmarkedStore {
    private let storage = Mutex<[Int: Int]>([:])

    func get(_ key: Int) -> Int? {
        self.storage.withLock { $0[key] }
    }

    func put(_ key: Int, _ value: Int) {
        self.storage.withLock { $0[key] = value }
    }
}

/// The floor plus the statistics ``Cache`` keeps on every operation (hits, misses, replacements,
/// counted under the same lock), so the difference between the two floors is the statistics' cost.
final class CountingMutexDictionary: BenchmarkedStore {
    private struct Counted {
        var storage: [Int: Int] = [:]
        var hits = 0
        var misses = 0
        var replacements = 0
    }

    private let state = Mutex(Counted())

    func get(_ key: Int) -> Int? {
        self.state.withLock { state in
            let value = state.storage[key]
            if value == nil {
                state.misses += 1
            } else {
                state.hits += 1
            }
            return value
        }
    }

    func put(_ key: Int, _ value: Int) {
        self.state.withLock { state in
            if state.storage.updateValue(value, forKey: key) != nil {
                state.replacements += 1
            }
        }
    }

}

/// Measures get-hit and put cost in ns/op, on one thread and on two threads at once.
///
/// Keys come from precomputed pseudo-random arrays so that the loop measures the store, not the
/// generator. Every figure is the median of ``repetitions`` timed runs after one untimed warm-up run.
struct ThroughputBenchmark: Sendable {
    /// The capacity of every cache measured.
    let capacity: Int
    /// Operations per thread in one timed run.
    let operationsPerThread: Int
    /// Timed runs per figure; the median is reported.
    let repetitions: Int

    /// The operation measured.
    enum Operation: Sendable {
        /// `get` of a key that is present: the store holds keys `0..<capacity`, each as likely.
        case getHit
        /// `get` of a present key drawn from a Zipf distribution (exponent 0.99) over the `capacity`
        /// keys, the popular ones scattered over the key space (a "scrambled Zipfian", as in YCSB's
        /// and Caffeine's benchmarks): the skew of real traffic, whose popular entries stay in the
        /// processor's caches.
        case getHitSkewed
        /// `put` of keys drawn from `0..<4 * capacity`: mostly inserts that evict once the cache is full.
        case put
    }

    private static let keyMask = (1 << 16) - 1

    /// Pseudo-random keys in `0..<bound`, a different sequence per thread: uniform, or skewed by
    /// rank through a fixed permutation of the keys when `skewed`.
    private static func keys(bound: Int, thread: Int, skewed: Bool) -> [Int] {
        var generator = SplitMix64(seed: 0xC0FF_EE00 &+ UInt64(thread))
        guard skewed else {
            return (0...Self.keyMask).map { _ in Int(generator.next() % UInt64(bound)) }
        }
        var keyOfRank = Array(0..<bound)
        var shuffler = SplitMix64(seed: 0xC0FF_EEFF)
        for index in keyOfRank.indices.reversed() {
            keyOfRank.swapAt(index, Int(shuffler.next() % UInt64(index + 1)))
        }
        let ranks = ZipfSampler(elementCount: bound, exponent: 0.99)
        return (0...Self.keyMask).map { _ in keyOfRank[ranks.next(using: &generator) - 1] }
    }

    /// Runs `operation` `count` times on `store` and returns a checksum of what it read.
    private static func run(
        _ operation: Operation,
        on store: some BenchmarkedStore,
        keys: [Int],
        count: Int
    ) -> Int {
        var checksum = 0
        switch operation {
        case .getHit, .getHitSkewed:
            for index in 0..<count {
                checksum &+= store.get(keys[index & Self.keyMask]) ?? 1
            }
        case .put:
            for index in 0..<count {
                let key = keys[index & Self.keyMask]
                store.put(key, key)
            }
            checksum = count
        }
        return checksum
    }

    /// The median ns/op of `operation` on a fresh store from `makeStore`, run by `threads` threads.
    ///
    /// With two threads the figure is wall-clock time divided by the operations of both threads, so
    /// perfect scaling halves it.
    func nanosecondsPerOperation(
        _ operation: Operation,
        threads: Int,
        makeStore: @Sendable (Int) -> any BenchmarkedStore
    ) async -> Double {
        let store = makeStore(self.capacity)
        for key in 0..<self.capacity {
            store.put(key, key)
        }
        let bound = operation == .put ? 4 * self.capacity : self.capacity
        let keysPerThread = (0..<threads).map {
            Self.keys(bound: bound, thread: $0, skewed: operation == .getHitSkewed)
        }
        let count = self.operationsPerThread
        var samples = [Double]()
        for repetition in 0...self.repetitions {
            let clock = ContinuousClock()
            let start = clock.now
            var checksum = 0
            if threads == 1 {
                checksum = Self.run(operation, on: store, keys: keysPerThread[0], count: count)
            } else {
                checksum = await withTaskGroup(of: Int.self) { group in
                    for keys in keysPerThread {
                        group.addTask { Self.run(operation, on: store, keys: keys, count: count) }
                    }
                    return await group.reduce(0, &+)
                }
            }
            let elapsed = clock.now - start
            blackHole(checksum)
            if repetition > 0 {
                let (seconds, attoseconds) = elapsed.components
                let nanoseconds = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
                samples.append(nanoseconds / Double(count * threads))
            }
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    /// The median ns of one read of ``Cache/stats`` on a full cache of ``capacity`` entries, the cost a
    /// dashboard poll adds.
    func nanosecondsPerStatsRead(of cache: Cache<Int, Int>) -> Double {
        for key in 0..<self.capacity {
            cache.setValue(key, forKey: key)
        }
        var samples = [Double]()
        for repetition in 0...self.repetitions {
            let clock = ContinuousClock()
            let start = clock.now
            var checksum = 0
            for _ in 0..<self.operationsPerThread {
                checksum &+= cache.stats.hits
            }
            let elapsed = clock.now - start
            blackHole(checksum)
            if repetition > 0 {
                let (seconds, attoseconds) = elapsed.components
                let nanoseconds = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
                samples.append(nanoseconds / Double(self.operationsPerThread))
            }
        }
        samples.sort()
        return samples[samples.count / 2]
    }
}
