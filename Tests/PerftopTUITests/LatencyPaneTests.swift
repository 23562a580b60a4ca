import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("LatencyPane")
struct LatencyPaneTests {
    @Test("at 80×24 each distribution shows p50, p95, p99, max, req/s and a p95 trend")
    func percentiles() {
        let grid = TestModels.render(LatencyPane(), TestModels.full, width: 80, height: 24)
        #expect(grid.line(1).contains("measured                    p50    p95    p99    max   req/s             trend"))
        #expect(grid.line(2).contains("jobs wait                1.20ms 3.40ms 5.10ms 9.00ms   252/s                ▇█"))
        #expect(grid.line(3).contains("jobs service             12.3ms 45.2ms  101ms  250ms   250/s               ▄▆█"))
        #expect(grid.line(4).contains("embed                     850ns      –      –      –     0/s"))
    }

    @Test("in the 80×24 dashboard the narrow pane keeps names whole, p95 and req/s")
    func dashboard80x24() {
        let text = TestModels.dashboard(TestModels.full, width: 80, height: 24).text
        #expect(text.contains("│measured          p95   req/s    trend│"))
        #expect(text.contains("│jobs wait      3.40ms   252/s       ▇█│"))
        #expect(text.contains("│jobs service   45.2ms   250/s      ▄▆█│"))
    }

    @Test("in the 200×50 dashboard every column shows")
    func dashboard200x50() {
        let text = TestModels.dashboard(TestModels.full, width: 200, height: 50).text
        #expect(text.contains("jobs wait         1.20ms 3.40ms 5.10ms 9.00ms   252/s"))
        #expect(text.contains("jobs service      12.3ms 45.2ms  101ms  250ms   250/s"))
    }

    @Test("a long name is cut, the numbers stay")
    func longName() {
        var model = TestModels.full
        model.latencies = [LatencyView(source: "a", name: "http_request_seconds{path=\"/v1/embeddings\"}", p95: 0.0452)]
        let text = TestModels.render(LatencyPane(), model, width: 40, height: 6).text
        #expect(text.contains("http_request_sec…"))
        #expect(text.contains("45.2ms"))
    }

    @Test("rows that do not fit are counted, not dropped silently")
    func overflow() {
        var model = TestModels.full
        model.latencies = (0..<10).map { LatencyView(source: "a", name: "op\($0)", p95: 0.001) }
        let text = TestModels.render(LatencyPane(), model, width: 40, height: 6).text
        #expect(text.contains("op0"))
        #expect(text.contains("↓ 8 more"))
    }

    @Test("no distributions: the pane says why")
    func noData() {
        let text = TestModels.render(LatencyPane(), TestModels.empty, width: 80, height: 24).text
        #expect(text.contains("no data: no source reports *_seconds summaries"))
    }

    @Test("wait against service: a gauge of the waiting share of a processor's p95 time")
    func waitVersusService() {
        let text = TestModels.render(LatencyPane(), TestModels.golden, width: 80, height: 12).text
        #expect(text.contains("│jobs █"))
        #expect(text.contains("wait 3.40ms (7.0%) service 45.2ms│"))
    }

    @Test("the peak p95 shows once known, in the table and over each p95 graph")
    func peaks() {
        let grid = TestModels.render(
            LatencyPane(),
            TestModels.golden,
            context: TestModels.goldenContext,
            width: 80,
            height: 24
        )
        #expect(grid.line(1).contains("max   peak"))
        #expect(grid.line(3).contains("45.2ms  101ms  250ms 70.2ms"))
        #expect(grid.text.contains("jobs service p95"))
        #expect(grid.text.contains("45.2ms peak 70.2ms"))
        // Distributions without a p95 history get no graph.
        #expect(!grid.text.contains("embed p95"))
    }
}
