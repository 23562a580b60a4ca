import PerfKit
import Testing

@Suite struct LoadingCacheTests {
    struct LoadFailed: Error, Equatable {}

    // MARK: - Loading

    @Test func loadsOnAMissAndServesHitsFromMemory() async throws {
        let cache = LoadingCache<String, Int>(name: "users", capacity: 10)
        let loads = LoadCounter()
        let loader: @Sendable (String) async throws -> Int = { key in
            loads.increment()
            return key.count
        }

        #expect(try await cache.value(forKey: "abc", loader: loader) == 3)
        #expect(try await cache.value(forKey: "abc", loader: loader) == 3)

        #expect(loads.value == 1)
        #expect(cache.cache.stats.hits == 1)
        #expect(cache.cache.stats.misses == 1)
        #expect(cache.loadStats.successes == 1)
        #expect(cache.loadStats.failures == 0)
    }

    @Test func concurrentMissesLoadOnce() async throws {
        let cache = LoadingCache<String, Int>(name: "users", capacity: 10)
        let loads = LoadCounter()
        let gate = Gate()
        defer { gate.open() }
        let callers = 1_000

        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    return try await cache.value(forKey: "k") { _ in
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
        #expect(loads.value == 1)
        #expect(cache.loadStats.successes == 1)
        #expect(cache.cache.value(forKey: "k") == 9)
    }

    @Test func aFailedLoadReachesEveryWaiterAndIsNotCached() async throws {
        let cache = LoadingCache<String, Int>(name: "users", capacity: 10)
        let loads = LoadCounter()
        let gate = Gate()
        defer { gate.open() }
        let callers = 200

        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    do {
                        _ = try await cache.value(forKey: "k") { _ in
                            loads.increment()
                            await gate.wait()
                            throw LoadFailed()
                        }
                        return false
                    } catch {
                        return error is LoadFailed
                    }
                }
            }
            try? await waitUntil { cache.waitingCallerCount(forKey: "k") == callers }
            gate.open()
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(failures == callers)
        #expect(cache.cache.stats.entries == 0)
        #expect(cache.loadStats.failures == 1)

        let value = try await cache.value(forKey: "k") { _ in
            loads.increment()
            return 1
        }
        #expect(value == 1)
        #expect(loads.value == 2)
        #expect(cache.loadStats.successes == 1)
        #expect(cache.loadStats.loads == 2)
    }

    // MARK: - Samples

    @Test func reportsTheCacheSamplesAndTheLoadSamples() async throws {
        let cache = LoadingCache<String, Int>(name: "users", capacity: 10)
        _ = try await cache.value(forKey: "a") { _ in 1 }
        _ = try? await cache.value(forKey: "b") { _ in throw LoadFailed() }

        let collected = cache.collectSamples()
        let loads = samples(named: "cache_loads_total", in: collected)
        #expect(loads[["cache": "users", "outcome": "success"]]?.value == 1)
        #expect(loads[["cache": "users", "outcome": "failure"]]?.value == 1)
        #expect(loads[["cache": "users", "outcome": "success"]]?.kind == .counter)
        let seconds = samples(named: "cache_load_seconds_total", in: collected)[["cache": "users"]]
        #expect(seconds?.kind == .counter)
        #expect((seconds?.value ?? -1) >= 0)
        #expect(samples(named: "cache_misses_total", in: collected)[["cache": "users"]]?.value == 2)
    }
}
