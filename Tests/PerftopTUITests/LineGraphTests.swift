import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("LineGraph")
struct LineGraphTests {
    /// Draws `graph` alone into a grid of the given size.
    private func render(_ graph: LineGraph, width: Int, height: Int, glyphs: Glyphs = .unicode) -> CellGrid {
        var grid = CellGrid(rows: height, columns: width)
        grid.withCanvas(grid.bounds, glyphs: glyphs) { graph.draw(into: &$0) }
        return grid
    }

    private func graph(_ values: [Double], scale: Sparkline.Scale = .fromZero, interval: Double = 1) -> LineGraph {
        LineGraph(values: values, interval: interval, scale: scale) { UnitFormat.count($0) }
    }

    @Test("braille: two values per cell, four dots high, a step joined into a line")
    func brailleDots() {
        // 0 is the bottom-left dot (0x40); 1 fills the whole right column (0x08 0x10 0x20 0x80).
        #expect(self.render(self.graph([0, 1]), width: 1, height: 1).line(0) == "\u{28F8}")
        // Two values at the top of a fixed 0...1 scale: the top dot of each column.
        #expect(self.render(self.graph([1, 1], scale: .fixed(0...1)), width: 1, height: 1).line(0) == "⠉")
        // Two rows: 0.5 of 0...1 is dot 4 of 8 from the bottom (rounded), in the lower cell's top row.
        let grid = self.render(self.graph([0.5, 0.5], scale: .fixed(0...1)), width: 1, height: 2)
        #expect(grid.line(0) == "⣀")
        #expect(grid.line(1) == "")
    }

    @Test("the newest value sits at the right edge; a gap breaks the line")
    func rightAligned() {
        let grid = self.render(self.graph([1, 1], scale: .fixed(0...1)), width: 3, height: 1)
        #expect(grid.line(0) == "  ⠉")
        let gap = self.render(self.graph([1, .nan, 0, 1], scale: .fixed(0...1)), width: 2, height: 1)
        #expect(gap.line(0) == "⠁\u{28F8}")
    }

    @Test("block glyphs draw one bar per column with eighth-cell tops")
    func blocks() {
        let grid = self.render(
            self.graph([0, 0.5, 1], scale: .fixed(0...1)),
            width: 3,
            height: 2,
            glyphs: .unicodeBlocks
        )
        #expect(grid.line(0) == " ▁█")
        #expect(grid.line(1) == "▁██")
        #expect(grid[1, 2].style == .graphLow)
        #expect(grid[0, 2].style == .graphHigh)
    }

    @Test("ASCII glyphs draw bars of _.-=#")
    func ascii() {
        let grid = self.render(self.graph([0, 0.5, 1], scale: .fixed(0...1)), width: 3, height: 2, glyphs: .ascii)
        #expect(grid.line(0) == " _#")
        #expect(grid.line(1) == "_##")
    }

    @Test("labels show the top and bottom of the range; the axis runs from the oldest slot to now")
    func labelsAndAxis() {
        let values = (0..<60).map { Double($0 % 10) }
        let grid = self.render(self.graph(values), width: 40, height: 4)
        #expect(grid.line(0).hasPrefix("9 "))
        #expect(grid.line(2).hasPrefix("0 "))
        // 38 plot columns hold 76 slots: the left edge is 75 intervals ago, the middle half that.
        let axis = grid.line(3)
        #expect(axis.hasPrefix("  -75s "))
        #expect(axis.contains(" -38s "))
        #expect(axis.hasSuffix(" now"))
        #expect(!self.render(self.graph(values), width: 29, height: 4).line(3).contains("-1"))
        #expect(grid[0, 0].style == .dim)
    }

    @Test("a small canvas drops the axis, then the labels, and keeps the plot")
    func degrades() {
        let values: [Double] = [1, 2, 3, 4]
        let short = self.render(self.graph(values), width: 30, height: 2)
        #expect(!short.text.contains("now"))
        #expect(short.line(0).hasPrefix("4 "))
        let narrow = self.render(self.graph(values), width: 10, height: 4)
        #expect(!narrow.text.contains("4"))
        #expect(narrow.line(3).hasSuffix("now"))
    }

    @Test(
        "the axis labels are short times",
        arguments: [
            (0.0, "now"), (2.5, "-2.5s"), (59, "-59s"), (150, "-2.5m"), (600, "-10m"), (7_200, "-2h"),
        ]
    )
    func ago(seconds: Double, text: String) {
        #expect(LineGraph.ago(seconds) == text)
    }

    @Test("rows take the gradient thirds by height")
    func gradient() {
        #expect(LineGraph.gradient(row: 0, height: 3) == .graphHigh)
        #expect(LineGraph.gradient(row: 1, height: 3) == .graphMedium)
        #expect(LineGraph.gradient(row: 2, height: 3) == .graphLow)
        #expect(LineGraph.gradient(row: 0, height: 1) == .graph)
    }

    @Test("a terminal without UTF-8 shows braille cells as dots and scroll arrows as v and ^")
    func asciiFallback() {
        #expect(Glyphs.asciiFallback(for: "⣿") == ".")
        #expect(Glyphs.asciiFallback(for: "\u{2801}") == ".")
        #expect(Glyphs.asciiFallback(for: "↓") == "v")
        #expect(Glyphs.asciiFallback(for: "↑") == "^")
        #expect(Glyphs.ascii.brailleGraphs == false)
        #expect(Glyphs.unicode.brailleGraphs)
        #expect(!Glyphs.unicodeBlocks.brailleGraphs)
    }

    @Test("a cursor replaces the axis with a mark under its slot, that slot's time and its value")
    func cursor() {
        var graph = self.graph((1...40).map(Double.init))
        // 1,796,464,800 is 2026-12-05 10:00:00Z; 30 columns of braille hold 60 slots.
        graph.cursor = GraphCursor(slotsBack: 0, newest: 1_796_464_800)
        var grid = self.render(graph, width: 30, height: 4)
        #expect(
            grid.line(3).contains("10:00:00Z 40 ▲"),
            "at the right edge, the label left of the mark: \(grid.line(3))"
        )
        graph.cursor = GraphCursor(slotsBack: 9, newest: 1_796_464_800)
        grid = self.render(graph, width: 30, height: 4)
        #expect(grid.line(3).contains("▲ 09:59:51Z 31") || grid.line(3).contains("09:59:51Z 31 ▲"), "\(grid.line(3))")
        #expect(!grid.line(3).contains("now"), "no axis under a cursor")
        graph.cursor = GraphCursor(slotsBack: 50, newest: 1_796_464_800)
        #expect(self.render(graph, width: 30, height: 4).line(3).contains("09:59:10Z –"), "no value that far back")
    }
}
