import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("LatencyPane")
struct LatencyPaneTests {
    @Test("each distribution shows p50, p95 and p99 in adaptive units")
    func percentiles() {
        let text = TestModels.render(LatencyPane(), TestModels.full, width: 66, height: 6).text
        #expect(text.contains("p50     p95     p99"))
        #expect(text.contains("processor_service_seconds"))
        #expect(text.contains("12.3ms  45.2ms   101ms"))
        #expect(text.contains("850ns       –       –"))
    }

    @Test("a long name is cut, the numbers stay")
    func longName() {
        let text = TestModels.render(LatencyPane(), TestModels.full, width: 40, height: 6).text
        #expect(text.contains("processor_ser…"))
        #expect(text.contains("45.2ms"))
    }

    @Test("rows that do not fit are counted, not dropped silently")
    func overflow() {
        var model = TestModels.full
        model.latencies = (0..<10).map { LatencyView(source: "a", name: "op\($0)_seconds", p95: 0.001) }
        let text = TestModels.render(LatencyPane(), model, width: 40, height: 6).text
        #expect(text.contains("op0_seconds"))
        #expect(text.contains("… 8 more"))
    }

    @Test("no distributions: the pane says why")
    func noData() {
        let text = TestModels.render(LatencyPane(), TestModels.empty, width: 80, height: 4).text
        #expect(text.contains("no data: no source reports *_seconds summaries or histograms"))
    }
}
