import Foundation
import PerfKit
import ServerTestKit
import Testing

@testable import PerftopCore

/// The Redis feed against a real `redis-server` from Debian's packages on 127.0.0.1 (skipped, saying
/// why, when it is not installed): known traffic read back as the server counts it, through the
/// collector into the cache pane; passwords; a server that is not Redis, a hung one, one that is gone.
/// No assertion depends on elapsed time.
@Suite(.timeLimit(.minutes(1)))
struct RedisFeedTests {
    static let isInstalled = ServerTestProcess.isInstalled("/usr/bin/redis-server")
    static let skipReason: Comment = "redis-server is not installed (apt install redis-server; .ci/run does it as root)"

    /// Sends `SET k v`, then `hits` reads of `k` and `misses` reads of a missing key.
    private static func drive(_ server: ServerTestProcess, hits: Int, misses: Int, auth: String? = nil) async throws {
        let commands =
            (auth.map { "AUTH \($0)\r\n" } ?? "") + "SET k v\r\n" + String(repeating: "GET k\r\n", count: hits)
            + String(repeating: "GET missing\r\n", count: misses) + "PING\r\n"
        _ = try await server.send(commands) { $0.hasSuffix("+PONG\r\n") }
    }

    /// The server's own `field:value` from `INFO`.
    private static func serverCount(_ server: ServerTestProcess, _ field: String, auth: String? = nil) async throws
        -> Double?
    {
        let info = try await server.send((auth.map { "AUTH \($0)\r\n" } ?? "") + "INFO stats\r\n") {
            $0.contains("keyspace_misses:") && $0.hasSuffix("\r\n\r\n")
        }
        return info.split(separator: "\r\n").first { $0.hasPrefix(field + ":") }.flatMap {
            Double($0.dropFirst(field.count + 1))
        }
    }

