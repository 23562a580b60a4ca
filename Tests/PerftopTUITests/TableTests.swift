import Testing

@testable import PerftopTUI

@Suite("Table")
struct TableTests {
    private let columns = [Table.Column(title: "row", minWidth: 5, alignment: .left, priority: 0)]

    /// A one-column table of `total` rows named `r0`, `r1`, …, scrolled to `offset`, in `height` rows.
    private func render(total: Int, offset: Int, height: Int, glyphs: Glyphs = .unicode) -> CellGrid {
        let visible = Table.visibleRows(total: total, offset: offset, height: height)
        let table = Table(
            columns: self.columns,
            rows: visible.map { [.text("r\($0)", .normal)] },
            totalRows: total,
            firstRow: visible.lowerBound
        )
        var grid = CellGrid(rows: height, columns: 40)
        grid.withCanvas(grid.bounds, glyphs: glyphs) { table.draw(into: &$0) }
        return grid
    }

    @Test(
        "the visible rows follow the offset, clamped so the last page is full",
        arguments: [
            (5, 0, 8, 0..<5), (12, 0, 8, 0..<6), (12, 3, 8, 3..<9), (12, 99, 8, 6..<12), (12, -4, 8, 0..<6),
            (0, 3, 8, 0..<0), (3, 0, 3, 0..<3), (5, 1, 3, 1..<3),
        ]
    )
    func visibleRows(total: Int, offset: Int, height: Int, rows: Range<Int>) {
        #expect(Table.visibleRows(total: total, offset: offset, height: height) == rows)
    }

    @Test("an unscrolled table counts the rows below")
    func top() {
        let grid = self.render(total: 12, offset: 0, height: 8)
        #expect(grid.line(1) == "r0")
        #expect(grid.line(7) == "↓ 6 more")
    }

    @Test("a scrolled table says which rows it shows, and what lies above at the end")
    func scrolled() {
        let middle = self.render(total: 12, offset: 3, height: 8)
        #expect(middle.line(1) == "r3")
        #expect(middle.line(7) == "↓ 3 more, rows 4-9 of 12")
        let end = self.render(total: 12, offset: 50, height: 8)
        #expect(end.line(6) == "r11")
        #expect(end.line(7) == "↑ 6 above, rows 7-12 of 12")
        #expect(self.render(total: 12, offset: 3, height: 8, glyphs: .ascii).line(7) == "v 3 more, rows 4-9 of 12")
    }
}
