import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("DashboardRenderer")
struct DashboardRendererTests {
    static let titles = [
        "Cache hit rate", "Queue depth", "p95 latency", "Memory", "Allocation churn", "Optimization tracker",
    ]

    @Test("every pane title shows at common sizes", arguments: [(80, 24), (200, 50), (150, 40), (60, 16)])
    func allTitles(width: Int, height: Int) {
        let grid = TestModels.dashboard(TestModels.full, width: width, height: height)
        #expect(grid.rows == height && grid.columns == width)
        for title in Self.titles {
            #expect(grid.text.contains(title), "missing \(title) at \(width)×\(height)")
        }
        #expect(grid.line(height - 1).hasPrefix("q quit"))
    }

    @Test("at 200×50 the header shows every source state and perftop's own cost")
    func header() {
        let grid = TestModels.dashboard(TestModels.full, width: 200, height: 50)
        let header = grid.line(0)
        #expect(header.hasPrefix("perftop │ proc ok │ agent:/tmp/a.sock stale 12s │ http://db:9100 down: connection"))
        #expect(header.contains("every 1s"))
        #expect(header.hasSuffix("collect 1.20ms  draw 350µs  cpu 0.8%"))
    }

    @Test("below the minimum size the screen says so")
    func tooSmall() {
        let grid = TestModels.dashboard(TestModels.full, width: 59, height: 20)
        #expect(grid.text.contains("terminal too small: need 60×16, have 59×20"))
        #expect(!grid.text.contains("Memory"))
        let tiny = TestModels.dashboard(TestModels.full, width: 20, height: 5)
        #expect(tiny.text.contains("terminal too"))
    }

    @Test("ASCII glyphs draw boxes and graphs without Unicode")
    func asciiGlyphs() {
        let grid = TestModels.dashboard(TestModels.full, width: 80, height: 24, glyphs: .ascii)
        #expect(grid.line(1).hasPrefix("+- Cache hit rate -"))
        #expect(grid.line(0).hasPrefix("perftop | 3 sources: 1 ok, 1 stale, 1 down |"))
        #expect(grid.text.contains("_-#"))
        #expect(!grid.text.contains("█"))
        #expect(!grid.text.contains("│"))
    }

    @Test("a view state hides panes, zooms, freezes, focuses and shows the interval in force")
    func viewState() {
        let size = TerminalSize(width: 200, height: 50)
        var state = DashboardViewState()
        state.receive(TestModels.full)
        _ = state.handle(.character("2"))
        var grid = DashboardRenderer().render(TestModels.full, size: size, state: state)
        #expect(!grid.text.contains("Queue depth"))
        #expect(grid.text.contains("[Cache hit rate]"))
        _ = state.handle(.character("+"))
        _ = state.handle(.character("f"))
        grid = DashboardRenderer().render(TestModels.full, size: size, state: state)
        #expect(grid.line(0).hasPrefix("perftop │ FROZEN │ proc ok"))
        #expect(grid.line(0).contains("every 2s"))
        #expect(grid.line(49).hasPrefix("q quit  space resume  +/- interval"))
        #expect(grid.line(49).hasSuffix("interval 2s"))
        _ = state.handle(.tab)
        _ = state.handle(.character("z"))
        grid = DashboardRenderer().render(TestModels.full, size: size, state: state)
        #expect(grid.text.contains("[p95 latency]"))
        #expect(!grid.text.contains("Cache hit rate"))
        #expect(grid.line(1).hasPrefix("┌─[p95 latency]"))
        #expect(grid.line(48).hasSuffix("┘"))
        #expect(grid.line(48).count == 200)
    }

    @Test("with every pane hidden the body says how to show one")
    func allHidden() {
        var state = DashboardViewState()
        for digit in "123456" {
            _ = state.handle(.character(digit))
        }
        let grid = DashboardRenderer().render(TestModels.full, size: TerminalSize(width: 80, height: 24), state: state)
        #expect(grid.text.contains(DashboardRenderer.allHiddenHint))
        #expect(grid.line(0).hasPrefix("perftop"))
        #expect(grid.line(23).hasPrefix("q quit"))
    }

    @Test("the help overlay sits over the panes and names every key")
    func helpOverlay() {
        var state = DashboardViewState()
        _ = state.handle(.character("?"))
        let grid = DashboardRenderer().render(TestModels.full, size: TerminalSize(width: 200, height: 50), state: state)
        for binding in KeyBindings.all {
            #expect(grid.text.contains(binding.summary))
        }
        #expect(grid.line(0).hasPrefix("perftop"))
    }

    @Test("the footer drops hints that do not fit but keeps q quit and ? help")
    func narrowFooter() {
        let grid = TestModels.dashboard(TestModels.full, width: 60, height: 16)
        let footer = grid.line(15)
        #expect(footer.hasPrefix("q quit"))
        #expect(footer.hasSuffix("? help"))
        #expect(footer.count <= 60)
    }

    @Test("a nameless model still draws, with every pane saying why it is empty")
    func emptyModel() {
        let text = TestModels.dashboard(TestModels.empty, width: 200, height: 50).text
        #expect(text.contains("no data: no source reports cache_* metrics"))
        #expect(text.contains("no tracker loaded"))
        #expect(text.contains("collect –  draw –  cpu –"))
    }
}
