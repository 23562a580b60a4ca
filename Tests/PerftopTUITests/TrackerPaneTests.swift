import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("TrackerPane")
struct TrackerPaneTests {
    @Test("targets show goal, current value and a styled status")
    func targets() throws {
        let grid = TestModels.render(TrackerPane(), TestModels.full, width: 60, height: 6)
        #expect(grid.line(1).contains("target"))
        #expect(grid.line(2).contains("jobs p95        p95 < 50ms  45.2ms met"))
        #expect(grid.line(3).contains("embeddings hits >= 95%           – no data"))
        let status = try #require(grid.line(2).distance(of: "met"))
        #expect(grid[2, status].style == .good)
    }

    @Test(
        "status words map to styles",
        arguments: [
            ("met", Style.good), ("at risk", .warning), ("missed", .critical), ("no data", .dim), ("unbound", .dim),
        ]
    )
    func statusStyle(status: String, style: Style) {
        #expect(TrackerPane.statusStyle(status) == style)
    }

    @Test("no tracker loaded: the pane says so")
    func notLoaded() {
        let text = TestModels.render(TrackerPane(), TestModels.empty, width: 80, height: 4).text
        #expect(text.contains("no tracker loaded: no optimization targets to show"))
    }
}
