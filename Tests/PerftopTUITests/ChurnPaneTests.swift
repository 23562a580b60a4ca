import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("ChurnPane")
struct ChurnPaneTests {
    @Test("a wide pane is a table that names each origin")
    func wide() {
        let grid = TestModels.render(ChurnPane(), TestModels.full, width: 70, height: 5)
        #expect(grid.line(1).contains("measure       per sec from"))
        #expect(grid.line(2).contains("minor faults  1.20k/s /proc minor faults (no allocator counters)"))
    }

    @Test("a narrow pane puts the origin on its own line")
    func narrow() {
        let grid = TestModels.render(ChurnPane(), TestModels.full, width: 40, height: 5)
        #expect(grid.line(1).contains("minor faults"))
        #expect(grid.line(1).hasSuffix("1.20k/s│"))
        #expect(grid.line(2).contains("from /proc minor faults"))
    }

    @Test("no churn readouts: the pane says why")
    func noData() {
        let text = TestModels.render(ChurnPane(), TestModels.empty, width: 80, height: 4).text
        #expect(text.contains("no data: no source reports allocation, GC or page-fault counters"))
    }
}
