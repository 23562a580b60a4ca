import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("TrackerPane")
struct TrackerPaneTests {
    @Test("targets show goal, current value and a styled status, sorted by status")
    func targets() throws {
        let grid = TestModels.render(TrackerPane(), TestModels.full, width: 60, height: 6)
        #expect(grid.line(1).contains("target"))
        #expect(grid.line(2).hasPrefix("│embeddings hits "))
        #expect(grid.line(2).contains(" >= 95%           – no data"))
        #expect(grid.line(3).hasPrefix("│jobs p95 "))
        #expect(grid.line(3).contains(" p95 < 50ms  45.2ms met"))
        let status = try #require(grid.line(3).distance(of: "met"))
        #expect(grid[3, status].style == .good)
    }

    @Test("priority, due date, owner, change and trend show when the tracker has them")
    func extraColumns() {
        let text = TestModels.render(TrackerPane(), TestModels.tracker, width: 120, height: 8).text
        #expect(text.contains("now status   change trend  prio   due        owner"))
        #expect(text.contains("p95 < 50ms  45.2ms met        -32% better high   2026-12-01 ana"))
        let narrow = TestModels.render(TrackerPane(), TestModels.tracker, width: 50, height: 8).text
        #expect(!narrow.contains("owner"))
        #expect(narrow.contains("status"))
    }

    @Test(
        "s orders the rows by status, priority or due date; ties keep tracker order",
        arguments: [
            (TrackerSort.status, ["rss", "alloc", "p95", "hits"]),
            (.priority, ["p95", "alloc", "hits", "rss"]),
            (.due, ["rss", "p95", "alloc", "hits"]),
        ]
    )
    func sorting(sort: TrackerSort, names: [String]) {
        #expect(TrackerPane.sorted(TestModels.tracker.tracker, by: sort).map(\.name) == names)
    }

    @Test("the table scrolls by the context's offset, clamped so the last page is full")
    func scrolling() {
        var model = TestModels.full
        model.tracker = (0..<12).map { TrackerTargetView(name: "t\($0)", goal: "< 1ms", status: "met") }
        let top = TestModels.render(TrackerPane(), model, width: 60, height: 8).text
        #expect(top.contains("t0 "))
        #expect(top.contains("↓ 8 more"))
        let scrolled = TestModels.render(
            TrackerPane(),
            model,
            context: PaneContext(scrollOffset: 3),
            width: 60,
            height: 8
        )
        #expect(scrolled.line(2).hasPrefix("│t3 "))
        #expect(scrolled.text.contains("↓ 5 more, rows 4-7 of 12"))
        let end = TestModels.render(TrackerPane(), model, context: PaneContext(scrollOffset: 99), width: 60, height: 8)
        #expect(end.line(2).hasPrefix("│t8 "))
        #expect(end.text.contains("↑ 8 above, rows 9-12 of 12"))
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
