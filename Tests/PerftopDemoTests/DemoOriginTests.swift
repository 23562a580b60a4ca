import NIOHTTP1
import PerfKitHTTPCache
import PerftopCore
import PerftopDemo
import Testing

/// The demo's catalogue as the demo agent reads it: an `HTTPResponseCache` over perftop's own HTTP/1.1
/// client, in front of a real ``DemoOrigin`` on 127.0.0.1. No assertion depends on elapsed time: the
/// item's 2 s `max-age` is skipped with the request's own `max-age=0`, not waited out.
@Suite(.timeLimit(.minutes(1)))
struct DemoOriginTests {
    @Test func anItemIsFetchedThenFreshThenRevalidatedWithItsETag() async throws {
        let origin = try await DemoOrigin.start()
        let client = HTTPFeed.makeClient()
        let catalog = HTTPResponseCache(name: "catalog", transport: client, maximumBytes: 48 << 10)
        let url = origin.url(ofItem: 7)
        do {
            let first = try await catalog.get(url)
            #expect(first.source == .origin)
            #expect(first.status == .ok)
            #expect(String(buffer: first.body).hasPrefix("item 7, revision "))
            #expect(first.headers.first(name: "ETag")?.hasPrefix("\"7-") == true)
            // Fresh for 2 s: a run stalled longer than that would see a revalidation instead.
            let second = try await catalog.get(url)
            #expect([.fresh, .revalidated].contains(second.source))
            let forced = try await catalog.get(url, headers: ["Cache-Control": "max-age=0"])
            let stats = catalog.stats
            #expect(stats.originRequests + stats.freshHits == 3)
            #expect([.revalidated, .origin].contains(forced.source), "a new revision every 15 s is fetched whole")
            #expect(String(buffer: forced.body).hasPrefix("item 7, revision "))
            #expect(try await catalog.get(origin.url(ofItem: -1)).status == .notFound)
        } catch {
            await client.shutdown()
            await origin.shutdown()
            throw error
        }
        await client.shutdown()
        await origin.shutdown()
    }
}
