import PerfKit
import ServerTestKit
import Testing

@testable import PerftopCore

/// The memcached feed against a real `memcached` from Debian's packages on 127.0.0.1 (skipped, saying
/// why, when it is not installed), and `stats` answers read as they arrive. No assertion depends on
/// elapsed time.
@Suite(.timeLimit(.minutes(1)))
struct MemcachedFeedTests {
    static let isInstalled = ServerTestProcess.isInstalled("/usr/bin/memcached")
    static let skipReason: Comment = "memcached is not installed (apt install memcached; .ci/run does it as root)"

    private static func value(_ samples: [Sample], _ name: String, _ labels: [String: String] = ["cache": "memcached"])
        -> Double?
    {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func readsKnownTrafficAsTheServerCountsIt() async throws {
        let server = try await ServerTestProcess.memcached()
        defer { server.stop() }
        let commands =
            "set k 0 0 1\r\nv\r\n" + String(repeating: "get k\r\n", count: 700)
            + String(repeating: "get missing\r\n", count: 300) + "version\r\n"
        _ = try await server.send(commands) { $0.contains("VERSION ") }
        let feed = try MemcachedFeed(url: "memcached://127.0.0.1:\(server.port)")
        let samples = try await feed.poll(timeout: .mustSucceed)
        let stats = try await server.send("stats\r\n") { $0.hasSuffix("END\r\n") }
        let own = { (field: String) in
            stats.split(separator: "\r\n").first { $0.hasPrefix("STAT \(field) ") }.flatMap {
                Double($0.split(separator: " ")[2])
            }
        }
        #expect(Self.value(samples, MetricName.cacheHits) == 700)
        #expect(Self.value(samples, MetricName.cacheMisses) == 300)
        #expect(Self.value(samples, MetricName.cacheHits) == own("get_hits"))
        #expect(Self.value(samples, MetricName.cacheEntries) == 1)
        #expect(Self.value(samples, MetricName.cacheCapacityBytes) == Double(16 << 20))
        #expect(Self.value(samples, MetricName.cacheBytes) == own("bytes"))
        #expect(Self.value(samples, MetricName.memcachedConnections, [:]) ?? 0 >= 1)

        let collector = Collector(
            feeds: [feed],
            // A long interval, and with it the poll's timeout: a loaded test run must not time the poll out.
            configuration: Collector.Configuration(interval: .seconds(30))
        )
        _ = await collector.collectOnce()
        _ = try await server.send(String(repeating: "get k\r\n", count: 9) + "get nope\r\nversion\r\n") {
            $0.contains("VERSION ")
        }
        _ = await collector.collectOnce()
        let cache = try #require(collector.model.caches.first { $0.name == "memcached" })
        #expect(cache.hitRate == 0.9)
        await feed.close()
    }

    @Test func aServerThatIsNotMemcachedIsNamedAsSuch() async throws {
        let http = try await HTTPTestServer(.ok("hello", contentType: "text/plain"))
        let feed = try MemcachedFeed(url: "memcached://127.0.0.1:\(http.port)")
        let reason = await failureReason(polling: feed, timeout: .mustSucceed)
        #expect(reason?.hasPrefix("not a memcached reply (starts with 'HTTP/1.1 ") == true, "\(reason ?? "no failure")")
        await feed.close()
        await http.stop()
    }

    @Test func aHungServerTimesOut() async throws {
        let hung = try await SilentTCPServer()
        let feed = try MemcachedFeed(url: "memcached://127.0.0.1:\(hung.port)")
        let reason = await failureReason(polling: feed, timeout: .milliseconds(300))
        #expect(reason == "timeout after 0.3s", "\(reason ?? "no failure")")
        await feed.close()
        await hung.stop()
    }

    @Test func readsAnswersAsTheyArrive() throws {
        let answer = "STAT pid 1\r\nSTAT get_hits 5\r\nEND\r\n"
        for cut in 0..<answer.utf8.count {
            #expect(try !MemcachedStats.isComplete(Array(answer.utf8.prefix(cut))), "cut at \(cut)")
        }
        #expect(try MemcachedStats.isComplete(Array(answer.utf8)))
        #expect(try MemcachedStats.isComplete(Array("END\r\n".utf8)))
        #expect(try MemcachedStats.isComplete(Array("SERVER_ERROR out of memory\r\n".utf8)))
        #expect(throws: MemcachedStats.Malformed.self) { try MemcachedStats.isComplete(Array("-ERR unknown".utf8)) }
        #expect(throws: FeedError("memcached: SERVER_ERROR out of memory")) {
            try MemcachedStats.samples(Array("SERVER_ERROR out of memory\r\n".utf8))
        }
    }

    @Test func refusesAUserOrPassword() {
        #expect(
            throws: FeedError("memcached takes no user or password (perftop speaks its text protocol, which has none)")
        ) {
            try MemcachedFeed(url: "memcached://user@127.0.0.1?password-env=X")
        }
    }
}
