import BenchmarkSupport
import Foundation
import PerfKit
import PerftopCore
import ServerTestKit

/// One poll of each server perftop reads directly, against real servers started on loopback: Redis
/// (`INFO all`), memcached (`stats`) and PostgreSQL (three queries, `pg_stat_statements` loaded and
/// holding a few statements); what a poll costs perftop in time and the bytes it reads.
enum ServerPollBenchmark {
    static let polls = 200

    static func run() async throws {
        print("4. Server polls: one poll on a kept connection, \(Self.polls) polls each (loopback)")
        var table = TextTable(["source", "first poll", "median", "p95", "bytes/poll", "samples"])
        if ServerTestProcess.isInstalled("/usr/bin/redis-server") {
            let redis = try await ServerTestProcess.redis()
            defer { redis.stop() }
            _ = try await redis.send("SET k v\r\nGET k\r\nGET nope\r\nPING\r\n") { $0.hasSuffix("+PONG\r\n") }
            let feed = try RedisFeed(url: "redis://127.0.0.1:\(redis.port)")
            table.append(try await Self.measure("redis", feed, bytes: { feed.bytesReceived }))
            await feed.close()
        }
        if ServerTestProcess.isInstalled("/usr/bin/memcached") {
            let memcached = try await ServerTestProcess.memcached()
            defer { memcached.stop() }
            let feed = try MemcachedFeed(url: "memcached://127.0.0.1:\(memcached.port)")
            table.append(try await Self.measure("memcached", feed, bytes: { feed.bytesReceived }))
            await feed.close()
        }
        if ServerTestProcess.isPostgresInstalled {
            let postgres = try await ServerTestProcess.postgres(password: "bench")
            defer { postgres.stop() }
            _ = try await postgres.psql(
                "CREATE EXTENSION pg_stat_statements; CREATE TABLE t(id int PRIMARY KEY, v text); "
                    + "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 10000) g; "
                    + "SELECT count(*) FROM t WHERE v LIKE '%5%'; SELECT v FROM t WHERE id = 7;",
                password: "bench"
            )
            let feed = try PostgresFeed(
                url: "postgresql://perftop@127.0.0.1:\(postgres.port)/postgres?password-env=P",
                environment: ["P": "bench"]
            )
            table.append(try await Self.measure("postgresql", feed, bytes: { feed.bytesReceived }))
            await feed.close()
        }
        print(table.render())
        print("first poll: connect (and log in) and poll; median and p95 of the polls after it;")
        print("bytes/poll: the answers read, login excluded")
    }

    /// Polls `feed` once to connect (and log in), then `polls` times.
    private static func measure(_ name: String, _ feed: some Feed, bytes: () -> Int) async throws -> [String] {
        let clock = ContinuousClock()
        let connecting = clock.now
        var samples = try await feed.poll(timeout: .seconds(5)).count
        let first = connecting.duration(to: clock.now)
        let before = bytes()
        var durations: [Duration] = []
        for _ in 0..<Self.polls {
            let start = clock.now
            samples = try await feed.poll(timeout: .seconds(5)).count
            durations.append(start.duration(to: clock.now))
        }
        durations.sort()
        let milliseconds = { (duration: Duration) in
            formatted(
                Double(duration.components.attoseconds) * 1e-15 + Double(duration.components.seconds) * 1e3,
                digits: 3
            )
                + " ms"
        }
        return [
            name, milliseconds(first), milliseconds(durations[durations.count / 2]),
            milliseconds(durations[durations.count * 95 / 100]),
            "\((bytes() - before) / Self.polls)", "\(samples)",
        ]
    }
}
