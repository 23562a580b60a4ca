import AsyncHTTPClient
import BenchmarkSupport
import NIOHTTP1
import PerfKit
import PerfKitHTTPCache
import PerfKitHTTPCacheAsyncHTTPClient
import PerftopDemo

/// An ``HTTPResponseCache`` in front of a real loopback origin (the demo's, ``DemoOrigin``): what a
/// fresh hit, a revalidation (`304`) and a miss cost, beside the same GET sent straight to the origin.
enum HTTPCacheBenchmark {
    static let calls = 1_000

    static func run() async throws {
        print()
        print("7. HTTP response cache: GETs of 200–500 byte items from a loopback origin (NIO), one caller")
        let origin = try await DemoOrigin.start()
        let client = HTTPClient.shared
        let cache = HTTPResponseCache(
            name: "bench",
            transport: AsyncHTTPClientTransport(client: client),
            maximumBytes: 64 << 20
        )
        let url = origin.url(ofItem: 7)
        _ = try await cache.get(url)

        var table = TextTable(["GET", "median", "p95", "served as"])
        var direct = HTTPClientRequest(url: url)
        direct.method = .GET
        table.append(
            ["straight to the origin (no cache)"]
                + (try await Self.percentiles { _ in
                    let response = try await client.execute(direct, timeout: .seconds(5))
                    _ = try await response.body.collect(upTo: 1 << 20)
                }) + ["-"]
        )
        var sources: [CachedResponse.Source: Int] = [:]
        table.append(
            ["fresh hit"]
                + (try await Self.percentiles { _ in sources[try await cache.get(url).source, default: 0] += 1 })
                + [Self.describe(sources)]
        )
        sources = [:]
        let revalidate: HTTPHeaders = ["Cache-Control": "max-age=0"]
        table.append(
            ["revalidated (request max-age=0, 304)"]
                + (try await Self.percentiles { _ in
                    sources[try await cache.get(url, headers: revalidate).source, default: 0] += 1
                }) + [Self.describe(sources)]
        )
        sources = [:]
        table.append(
            ["miss (a new item each time, stored)"]
                + (try await Self.percentiles { index in
                    sources[try await cache.get(origin.url(ofItem: 1_000 + index)).source, default: 0] += 1
                }) + [Self.describe(sources)]
        )
        print(table.render())
        await origin.shutdown()
    }

    private static func describe(_ sources: [CachedResponse.Source: Int]) -> String {
        sources.map { "\($0.value) \($0.key)" }.sorted().joined(separator: ", ")
    }

    /// The median and p95 of `calls` calls of `body`, one after the other.
    private static func percentiles(_ body: (Int) async throws -> Void) async throws -> [String] {
        let clock = ContinuousClock()
        var durations: [Duration] = []
        for index in 0..<Self.calls {
            let start = clock.now
            try await body(index)
            durations.append(start.duration(to: clock.now))
        }
        durations.sort()
        return [durations[durations.count / 2], durations[durations.count * 95 / 100]].map { duration in
            let nanoseconds =
                Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) * 1e-9
            return nanoseconds >= 1_000
                ? formatted(nanoseconds / 1_000, digits: 1) + " µs" : formatted(nanoseconds, digits: 0) + " ns"
        }
    }
}
