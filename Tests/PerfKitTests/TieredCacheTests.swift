import Foundation
import PerfKit
import PerfKitTestKit
import Testing

@Suite struct TieredCacheTests {
    /// A fresh directory under the system's temporary directory, removed by ``remove()``.
    struct TemporaryDirectory {
        let url: URL

        init() throws {
            self.url = FileManager.default.temporaryDirectory
                .appendingPathComponent("TieredCacheTests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
        }

        /// The disk tier's directory inside this one.
        var cache: URL {
            self.url.appendingPathComponent("cache")
        }

        func remove() {
            try? FileManager.default.removeItem(at: self.url)
        }
    }

    // MARK: - Tier order

    @Test func looksUpMemoryThenDiskThenLoader() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let loads = LoadCounter()
        let loader: @Sendable (String) async throws -> String = { key in
            loads.increment()
            return "value of \(key)"
        }
        let first = try TieredCache<String>(
            name: "symbols",
            capacity: 10,
            directory: temporary.cache,
            maxBytes: 1 << 20
        )

        #expect(try await first.value(forKey: "main", loader: loader) == "value of main")
        #expect(try await first.value(forKey: "main", loader: loader) == "value of main")
        #expect(loads.value == 1)
        let firstStats = first.stats
        #expect(firstStats.loaderCalls == 1)
        #expect(firstStats.diskHits == 0)
        #expect(firstStats.memoryHits == 1)
        #expect(firstStats.disk.writes == 1)
        #expect(firstStats.diskWriteFailures == 0)

        // A process restart: a new tiered cache over the same directory, with an empty memory tier.
        let second = try TieredCache<String>(
            name: "symbols",
            capacity: 10,
            directory: temporary.cache,
            maxBytes: 1 << 20
        )
        #expect(try await second.value(forKey: "main", loader: loader) == "value of main")
        #expect(try await second.value(forKey: "main", loader: loader) == "value of main")
        #expect(loads.value == 1)
        let secondStats = second.stats
        #expect(secondStats.loaderCalls == 0)
        #expect(secondStats.diskHits == 1)
        #expect(secondStats.memoryHits == 1)
        #expect(secondStats.memory.entries == 1)
        #expect(secondStats.disk.hits == 1)
        #expect(secondStats.loads.successes == 1)
    }