    private static func value(_ samples: [Sample], _ name: String, cache: String = "redis") -> Double? {
        samples.first { $0.name == name && $0.labels == [LabelName.cache: cache] }?.value
    }

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func readsKnownTrafficAsTheServerCountsIt() async throws {
        let server = try await ServerTestProcess.redis()
        defer { server.stop() }
        try await Self.drive(server, hits: 700, misses: 300)
        let feed = try RedisFeed(url: "redis://127.0.0.1:\(server.port)")
        let samples = try await feed.poll(timeout: .mustSucceed)
        #expect(Self.value(samples, MetricName.cacheHits) == 700)
        #expect(Self.value(samples, MetricName.cacheMisses) == 300)
        #expect(Self.value(samples, MetricName.cacheHits) == (try await Self.serverCount(server, "keyspace_hits")))
        #expect(Self.value(samples, MetricName.cacheMisses) == (try await Self.serverCount(server, "keyspace_misses")))
        #expect(Self.value(samples, MetricName.cacheEntries) == 1)
        let getCalls = samples.first {
            $0.name == MetricName.redisCommandSeconds + MetricName.countSuffix && $0.labels[LabelName.command] == "get"
        }
        #expect(getCalls?.value == 1000)
        await feed.close()
    }

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func theCachePaneShowsTheIntervalHitRatio() async throws {
        let server = try await ServerTestProcess.redis()
        defer { server.stop() }
        let feed = try RedisFeed(url: "redis://127.0.0.1:\(server.port)")
        let collector = Collector(
            feeds: [feed],
            // A long interval, and with it the poll's timeout: a loaded test run must not time the poll out.
            configuration: Collector.Configuration(interval: .seconds(30))
        )
        _ = await collector.collectOnce()
        try await Self.drive(server, hits: 700, misses: 300)
        _ = await collector.collectOnce()
        let cache = try #require(collector.model.caches.first { $0.name == "redis" })
        #expect(cache.source == feed.name)
        #expect(cache.hitRate == 0.7)
        #expect(cache.lifetimeHitRate == 0.7)
        #expect(cache.entries == 1)
        let latency = collector.model.latencies.first { $0.name == "redis get" }
        #expect(latency?.source == feed.name)
        #expect(latency?.p50 != nil)
        await feed.close()
    }

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func authenticatesWithAPasswordFromTheEnvironmentOrAFile() async throws {
        let server = try await ServerTestProcess.redis(password: "s3cret")
        defer { server.stop() }
        try await Self.drive(server, hits: 7, misses: 3, auth: "s3cret")
        let url = "redis://127.0.0.1:\(server.port)"

        let fromEnvironment = try RedisFeed(
            url: url + "?password-env=REDIS_PASSWORD",
            environment: ["REDIS_PASSWORD": "s3cret"]
        )
        #expect(Self.value(try await fromEnvironment.poll(timeout: .mustSucceed), MetricName.cacheHits) == 7)
        await fromEnvironment.close()

        let file = server.directory.appendingPathComponent("password")
        try "s3cret\n".write(to: file, atomically: true, encoding: .utf8)
        let fromFile = try RedisFeed(url: url + "?password-file=" + file.path)
        #expect(Self.value(try await fromFile.poll(timeout: .mustSucceed), MetricName.cacheMisses) == 3)
        await fromFile.close()

        let without = try RedisFeed(url: url)
        #expect(
            await failureReason(polling: without, timeout: .mustSucceed) == "redis: NOAUTH Authentication required."
        )
        let wrong = try RedisFeed(url: url + "?password-env=P", environment: ["P": "wrong"])
        #expect(
            await failureReason(polling: wrong, timeout: .mustSucceed)
                == "redis: WRONGPASS invalid username-password pair or user is disabled."
        )
    }

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func reconnectsAfterTheServerRestarts() async throws {
        let server = try await ServerTestProcess.redis()
        let feed = try RedisFeed(url: "redis://127.0.0.1:\(server.port)")
        _ = try await feed.poll(timeout: .mustSucceed)
        server.stop()
        let reason = await failureReason(polling: feed, timeout: .mustSucceed)
        #expect(reason == "connection refused", "\(reason ?? "no failure")")
        await feed.close()
    }

    @Test(.enabled(if: Self.isInstalled && OpenSSLTestServer.isAvailable, Self.skipReason))
    func readsOverTLSAndVerifiesTheServer() async throws {
        let certificate = try await TestCertificate()
        defer { certificate.remove() }
        let server = try await ServerTestProcess.redis(tls: (certificate.certificatePath, certificate.keyPath))
        defer { server.stop() }
        let url = "rediss://127.0.0.1:\(server.port)"
        let trusted = try RedisFeed(url: url, trustRoots: try HTTPFeed.TrustRoots(pemFile: certificate.certificatePath))
        let samples = try await trusted.poll(timeout: .mustSucceed)
        #expect(Self.value(samples, MetricName.cacheHits) == 0)
        await trusted.close()
        let untrusted = try RedisFeed(url: url)
        #expect(
            await failureReason(polling: untrusted, timeout: .mustSucceed) == "TLS: certificate verification failed"
        )
        let plain = try RedisFeed(url: "redis://127.0.0.1:\(server.port)")
        let reason = await failureReason(polling: plain, timeout: .milliseconds(500))
        #expect(reason != nil, "plain text to a TLS port fails")
    }

    @Test func aServerThatIsNotRedisIsNamedAsSuch() async throws {
        let http = try await HTTPTestServer(.ok("hello", contentType: "text/plain"))
        let feed = try RedisFeed(url: "redis://127.0.0.1:\(http.port)")
        let reason = await failureReason(polling: feed, timeout: .mustSucceed)
        #expect(reason?.hasPrefix("not a Redis reply (starts with 'HTTP/1.1 ") == true, "\(reason ?? "no failure")")
        await feed.close()
        await http.stop()
    }

    @Test func aHungServerTimesOut() async throws {
        let hung = try await SilentTCPServer()
        let feed = try RedisFeed(url: "redis://127.0.0.1:\(hung.port)")
        let reason = await failureReason(polling: feed, timeout: .milliseconds(300))
        #expect(reason == "timeout after 0.3s", "\(reason ?? "no failure")")
        await feed.close()
        await hung.stop()
    }

    @Test(arguments: [
        ("redis://127.0.0.1", nil),
        ("rediss://cache.example.com:6380?password-env=REDIS_PASSWORD", nil),
        (
            "redis://:hunter2@127.0.0.1",
            "a password in the URL shows in ps and on screen; use ?password-env=VAR or ?password-file=PATH"
        ),
        ("redis://127.0.0.1?password=x", "unknown parameter password (use password-env or password-file)"),
        ("redis://127.0.0.1?password-env=NOT_SET_ANYWHERE", "$NOT_SET_ANYWHERE is not set"),
        ("redis://127.0.0.1?password-file=/nonexistent/pw", "password file /nonexistent/pw: no such file or directory"),
        ("redis:///", "no host"),
    ])
    func refusesBadURLs(url: String, reason: String?) {
        var failure: String?
        do {
            _ = try RedisFeed(url: url, environment: ["REDIS_PASSWORD": "x"])
        } catch {
            failure = error.reason
        }
        #expect(failure == reason)
    }
}
