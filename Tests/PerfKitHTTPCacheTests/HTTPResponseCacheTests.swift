import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import PerfKit
import PerfKitHTTPCache
import PerfKitHTTPCacheAsyncHTTPClient
import PerfKitTestKit
import Testing

/// Runs `body` with a real origin server, a client of its own and a cache over both, dated with a test
/// clock; the client is shut down afterwards.
private func withCache<Result: Sendable>(
    maximumBytes: Int = 1 << 20,
    maximumEntryBytes: Int? = nil,
    maximumResponseBytes: Int = 1 << 20,
    timeout: Duration = .seconds(30),
    isShared: Bool = true,
    _ body: (HTTPResponseCache, OriginServer, TestClock) async throws -> Result
) async throws -> Result {
    try await OriginServer.run { server in
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let clock = TestClock()
        let cache = HTTPResponseCache(
            name: "api",
            transport: AsyncHTTPClientTransport(client: client),
            maximumBytes: maximumBytes,
            maximumEntryBytes: maximumEntryBytes,
            maximumResponseBytes: maximumResponseBytes,
            timeout: timeout,
            isShared: isShared,
            clock: clock
        )
        do {
            let result = try await body(cache, server, clock)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

/// The sources of `count` GETs of `path`, one after another.
private func sources(
    of path: String,
    _ count: Int,
    cache: HTTPResponseCache,
    server: OriginServer
) async throws -> [CachedResponse.Source] {
    var sources: [CachedResponse.Source] = []
    for _ in 0..<count {
        sources.append(try await cache.get(server.url(path)).source)
    }
    return sources
}

@Suite("HTTPResponseCache against a real loopback origin")
struct HTTPResponseCacheTests {
    // MARK: - Freshness

    @Test("max-age: fresh hits until it runs out, then a plain request to the origin")
    func maxAge() async throws {
        try await withCache { cache, server, clock throws in
            let first = try await cache.get(server.url("/max-age"))
            let second = try await cache.get(server.url("/max-age"))
            #expect(first.source == .origin)
            #expect(second.source == .fresh)
            #expect(String(buffer: second.body) == "max-age 1")
            #expect(server.count("/max-age") == 1)

            clock.advance(by: .seconds(59))
            #expect(try await cache.get(server.url("/max-age")).source == .fresh)
            clock.advance(by: .seconds(2))
            let expired = try await cache.get(server.url("/max-age"))
            #expect(expired.source == .origin)
            #expect(String(buffer: expired.body) == "max-age 2")
            #expect(server.count("/max-age") == 2)
            #expect(server.requests("/max-age").last?.contains(name: "If-None-Match") == false)

            let stats = cache.stats
            #expect(stats.freshHits == 2)
            #expect(stats.misses == 2)
            #expect(stats.revalidations == 0)
            #expect(stats.originRequests == 2)
        }
    }

    @Test("A fresh hit carries the response's current Age")
    func ageHeader() async throws {
        try await withCache { cache, server, clock throws in
            _ = try await cache.get(server.url("/max-age"))
            clock.advance(by: .seconds(7))
            let hit = try await cache.get(server.url("/max-age"))
            #expect(hit.headers.first(name: "Age") == "7")
        }
    }

    @Test("Expires minus Date gives the freshness lifetime")
    func expires() async throws {
        try await withCache { cache, server, clock throws in
            #expect(try await sources(of: "/expires", 2, cache: cache, server: server) == [.origin, .fresh])
            clock.advance(by: .seconds(61))
            #expect(try await cache.get(server.url("/expires")).source == .origin)
            #expect(server.count("/expires") == 2)
        }
    }

    @Test("Request no-cache and max-age=0 skip a fresh response")
    func requestDirectives() async throws {
        try await withCache { cache, server, _ throws in
            _ = try await cache.get(server.url("/max-age"))
            let noCache = try await cache.get(server.url("/max-age"), headers: ["Cache-Control": "no-cache"])
            let maxAgeZero = try await cache.get(server.url("/max-age"), headers: ["Cache-Control": "max-age=0"])
            #expect(noCache.source == .origin)
            #expect(maxAgeZero.source == .origin)
            #expect(server.count("/max-age") == 3)
        }
    }

    // MARK: - Revalidation

    @Test("A stale response with an ETag is revalidated with If-None-Match; the 304 refreshes it")
    func entityTagRevalidation() async throws {
        try await withCache { cache, server, clock throws in
            #expect(try await cache.get(server.url("/etag")).source == .origin)
            clock.advance(by: .seconds(11))
            let revalidated = try await cache.get(server.url("/etag"))
            #expect(revalidated.source == .revalidated)
            #expect(revalidated.status == .ok)
            #expect(String(buffer: revalidated.body) == "etag v1")
            #expect(server.count("/etag") == 2)
            #expect(server.requests("/etag").first?.contains(name: "If-None-Match") == false)
            #expect(server.requests("/etag").last?.first(name: "If-None-Match") == "\"v1\"")

            // The 304 restarted its freshness: max-age=10 from now.
            clock.advance(by: .seconds(9))
            #expect(try await cache.get(server.url("/etag")).source == .fresh)
            #expect(server.count("/etag") == 2)

            let stats = cache.stats
            #expect(stats.revalidations == 1)
            #expect(stats.hits == 2)
            #expect(stats.misses == 1)
        }
    }

    @Test("A changed resource answers the conditional request with a 200 that replaces the entry")
    func entityTagChanged() async throws {
        try await withCache { cache, server, clock throws in
            _ = try await cache.get(server.url("/etag"))
            server.setEntityTagVersion(2)
            clock.advance(by: .seconds(11))
            let changed = try await cache.get(server.url("/etag"))
            #expect(changed.source == .origin)
            #expect(String(buffer: changed.body) == "etag v2")
            let fresh = try await cache.get(server.url("/etag"))
            #expect(fresh.source == .fresh)
            #expect(String(buffer: fresh.body) == "etag v2")
            #expect(server.count("/etag") == 2)
            #expect(cache.stats.revalidations == 0)
        }
    }

    @Test("A response with Last-Modified and no freshness is revalidated with If-Modified-Since")
    func lastModifiedRevalidation() async throws {
        try await withCache { cache, server, _ throws in
            #expect(
                try await sources(of: "/last-modified", 3, cache: cache, server: server) == [
                    .origin, .revalidated, .revalidated,
                ]
            )
            let requests = server.requests("/last-modified")
            #expect(requests.count == 3)
            #expect(requests[0].contains(name: "If-Modified-Since") == false)
            #expect(requests[1].first(name: "If-Modified-Since") == OriginServer.lastModified)
            #expect(requests[2].first(name: "If-Modified-Since") == OriginServer.lastModified)
            #expect(cache.stats.revalidations == 2)
        }
    }

    @Test("no-cache is stored but revalidated before every use")
    func noCache() async throws {
        try await withCache { cache, server, _ throws in
            #expect(try await sources(of: "/no-cache", 2, cache: cache, server: server) == [.origin, .revalidated])
            #expect(server.requests("/no-cache").last?.first(name: "If-None-Match") == "\"nc\"")
        }
    }

    // MARK: - What is not stored

    @Test("no-store is never stored, even with an ETag")
    func noStore() async throws {
        try await withCache { cache, server, _ throws in
            #expect(
                try await sources(of: "/no-store", 2, cache: cache, server: server) == [.notCacheable, .notCacheable]
            )
            #expect(server.count("/no-store") == 2)
            #expect(server.requests("/no-store").last?.contains(name: "If-None-Match") == false)
            #expect(cache.stats.storage.entries == 0)
            #expect(cache.stats.misses == 2)
        }
    }

    @Test("A request with no-store bypasses the cache")
    func requestNoStore() async throws {
        try await withCache { cache, server, _ throws in
            let bypassed = try await cache.get(server.url("/max-age"), headers: ["Cache-Control": "no-store"])
            #expect(bypassed.source == .notCacheable)
            #expect(try await cache.get(server.url("/max-age")).source == .origin)
            #expect(server.count("/max-age") == 2)
        }
    }

    @Test("private is not stored by a shared cache")
    func privateShared() async throws {
        try await withCache { cache, server, _ throws in
            #expect(
                try await sources(of: "/private", 2, cache: cache, server: server) == [.notCacheable, .notCacheable]
            )
            #expect(server.count("/private") == 2)
        }
    }

    @Test("private is stored by a single user's cache")
    func privateUnshared() async throws {
        try await withCache(isShared: false) { cache, server, _ throws in
            #expect(try await sources(of: "/private", 2, cache: cache, server: server) == [.origin, .fresh])
            #expect(server.count("/private") == 1)
        }
    }

    @Test("Vary: one stored response per value of the varied request header")
    func vary() async throws {
        try await withCache { cache, server, _ throws in
            var answers: [(CachedResponse.Source, String)] = []
            for language in ["en", "fr", "en", "fr"] {
                let response = try await cache.get(server.url("/vary"), headers: ["Accept-Language": language])
                answers.append((response.source, String(buffer: response.body)))
            }
            #expect(answers.map(\.0) == [.origin, .origin, .fresh, .fresh])
            #expect(answers.map(\.1) == ["hello en", "hello fr", "hello en", "hello fr"])
            #expect(server.count("/vary") == 2)
            let none = try await cache.get(server.url("/vary"))
            #expect(none.source == .origin)
            #expect(String(buffer: none.body) == "hello none")
            #expect(cache.stats.storage.entries == 1)
        }
    }

    @Test("Vary: * is never stored")
    func varyStar() async throws {
        try await withCache { cache, server, _ throws in
            #expect(
                try await sources(of: "/vary-star", 2, cache: cache, server: server) == [.notCacheable, .notCacheable]
            )
        }
    }

    @Test("Methods other than GET pass through and count as neither hit nor miss")
    func post() async throws {
        try await withCache { cache, server, _ throws in
            let request = HTTPOriginRequest(
                method: .POST,
                url: server.url("/max-age"),
                body: ByteBuffer(string: "payload")
            )
            let first = try await cache.execute(request)
            let second = try await cache.execute(request)
            #expect(first.source == .notCacheable)
            #expect(String(buffer: second.body) == "posted 7 bytes", "the body reached the origin")
            #expect(server.count("/max-age") == 2)
            let stats = cache.stats
            #expect(stats.passedThrough == 2)
            #expect(stats.hits + stats.misses == 0)
        }
    }

    // MARK: - Bounds

    @Test("The stored bytes stay within the bound, evicting by the cache's policy")
    func byteBound() async throws {
        try await withCache(maximumBytes: 4_000, maximumEntryBytes: 1_000) { cache, server, _ throws in
            for index in 0..<12 {
                #expect(try await cache.get(server.url("/big/600/\(index)")).source == .origin)
            }
            let storage = cache.stats.storage
            #expect(storage.weight <= 4_000)
            #expect(storage.entries < 12)
            #expect(storage.sizeEvictions > 0)
        }
    }

    @Test("A response over the per-entry limit is served but not stored")
    func entryLimit() async throws {
        try await withCache(maximumBytes: 8_000, maximumEntryBytes: 1_000) { cache, server, _ throws in
            #expect(
                try await sources(of: "/big/2000/a", 2, cache: cache, server: server) == [.notCacheable, .notCacheable]
            )
            #expect(server.count("/big/2000/a") == 2)
            #expect(cache.stats.storage.entries == 0)
        }
    }

    @Test("A body over the response limit fails with responseTooLarge")
    func responseLimit() async throws {
        try await withCache(maximumResponseBytes: 1_000) { cache, server, _ throws in
            let url = server.url("/big/2000/a")
            await #expect(throws: HTTPResponseCacheError.responseTooLarge(url: url, limit: 1_000)) {
                try await cache.get(url)
            }
        }
    }

    @Test("An origin that does not answer in time fails with timedOut, before or during the body")
    func timeout() async throws {
        try await withCache(timeout: .milliseconds(200)) { cache, server, _ in
            for path in ["/slow", "/slow-body"] {
                let url = server.url(path)
                await #expect(throws: HTTPResponseCacheError.timedOut(url: url, timeout: .milliseconds(200))) {
                    try await cache.get(url)
                }
            }
        }
    }

    // MARK: - Single flight

    @Test("Concurrent identical GETs share one origin request")
    func singleFlight() async throws {
        try await withCache { cache, server, _ throws in
            let request = HTTPOriginRequest(url: server.url("/slow"))
            try await withThrowingTaskGroup(of: CachedResponse.self) { group in
                for _ in 0..<5 {
                    group.addTask { try await cache.execute(request) }
                }
                try await waitUntil { cache.waitingCallerCount(for: request) == 5 && server.count("/slow") == 1 }
                server.openGate()
                var bodies: [String] = []
                for try await response in group {
                    bodies.append(String(buffer: response.body))
                }
                #expect(bodies == Array(repeating: "slow", count: 5))
            }
            #expect(server.count("/slow") == 1)
            #expect(cache.stats.originRequests == 1)
            #expect(cache.stats.misses == 5)
            #expect(try await cache.get(server.url("/slow")).source == .fresh)
        }
    }

    // MARK: - Samples

    @Test("Samples: hits, misses and revalidations labelled with the cache, then the storage's")
    func samples() async throws {
        try await withCache { cache, server, clock throws in
            _ = try await cache.get(server.url("/etag"))
            _ = try await cache.get(server.url("/etag"))
            clock.advance(by: .seconds(11))
            _ = try await cache.get(server.url("/etag"))
            let all = cache.collectSamples()
            let label = [LabelName.cache: "api"]
            #expect(PerfKitTestKit.samples(named: MetricName.cacheHits, in: all)[label]?.value == 2)
            #expect(PerfKitTestKit.samples(named: MetricName.cacheMisses, in: all)[label]?.value == 1)
            #expect(PerfKitTestKit.samples(named: MetricName.cacheRevalidations, in: all)[label]?.value == 1)
            #expect(PerfKitTestKit.samples(named: MetricName.cacheEntries, in: all)[label]?.value == 1)
            #expect(PerfKitTestKit.samples(named: MetricName.cacheWeight, in: all)[label]?.value ?? 0 > 0)
            #expect(
                PerfKitTestKit.samples(named: MetricName.cacheEvictions, in: all).count
                    == CacheEvictionCause.allCases.count
            )
            #expect(all.filter { $0.name == MetricName.cacheHits }.count == 1)
        }
    }
}
