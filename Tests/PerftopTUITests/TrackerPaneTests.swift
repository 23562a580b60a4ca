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

    @Test("focused, the selected target is marked and highlighted, and kept in view when the table scrolls")
    func selection() throws {
        var model = TestModels.full
        model.tracker = (0..<12).map { (index: Int) in
            TrackerTargetView(name: "t\(index)", goal: "< 1ms", status: "met", targetIndex: index)
        }
        let unfocused = TestModels.render(
            TrackerPane(),
            model,
            context: PaneContext(trackerSelection: 2),
            width: 60,
            height: 8
        )
        #expect(!unfocused.text.contains("> t"), "only the focused pane marks its selection")
        let first = TestModels.render(TrackerPane(), model, context: PaneContext(isFocused: true), width: 60, height: 8)
        #expect(first.line(2).hasPrefix("│> t0 "), "no selection yet: the first row")
        #expect(first[2, 1].style == .selected)
        let below = TestModels.render(
            TrackerPane(),
            model,
            context: PaneContext(isFocused: true, scrollOffset: 0, trackerSelection: 9),
            width: 60,
            height: 8
        )
        #expect(below.text.contains("│> t9 "), "a selection below the page scrolls it into view")
        #expect(!below.text.contains("│t0 "))
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
        #expect(text.contains("no tracker loaded (--tracker FILE): no optimization targets to show"))
    }
}

@Suite("TrackerPane advice")
struct TrackerPaneAdviceTests {
    static let capacity = Advice(
        rule: .cacheCapacity,
        severity: .warning,
        subject: AdviceSubject(source: "demo", kind: .cache, name: "embeddings"),
        finding: "hit rate under target while evicting by size",
        action: "raise capacity",
        evidence: [AdviceEvidence(label: "hit rate", value: 0.469, unit: .fraction)]
    )
    static let saturated = Advice(
        rule: .processorSaturated,
        severity: .critical,
        subject: AdviceSubject(source: "demo", kind: .processor, name: "jobs"),
        finding: "saturated",
        action: "add concurrency or shed load",
        evidence: []
    )

    static func model(tracker: [TrackerTargetView], advice: [Advice]) -> DashboardModel {
        var model = TestModels.tracker
        model.tracker = tracker
        model.advice = advice
        return model
    }

    @Test("advice shows under the targets with its numbers and a severity mark")
    func adviceBelowTargets() throws {
        let model = Self.model(tracker: TestModels.tracker.tracker, advice: [Self.saturated, Self.capacity])
        let grid = TestModels.render(TrackerPane(), model, width: 130, height: 12)
        let text = grid.text
        #expect(text.contains("advice"))
        #expect(text.contains("! processor jobs of demo: saturated: add concurrency or shed load"))
        #expect(
            text.contains("! cache embeddings of demo: hit rate under target while evicting by size: raise capacity")
        )
        #expect(text.contains("(hit rate 46.9%)"))
        let row = try #require((0..<12).first { grid.line($0).contains("processor jobs") })
        #expect(grid[row, 1].style == .critical)
        #expect(text.contains("rss"), "every target still shows")
    }

    @Test("without a tracker the advice still shows, under the not-loaded line")
    func adviceWithoutTracker() {
        let text = TestModels.render(
            TrackerPane(),
            Self.model(tracker: [], advice: [Self.capacity]),
            width: 100,
            height: 8
        )
        .text
        #expect(text.contains("no tracker loaded"))
        #expect(text.contains("raise capacity"))
    }

    @Test("when the advice does not fit, the table keeps three rows and the rest is counted")
    func adviceOverflow() {
        let advice = Array(repeating: Self.capacity, count: 6)
        let model = Self.model(tracker: TestModels.tracker.tracker, advice: advice)
        #expect(TrackerPane.tableHeight(model: model, contentHeight: 8) == 3)
        let text = TestModels.render(TrackerPane(), model, width: 60, height: 10).text
        #expect(text.contains("more"))
        // Three rows: two targets and the "more" line, so the last two targets show from offset 2.
        #expect(TrackerPane().scrollLimit(model: model, contentHeight: 8) == 2)
    }
}
