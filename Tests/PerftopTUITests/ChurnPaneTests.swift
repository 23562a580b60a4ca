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
        let full = TestModels.dashboard(TestModels.full, width: 80, height: 24).text
        #expect(full.contains("│from glibc mallinfo2 + /proc minor    │"))
        #expect(full.contains("│faults                                │"))
        #expect(full.contains("│  minor faults           1.20k/s      │"))
        let exact = TestModels.dashboard(TestModels.exactChurn, width: 80, height: 24).text
        #expect(exact.contains("│agent from exact: malloc interposer   │"))
        #expect(exact.contains("│  allocated            45.6MiB/s      │"))
        #expect(exact.contains("│↓ 3 more                              │"))
    }

    @Test("in the 200×50 dashboard every readout shows")
    func dashboard200x50() {
        let text = TestModels.dashboard(TestModels.exactChurn, width: 200, height: 50).text
        #expect(text.contains("proc from /proc minor faults"))
        #expect(text.contains("  freed                44.0MiB/s"))
    }

    @Test("a readout without a value is a dash in its unit's place")
    func missingValue() {
        #expect(ChurnPane.format(ChurnReadout(measure: "frees", value: nil, unit: .perSecond)) == "–")
        #expect(ChurnPane.format(ChurnReadout(measure: "heap growth", value: -512, unit: .bytesPerSecond)) == "-512B/s")
    }

    /// A Go service and a JVM service, as DashboardModel derives them from their runtimes' names.
    static let runtimes = TestModels.churn(
        sources: ["go", "jvm"],
        [
            ChurnView(
                source: "go",
                origin: "Go runtime (go_memstats)",
                readouts: [
                    ChurnReadout(measure: "GC collections", value: 2, unit: .perSecond),
                    ChurnReadout(measure: "GC pause p95", value: 0.00125, unit: .seconds),
                    ChurnReadout(measure: "allocated", value: 128_000, unit: .bytesPerSecond),
                ]
            ),
            ChurnView(
                source: "jvm",
                origin: "JVM (Micrometer jvm_gc)",
                readouts: [
                    ChurnReadout(measure: "GC collections", value: 20, unit: .perSecond),
                    ChurnReadout(measure: "GC pause mean", value: nil, unit: .seconds),
                ]
            ),
        ]
    )

    @Test("GC runtimes: the runtime named, collections per second and pauses in seconds, a dash without a value")
    func runtimes() {
        let grid = TestModels.render(ChurnPane(), Self.runtimes, width: 80, height: 24)
        #expect(grid.line(1).contains("go from Go runtime (go_memstats)"))
        #expect(grid.line(2).contains("  GC collections          2.00/s"))
        #expect(grid.line(3).contains("  GC pause p95            1.25ms"))
        #expect(grid.line(4).contains("  allocated             125KiB/s"))
        #expect(grid.line(5).contains("jvm from JVM (Micrometer jvm_gc)"))
        #expect(grid.line(6).contains("  GC collections          20.0/s"))
        #expect(grid.line(7).contains("  GC pause mean                –"))
    }

    @Test("no churn readouts: the pane says why")
    func noData() {
        let text = TestModels.render(ChurnPane(), TestModels.empty, width: 80, height: 24).text
        #expect(text.contains("no data: no source reports allocation, heap or page-fault counters"))
    }

    @Test("the lines scroll by the context's offset, clamped so the last page is full")
    func scrolling() {
        let scrolled = TestModels.render(
            ChurnPane(),
            TestModels.exactChurn,
            context: PaneContext(scrollOffset: 2),
            width: 40,
            height: 7
        )
        #expect(scrolled.line(1).contains("  frees"))
        #expect(scrolled.line(5).contains("↓ 1 more, lines 3-6 of 7"))
        let end = TestModels.render(
            ChurnPane(),
            TestModels.exactChurn,
            context: PaneContext(scrollOffset: 50),
            width: 40,
            height: 7
        )
        #expect(end.line(4).contains("  minor faults"))
        #expect(end.line(5).contains("↑ 3 above, lines 4-7 of 7"))
    }
}
