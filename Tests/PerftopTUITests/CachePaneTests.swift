import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("CachePane")
struct CachePaneTests {
    @Test("a wide pane shows every column with units")
    func wide() {
        let text = TestModels.render(CachePane(), TestModels.full, width: 66, height: 6).text
        #expect(text.contains("Cache hit rate"))
        #expect(text.contains("evict/s"))
        #expect(text.contains("embeddings  93.4%  91.0% 1.23k/s  3.20/s 812/1.02k"))
        #expect(text.contains("▁▅█"))
    }

    @Test("missing values print as a dash, not as zero")
    func missingValues() {
        let grid = TestModels.render(CachePane(), TestModels.full, width: 66, height: 6)
        let sessions = grid.line(3)
        #expect(sessions.contains("sessions"))
        #expect(sessions.contains("–"))
        #expect(!sessions.contains("0"))
    }

    @Test("a narrow pane drops the least important columns first")
    func narrow() {
        let text = TestModels.render(CachePane(), TestModels.full, width: 40, height: 6).text
        #expect(text.contains("93.4%"))
        #expect(text.contains("1.23k/s"))
        #expect(!text.contains("evict/s"))
        #expect(!text.contains("812"))
    }

    @Test("the hit rate is colored by how good it is")
    func hitRateStyle() {
        #expect(CachePane.hitRateStyle(0.95) == .good)
        #expect(CachePane.hitRateStyle(0.6) == .warning)
        #expect(CachePane.hitRateStyle(0.1) == .critical)
        #expect(CachePane.hitRateStyle(nil) == .dim)
    }

    @Test("the cache rows name their source when there are several sources")
    func sourceColumn() {
        var model = TestModels.full
        model.caches.append(CacheView(source: "other", name: "tokens", hitRate: 1))
        let text = TestModels.render(CachePane(), model, width: 100, height: 7).text
        #expect(text.contains("source"))
        #expect(text.contains("other  tokens"))
    }

    @Test("a fleet's rows name each agent by its name and pid, whole, in a narrow pane too")
    func sourceLabels() {
        var model = DashboardModel(timestamp: 0, interval: 1)
        for (index, pid) in [41_001, 41_002].enumerated() {
            let name = "agent:/run/perftop/agent-\(index).sock"
            model.sources.append(SourceStatus(name: name, state: .ok, displayName: "demo[\(pid)]"))
            model.caches.append(CacheView(source: name, name: "users", hitRate: 0.5))
        }
        let text = TestModels.render(CachePane(), model, width: 40, height: 6).text
        #expect(text.contains("demo[41001] users"))
        #expect(text.contains("demo[41002] users"))
        #expect(!text.contains("agent:/run"))
    }

    @Test(
        "no caches: the pane says why",
        arguments: [
            (TestModels.empty, "no data: no source reports cache_* metrics"),
            (DashboardModel(timestamp: 0, interval: 1), "no data: no sources configured"),
            (
                DashboardModel(timestamp: 0, interval: 1, sources: [SourceStatus(name: "a", state: .pending)]),
                "no data yet: waiting for the first poll"
            ),
            (
                DashboardModel(
                    timestamp: 0,
                    interval: 1,
                    sources: [SourceStatus(name: "a", state: .down(reason: "x"))]
                ),
                "no data: every source is down"
            ),
        ]
    )
    func noData(model: DashboardModel, reason: String) {
        let text = TestModels.render(CachePane(), model, width: 80, height: 4).text
        #expect(text.contains(reason))
    }

    @Test("evictions by cause show busiest first, in a column when wide and over the graph when tall")
    func evictionsByCause() {
        #expect(
            CachePane.causes([
                EvictionRate(cause: "expired", perSecond: 0.7), EvictionRate(cause: "size", perSecond: 2.5),
            ])
                == "size 2.50/s expired 0.70/s"
        )
        #expect(CachePane.causes([]) == "–")
        let wide = TestModels.render(CachePane(), TestModels.golden, width: 120, height: 5).text
        #expect(wide.contains("by cause"))
        #expect(wide.contains("size 2.50/s expired 0.70/s"))
        let tall = TestModels.render(CachePane(), TestModels.golden, width: 80, height: 24).text
        #expect(tall.contains("embeddings hit rate"))
        #expect(tall.contains("evict size 2.50/s expired 0.70/s  93.4%"))
    }

    @Test("a tall pane graphs each cache's hit rate under a fill gauge, 0–100 % with a time axis")
    func graphs() {
        let grid = TestModels.render(CachePane(), TestModels.golden, width: 80, height: 24)
        let text = grid.text
        #expect(text.contains("fill █"))
        #expect(text.contains("79.3% 812/1.02k"))
        #expect(text.contains("│100% "))
        #expect(text.contains("│0.0% "))
        #expect(text.contains("now│"))
        #expect(text.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
        // A short pane keeps only the table.
        let short = TestModels.render(CachePane(), TestModels.golden, width: 80, height: 8).text
        #expect(!short.contains("embeddings hit rate"))
    }

    @Test("a semantic cache's graph says how many hits were similar prompts and how similar")
    func similarHits() {
        var model = TestModels.golden
        model.caches[0].similarShareOfHits = 0.35
        model.caches[0].meanSimilarity = 0.934
        let text = TestModels.render(CachePane(), model, width: 100, height: 24).text
        #expect(text.contains("similar 35.0% at 0.93  evict size 2.50/s expired 0.70/s  93.4%"))
    }

    @Test("a cache whose Redis tier is down says so in its row and its graph")
    func downTier() {
        var model = TestModels.golden
        model.caches[0].downTiers = ["redis"]
        let text = TestModels.render(CachePane(), model, width: 100, height: 24).text
        #expect(text.contains(model.caches[0].name + " redis down"))
        #expect(text.contains("redis down  evict size"))
    }
}
