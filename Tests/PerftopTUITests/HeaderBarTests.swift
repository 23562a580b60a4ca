import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("HeaderBar")
struct HeaderBarTests {
    /// The header bar of `model` drawn alone into one row of `width` columns.
    private func header(_ model: DashboardModel, width: Int) -> String {
        var grid = CellGrid(rows: 1, columns: width)
        grid.withCanvas(grid.bounds) { HeaderBar.draw(model: model, into: &$0) }
        return grid.line(0)
    }

    @Test("source states read ok, stale Ns, down: reason, pending")
    func states() {
        #expect(HeaderBar.state(.ok) == ("ok", .good))
        #expect(HeaderBar.state(.pending) == ("pending", .dim))
        #expect(HeaderBar.state(.stale(age: 12.4, reason: "timeout")) == ("stale 12s", .warning))
        #expect(HeaderBar.state(.down(reason: "connection refused")) == ("down: connection refused", .critical))
    }

    @Test("intervals are short", arguments: [(1.0, "1s"), (2, "2s"), (0.5, "500ms"), (1.5, "1.50s")])
    func intervals(seconds: Double, expected: String) {
        #expect(HeaderBar.interval(seconds) == expected)
    }

    @Test("a short row keeps the cost and cuts the sources with an ellipsis")
    func shortRow() {
        let line = self.header(TestModels.full, width: 80)
        #expect(line.hasPrefix("perftop │ proc ok │ agent:/tmp/a.sock"))
        #expect(line.contains("…"))
        #expect(line.hasSuffix("collect 1.20ms draw 350µs cpu 0.8%"))
    }

    @Test("frozen shows FROZEN after perftop, kept even when the row is short")
    func frozen() {
        var grid = CellGrid(rows: 1, columns: 60)
        grid.withCanvas(grid.bounds) { HeaderBar.draw(model: TestModels.full, isFrozen: true, into: &$0) }
        #expect(grid.line(0).hasPrefix("perftop │ FROZEN │ proc"))
    }

    @Test("the interval in force replaces the model's")
    func intervalInForce() {
        var grid = CellGrid(rows: 1, columns: 120)
        let model = DashboardModel(timestamp: 0, interval: 1)
        grid.withCanvas(grid.bounds) { HeaderBar.draw(model: model, interval: .milliseconds(250), into: &$0) }
        #expect(grid.line(0).hasPrefix("perftop │ no sources │ every 250ms"))
    }

    @Test("no sources configured is said, not hidden")
    func noSources() {
        let line = self.header(DashboardModel(timestamp: 0, interval: 2), width: 120)
        #expect(line.hasPrefix("perftop │ no sources │ every 2s"))
    }
}
