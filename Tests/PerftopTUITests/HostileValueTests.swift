import PerfKit
import PerftopDemo
import Testing

@testable import PerftopCore
@testable import PerftopTUI

/// Whatever numbers a source sends, every pane draws and every export writes: the dashboard and
/// `--once` once died with "Double value cannot be converted to Int" on a memory series that went
/// from -1.7e308 to 1.7e308.
@Suite("hostile values")
struct HostileValueTests {
    /// Pairs of consecutive values, each pair the whole history of every series.
    static let histories: [[Double]] = [
        [-1.7e308, 1.7e308],
        [1.7e308, -1.7e308],
        [.nan, .infinity],
        [-.infinity, -0.0],
        [.greatestFiniteMagnitude, .leastNonzeroMagnitude],
        [-.greatestFiniteMagnitude, -.leastNonzeroMagnitude],
        [.leastNormalMagnitude / 4, 0],
        [0, .nan],
    ]

    /// Every series the demo agent reports, plus the other conventions the panes read.
    static let series: [Sample] = {
        var samples = DemoAgent().registry.collectSamples()
        samples += [
            Sample(name: "node_cpu_seconds_total", labels: ["cpu": "0", "mode": "idle"], kind: .counter, value: 0),
            Sample(name: "node_cpu_seconds_total", labels: ["cpu": "0", "mode": "user"], kind: .counter, value: 0),
            Sample(name: "go_memstats_alloc_bytes_total", kind: .counter, value: 0),
            Sample(name: "go_memstats_heap_alloc_bytes", kind: .gauge, value: 0),
            Sample(name: "go_gc_duration_seconds", labels: ["quantile": "0.95"], kind: .summary, value: 0),
            Sample(name: "go_gc_duration_seconds_count", kind: .summary, value: 0),
            Sample(name: "jvm_gc_pause_seconds_bucket", labels: ["le": "0.1"], kind: .histogram, value: 0),
            Sample(name: "jvm_gc_pause_seconds_bucket", labels: ["le": "+Inf"], kind: .histogram, value: 0),
            Sample(name: "jvm_gc_pause_seconds_count", kind: .histogram, value: 0),
            Sample(name: "python_gc_collections_total", labels: ["generation": "0"], kind: .counter, value: 0),
        ]
        return samples
    }()

    /// The model after two rounds in which every series took the two values of `history`.
    static func model(_ history: [Double]) -> DashboardModel {
        var store = SeriesStore(retention: 10)
        for (index, value) in history.enumerated() {
            let samples = Self.series.map { Sample(name: $0.name, labels: $0.labels, kind: $0.kind, value: value) }
            store.record(source: "agent", samples: samples, at: 1_700_000_000 + Double(index))
        }
        return DashboardModel(
            store: store,
            sources: [SourceStatus(name: "agent", state: .ok)],
            timestamp: 1_700_000_000 + Double(history.count - 1),
            interval: 1
        )
    }

    @Test("the dashboard draws at every size and in both glyph sets", arguments: Self.histories)
    func dashboardDraws(history: [Double]) {
        let model = Self.model(history)
        for (width, height) in [(200, 50), (120, 40), (80, 24), (60, 16)] {
            for glyphs in [Glyphs.unicode, .ascii] {
                let grid = TestModels.dashboard(model, width: width, height: height, glyphs: glyphs)
                #expect(grid.line(0).hasPrefix("perftop"))
                #expect(grid.text.contains("Memory"))
            }
        }
        for pane in DashboardRenderer().panes {
            let grid = TestModels.render(pane, model, width: 100, height: 30)
            #expect(grid.text.contains(pane.title))
        }
    }

    @Test("every derived value exports", arguments: Self.histories)
    func derivedValuesExport(history: [Double]) {
        let model = Self.model(history)
        let round = Collector.Round(time: 1_700_000_001, results: [], model: model)
        #expect(!CSVExporter().rows(for: round).isEmpty)
        #expect(!JSONLinesExporter().rows(for: round).isEmpty)
    }
}
