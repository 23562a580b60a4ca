import Testing

@testable import PerftopTUI

@Suite("Gauge")
struct GaugeTests {
    private func render(width: Int, fraction: Double?, glyphs: Glyphs = .unicode) -> CellGrid {
        var grid = CellGrid(rows: 1, columns: width)
        grid.withCanvas(grid.bounds, glyphs: glyphs) {
            Gauge.draw(row: 0, label: "fill", fraction: fraction, text: "50%", into: &$0)
        }
        return grid
    }

    @Test("label, bar and text share the row; the bar takes the gradient third of its fraction")
    func bar() {
        let grid = self.render(width: 20, fraction: 0.5)
        #expect(grid.line(0) == "fill █████▌░░░░░ 50%")
        #expect(grid[0, 0].style == .label)
        #expect(grid[0, 5].style == .graphMedium)
        #expect(self.render(width: 20, fraction: 0.5, glyphs: .ascii).line(0) == "fill ######..... 50%")
    }

    @Test("too narrow for a bar, or without a fraction, only the text shows")
    func textOnly() {
        #expect(self.render(width: 10, fraction: 0.5).line(0) == "fill 50%")
        #expect(self.render(width: 20, fraction: nil).line(0) == "fill 50%")
    }

    @Test("fractions map to the gradient thirds")
    func style() {
        #expect(Gauge.style(forFraction: 0.1) == .graphLow)
        #expect(Gauge.style(forFraction: 0.5) == .graphMedium)
        #expect(Gauge.style(forFraction: 0.9) == .graphHigh)
        #expect(Gauge.style(forFraction: .nan) == .graph)
    }
}
