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
        #expect(grid.line(0).hasPrefix("perftop | proc ok |"))
        #expect(grid.text.contains("_-#"))
        #expect(!grid.text.contains("█"))
        #expect(!grid.text.contains("│"))
    }

    @Test("a nameless model still draws, with every pane saying why it is empty")
    func emptyModel() {
        let text = TestModels.dashboard(TestModels.empty, width: 200, height: 50).text
        #expect(text.contains("no data: no source reports cache_* metrics"))
        #expect(text.contains("no tracker loaded"))
        #expect(text.contains("collect –  draw –  cpu –"))
    }
}
