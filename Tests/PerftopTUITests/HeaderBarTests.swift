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

    @Test("a short row keeps the cost and counts the sources by state, cut if need be")
    func shortRow() {
        let line = self.header(TestModels.full, width: 80)
        #expect(line.hasPrefix("perftop │ 3 sources: 1 ok, 1 stale, 1 down │"))
        #expect(line.hasSuffix("collect 1.20ms draw 350µs cpu 0.8%"))
        let shorter = self.header(TestModels.full, width: 60)
        #expect(shorter.hasPrefix("perftop │ 3 sources: 1 ok "))
        #expect(shorter.hasSuffix("collect 1.20ms draw 350µs cpu 0.8%"))
    }

    @Test("frozen shows FROZEN after perftop, kept even when the row is short")
    func frozen() {
        var grid = CellGrid(rows: 1, columns: 60)
        grid.withCanvas(grid.bounds) { HeaderBar.draw(model: TestModels.full, isFrozen: true, into: &$0) }
        #expect(grid.line(0).hasPrefix("perftop │ FROZEN │ 3 sou…"))
    }

    @Test("the interval in force replaces the model's")
    func intervalInForce() {
        var grid = CellGrid(rows: 1, columns: 120)
        let model = DashboardModel(timestamp: 0, interval: 1)
        grid.withCanvas(grid.bounds) { HeaderBar.draw(model: model, interval: .milliseconds(250), into: &$0) }
        #expect(grid.line(0).hasPrefix("perftop │ no sources │ every 250ms"))
    }

    @Test("sources that fit are listed by the names they give themselves")
    func listedByLabel() {
        let model = DashboardModel(
            timestamp: 0,
            interval: 1,
            sources: [
                SourceStatus(name: "proc", state: .ok),
                SourceStatus(name: "agent:/run/a.sock", state: .ok, displayName: "demo[42]"),
                SourceStatus(name: "agent:/run/\u{1B}[2J.sock", state: .pending),
            ]
        )
        let line = self.header(model, width: 160)
        #expect(line.hasPrefix("perftop │ proc ok │ demo[42] ok │ agent:/run/\\u{1B}[2J.sock pending │ every 1s"))
    }

    @Test("sources that do not fit are counted by state, states without a source left out")
    func summary() {
        let states: [SourceState] = [
            .ok, .ok, .down(reason: "connection refused"), .stale(age: 2, reason: "timeout"), .ok,
        ]
        let model = DashboardModel(
            timestamp: 0,
            interval: 1,
            sources: states.enumerated().map { SourceStatus(name: "agent:/run/\($0.offset).sock", state: $0.element) }
        )
        #expect(self.header(model, width: 200).hasPrefix("perftop │ agent:/run/0.sock ok │ agent:/run/1.sock ok"))
        #expect(self.header(model, width: 120).hasPrefix("perftop │ 5 sources: 3 ok, 1 stale, 1 down │ every 1s"))
        let segments = HeaderBar.summary(model.sources)
        #expect(segments.map(\.style) == [.normal, .good, .normal, .warning, .normal, .critical])
    }

    @Test("no sources configured is said, not hidden")
    func noSources() {
        let line = self.header(DashboardModel(timestamp: 0, interval: 2), width: 120)
        #expect(line.hasPrefix("perftop │ no sources │ every 2s"))
    }

    @Test("a replay shows the record's time, playing or paused, the speed and the round")
    func replay() {
        var model = TestModels.full
        model.timestamp = 1_796_464_800.75
        model.replay = ReplayStatus(round: 119, rounds: 3600, isPlaying: true, speed: 4)
        #expect(self.header(model, width: 200).contains("perftop │ REPLAY 2026-12-05 10:00:00Z ▶ 4× 120/3600 │"))
        model.replay = ReplayStatus(round: 0, rounds: 2, isPlaying: false, speed: 0.25)
        #expect(self.header(model, width: 200).contains("REPLAY 2026-12-05 10:00:00Z ‖ ¼× 1/2"))
    }
}
