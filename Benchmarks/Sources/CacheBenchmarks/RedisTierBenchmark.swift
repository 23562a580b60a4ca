import BenchmarkSupport
import PerfKit
import PerfKitRedis
import ServerTestKit

/// A ``RedisCacheTier`` against a real `redis-server` on loopback: one `GET` round trip, throughput
/// with concurrent callers pipelined over the pool, a tiered cache's lookup served by Redis, and what
/// a lookup costs while the breaker is open (Redis killed): the fallback must be close to free.
enum RedisTierBenchmark {
    static let calls = 2_000

    static func run() async throws {
        print()
        print("6. Redis tier: a real redis-server on 127.0.0.1, 100-byte values")
        guard ServerTestProcess.isInstalled("/usr/bin/redis-server") else {
            print("skipped: redis-server is not installed")
            return
        }
        let server = try await ServerTestProcess.redis()
        defer { server.stop() }
        let client = RedisClient(host: "127.0.0.1", port: server.port, connections: 2)
        defer { client.close() }
        let value = [UInt8](repeating: 0x61, count: 100)
        for key in 0..<1_000 {
            try await client.set("k\(key)", to: value, timeout: .seconds(5))
        }

        var latency = TextTable(["call", "median", "p95"])
        latency.append(
            ["RedisClient.get, one caller"]
                + (try await Self.percentiles { index in
                    _ = try await client.get("k\(index % 1_000)", timeout: .seconds(5))
                })
        )
        let tier = RedisCacheTier<[UInt8]>(
            client: client,
            timeout: .seconds(5),
            breaker: CircuitBreakerPolicy(failureThreshold: 1, openDuration: .seconds(3_600)),
            codec: .bytes
        )
        latency.append(
            ["tier hit (GET + decode)"]
                + (try await Self.percentiles { index in _ = await tier.value(forKey: "k\(index % 1_000)") })
        )
        print(latency.render())

        var throughput = TextTable(["callers", "connections", "gets/s"])
        for (callers, connections) in [(1, 1), (16, 1), (64, 1), (64, 2)] {
            let pool = RedisClient(host: "127.0.0.1", port: server.port, connections: connections)
            defer { pool.close() }
            let seconds = try await Self.elapsedSeconds(callers: callers, pool: pool)
            throughput.append(["\(callers)", "\(connections)", formatted(Double(Self.calls * 4) / seconds, digits: 0)])
        }
        print(throughput.render())
        print("each row: \(Self.calls * 4) GETs split over the callers; calls on a connection are pipelined")

        server.kill()
        var index = 0
        while tier.isUp {
            _ = await tier.value(forKey: "k\(index)")
            index += 1
        }
        var fallback = TextTable(["while Redis is down (breaker open)", "median", "p95"])
        fallback.append(
            ["tier read that falls through"]
                + (try await Self.percentiles { index in _ = await tier.value(forKey: "k\(index)") })
        )
        print(fallback.render())
        try await server.restart()
    }

    /// The median and p95 of `calls` calls of `body`, one after the other.
    private static func percentiles(_ body: (Int) async throws -> Void) async throws -> [String] {
        let clock = ContinuousClock()
        var durations: [Duration] = []
        durations.reserveCapacity(Self.calls)
        for index in 0..<Self.calls {
            let start = clock.now
            try await body(index)
            durations.append(start.duration(to: clock.now))
        }
        durations.sort()
        return [durations[durations.count / 2], durations[durations.count * 95 / 100]].map(Self.format)
    }

    private static func elapsedSeconds(callers: Int, pool: RedisClient) async throws -> Double {
        let each = Self.calls * 4 / callers
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    for index in 0..<each {
                        _ = try await pool.get("k\((caller * each + index) % 1_000)", timeout: .seconds(10))
                    }
                }
            }
            try await group.waitForAll()
        }
        let (seconds, attoseconds) = start.duration(to: clock.now).components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    private static func format(_ duration: Duration) -> String {
        let nanoseconds = Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) * 1e-9
        return nanoseconds >= 1_000
            ? formatted(nanoseconds / 1_000, digits: 1) + " µs" : formatted(nanoseconds, digits: 0) + " ns"
    }
}