    @Test func aLoaderErrorIsCachedInNeitherTier() async throws {
        struct Failure: Error {}
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let cache = try TieredCache<Int>(name: "ints", capacity: 10, directory: temporary.cache, maxBytes: 1 << 20)

        await #expect(throws: Failure.self) {
            try await cache.value(forKey: "k") { _ in throw Failure() }
        }
        #expect(try await cache.value(forKey: "k") { _ in 7 } == 7)
        #expect(cache.stats.loaderCalls == 2)
        #expect(cache.stats.loads.failures == 1)
        #expect(cache.stats.disk.writes == 1)
    }

    @Test func aDiskWriteFailureIsCountedAndTheValueStillReturned() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let cache = try TieredCache<Int>(name: "ints", capacity: 10, directory: temporary.cache, maxBytes: 1 << 20)
        let key = String(repeating: "k", count: DiskCache<Int>.maximumKeyLength + 1)

        #expect(try await cache.value(forKey: key) { _ in 3 } == 3)
        #expect(try await cache.value(forKey: key) { _ in 4 } == 3)
        #expect(cache.stats.diskWriteFailures == 1)
        #expect(cache.stats.disk.entries == 0)
        #expect(cache.stats.memoryHits == 1)
    }

    // MARK: - Source invalidation

    @Test func aModifiedSourceInvalidatesTheDiskTier() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let source = temporary.url.appendingPathComponent("main.c")
        try Data("int main() {}".utf8).write(to: source)
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1_000_000)],
            ofItemAtPath: source.path
        )
        let loads = LoadCounter()
        let loader: @Sendable (String) async throws -> Int = { _ in loads.increment() }
        let first = try TieredCache<Int>(name: "context", capacity: 10, directory: temporary.cache, maxBytes: 1 << 20)
        #expect(try await first.value(forKey: "main.c", source: source.path, loader: loader) == 1)

        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 2_000_000)],
            ofItemAtPath: source.path
        )
        let second = try TieredCache<Int>(name: "context", capacity: 10, directory: temporary.cache, maxBytes: 1 << 20)

        #expect(try await second.value(forKey: "main.c", source: source.path, loader: loader) == 2)
        #expect(loads.value == 2)
        #expect(second.stats.disk.invalidations == 1)
        #expect(second.stats.diskHits == 0)
        #expect(second.stats.loaderCalls == 1)

        // The reloaded value is on disk with the new fingerprint: a third restart serves it from disk.
        let third = try TieredCache<Int>(name: "context", capacity: 10, directory: temporary.cache, maxBytes: 1 << 20)
        #expect(try await third.value(forKey: "main.c", source: source.path, loader: loader) == 2)
        #expect(loads.value == 2)
        #expect(third.stats.diskHits == 1)
    }

    @Test func removeValueClearsBothTiers() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let loads = LoadCounter()
        let loader: @Sendable (String) async throws -> Int = { _ in loads.increment() }
        let cache = try TieredCache<Int>(name: "ints", capacity: 10, directory: temporary.cache, maxBytes: 1 << 20)

        #expect(try await cache.value(forKey: "k", loader: loader) == 1)
        await cache.removeValue(forKey: "k")
        #expect(try await cache.value(forKey: "k", loader: loader) == 2)
        #expect(cache.stats.loaderCalls == 2)
        #expect(cache.stats.diskHits == 0)
    }

    // MARK: - Single flight

    @Test func concurrentMissesCallTheLoaderOnce() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let cache = try TieredCache<Int>(name: "ints", capacity: 10, directory: temporary.cache, maxBytes: 1 << 20)
        let loads = LoadCounter()
        let gate = Gate()
        defer { gate.open() }
        let callers = 200

        try await withThrowingTaskGroup(of: Int.self) { group in
            // Opened before the group waits for its children, so a failed wait cannot hang the test.
            defer { gate.open() }
            for _ in 0..<callers {
                group.addTask {
                    try await cache.value(forKey: "k") { _ in
                        loads.increment()
                        await gate.wait()
                        return 9
                    }
                }
            }
            try await waitUntil { cache.waitingCallerCount(forKey: "k") == callers }
            gate.open()
            for try await value in group {
                #expect(value == 9)
            }
        }
        #expect(try await cache.value(forKey: "k") { _ in 0 } == 9)

        let stats = cache.stats
        #expect(loads.value == 1)
        #expect(stats.loaderCalls == 1)
        #expect(stats.diskHits == 0)
        #expect(stats.memoryHits == 1)
        #expect(stats.memory.misses == callers)
        #expect(stats.loads.successes == 1)
        #expect(stats.disk.misses == 1)
        #expect(stats.disk.writes == 1)
    }

    // MARK: - Samples

    @Test func reportsTierSamples() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let cache = try TieredCache<Int>(name: "ints", capacity: 10, directory: temporary.cache, maxBytes: 1 << 20)
        _ = try await cache.value(forKey: "a") { _ in 1 }
        _ = try await cache.value(forKey: "a") { _ in 1 }
        _ = try await cache.value(forKey: "a") { _ in 1 }

        let samples = cache.collectSamples()
        func tierHits(_ tier: String) -> Double? {
            samples.first { $0.name == "cache_tier_hits_total" && $0.labels == ["cache": "ints", "tier": tier] }?
                .value
        }
        #expect(tierHits("memory") == 2)
        #expect(tierHits("disk") == 0)
        #expect(tierHits("loader") == 1)
        #expect(samples.filter { $0.name == "cache_tier_hits_total" }.allSatisfy { $0.kind == .counter })
        #expect(samples.contains { $0.name == "cache_hits_total" && $0.labels == ["cache": "ints"] })
        #expect(samples.contains { $0.name == "cache_writes_total" && $0.labels["tier"] == "disk" })
        #expect(samples.contains { $0.name == "cache_loads_total" })
    }
}
