import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("ChurnPane")
struct ChurnPaneTests {
    @Test("mallinfo2: names the source, then minor faults, heap in use and its growth")
    func mallinfo2() {
        let grid = TestModels.render(ChurnPane(), TestModels.full, width: 80, height: 24)
        #expect(grid.line(1).contains("from glibc mallinfo2 + /proc minor faults"))
        #expect(grid.line(2).contains("  minor faults           1.20k/s"))
        #expect(grid.line(3).contains("  heap in use             120MiB"))
        #expect(grid.line(4).contains("  heap growth          1.50MiB/s"))
    }

    @Test("exact counters: allocations, frees and bytes per second, each source named")
    func exact() {
        let text = TestModels.render(ChurnPane(), TestModels.exactChurn, width: 200, height: 50).text
        #expect(text.contains("agent from exact: malloc interposer"))
        #expect(text.contains("  allocations            12.3k/s"))
        #expect(text.contains("  frees                  12.1k/s"))
        #expect(text.contains("  allocated            45.6MiB/s"))
        #expect(text.contains("  freed                44.0MiB/s"))
        #expect(text.contains("proc from /proc minor faults"))
        #expect(text.contains("  minor faults            40.0/s"))
    }

    @Test("in the 80×24 dashboard the origin wraps and what does not fit is counted")
    func dashboard80x24() {
        let full = DashboardRenderer().render(TestModels.full, size: TerminalSize(width: 80, height: 24)).text
        #expect(full.contains("│from glibc mallinfo2 + /proc minor    │"))
        #expect(full.contains("│faults                                │"))
        #expect(full.contains("│  minor faults           1.20k/s      │"))
        let exact = DashboardRenderer().render(TestModels.exactChurn, size: TerminalSize(width: 80, height: 24)).text
        #expect(exact.contains("│agent from exact: malloc interposer   │"))
        #expect(exact.contains("│  allocated            45.6MiB/s      │"))
        #expect(exact.contains("│… 3 more                              │"))
    }

    @Test("in the 200×50 dashboard every readout shows")
    func dashboard200x50() {
        let text = DashboardRenderer().render(TestModels.exactChurn, size: TerminalSize(width: 200, height: 50)).text
        #expect(text.contains("proc from /proc minor faults"))
        #expect(text.contains("  freed                44.0MiB/s"))
    }

    @Test("a readout without a value is a dash in its unit's place")
    func missingValue() {
        #expect(ChurnPane.format(ChurnReadout(measure: "frees", value: nil, unit: .perSecond)) == "–")
        #expect(ChurnPane.format(ChurnReadout(measure: "heap growth", value: -512, unit: .bytesPerSecond)) == "-512B/s")
    }

    @Test("no churn readouts: the pane says why")
    func noData() {
        let text = TestModels.render(ChurnPane(), TestModels.empty, width: 80, height: 24).text
        #expect(text.contains("no data: no source reports allocation, heap or page-fault counters"))
    }
}
