import PerfKit
import PerfKitTestKit
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

    // MARK: - Refresh-ahead

    @Test func aStaleHitServesTheOldValueWhileOneReloadRuns() async throws {
        let clock = ManualClock()
        let cache = LoadingCache(
            cache: Cache<String, Int>(name: "users", capacity: 10, clock: clock),
            refreshAfter: .seconds(60)
        )
        let loads = LoadCounter()
        let gate = Gate()
        defer { gate.open() }
        let loader: @Sendable (String) async throws -> Int = { _ in
            loads.increment()
            if loads.value > 1 {
                await gate.wait()
            }
            return loads.value
        }
        #expect(try await cache.value(forKey: "k", loader: loader) == 1)

        clock.advance(by: .seconds(59))
        #expect(try await cache.value(forKey: "k", loader: loader) == 1)
        #expect(loads.value == 1)

        clock.advance(by: .seconds(1))
        for _ in 0..<100 {
            #expect(try await cache.value(forKey: "k", loader: loader) == 1)
        }
        try await waitUntil { loads.value == 2 }
        #expect(cache.loadStats.refreshes == 1)
        gate.open()
        try await waitUntil { cache.cache.value(forKey: "k") == 2 }

        #expect(try await cache.value(forKey: "k", loader: loader) == 2)
        #expect(loads.value == 2)
        #expect(cache.loadStats.successes == 2)
        #expect(cache.loadStats.refreshes == 1)
    }

    @Test func aFailedRefreshKeepsTheOldValueAndTheNextStaleHitRetries() async throws {
        let clock = ManualClock()
        let cache = LoadingCache(
            cache: Cache<String, Int>(name: "users", capacity: 10, clock: clock),
            refreshAfter: .seconds(1)
        )
        let loads = LoadCounter()
        let loader: @Sendable (String) async throws -> Int = { _ in
            loads.increment()
            guard loads.value == 1 else {
                throw LoadFailed()
            }
            return 7
        }
        #expect(try await cache.value(forKey: "k", loader: loader) == 7)
        clock.advance(by: .seconds(5))

        #expect(try await cache.value(forKey: "k", loader: loader) == 7)
        try await waitUntil { cache.loadStats.failures == 1 }
        // The failed reload's flight ends just after it is counted; stale hits retry once it has.
        for _ in 0..<10_000 where cache.loadStats.refreshes < 2 {
            #expect(try await cache.value(forKey: "k", loader: loader) == 7)
            try await Task.sleep(for: .milliseconds(1))
        }
        try await waitUntil { cache.loadStats.failures == 2 }

        #expect(cache.loadStats.refreshes == 2)
        #expect(cache.cache.value(forKey: "k") == 7)
    }

    @Test func valuesWrittenBeforeRefreshAheadStartsCountAsWrittenAtCreation() async throws {
        let clock = ManualClock()
        let inner = Cache<String, Int>(name: "users", capacity: 10, clock: clock)
        inner.setValue(1, forKey: "old")
        clock.advance(by: .seconds(10))
        let cache = LoadingCache(cache: inner, refreshAfter: .seconds(5))

        #expect(try await cache.value(forKey: "old") { _ in 2 } == 1)
        try await waitUntil { inner.value(forKey: "old") == 2 }
        #expect(cache.loadStats.refreshes == 1)
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
