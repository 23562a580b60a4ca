import Testing

@testable import PerftopTUI

@Suite("DashboardLayout")
struct DashboardLayoutTests {
    @Test(
        "the grid adapts to the width",
        arguments: [
            (200, 50, DashboardLayout.Arrangement.grid(columns: 3, rows: 2)),
            (150, 16, .grid(columns: 3, rows: 2)),
            (149, 40, .grid(columns: 2, rows: 3)),
            (80, 24, .grid(columns: 2, rows: 3)),
            (79, 24, .grid(columns: 1, rows: 6)),
            (60, 16, .grid(columns: 1, rows: 6)),
            (59, 40, .tooSmall),
            (120, 15, .tooSmall),
            (0, 0, .tooSmall),
        ]
    )
    func arrangement(width: Int, height: Int, expected: DashboardLayout.Arrangement) {
        #expect(DashboardLayout(width: width, height: height).arrangement == expected)
    }

    @Test(
        "panes tile the body between header and footer without gaps or overlap",
        arguments: [
            (80, 24), (200, 50), (150, 31), (61, 17), (97, 23),
        ]
    )
    func tiling(width: Int, height: Int) {
        let layout = DashboardLayout(width: width, height: height)
        #expect(layout.header == Rect(row: 0, column: 0, height: 1, width: width))
        #expect(layout.footer == Rect(row: height - 1, column: 0, height: 1, width: width))
        #expect(layout.panes.count == 6)
        var covered = Array(repeating: 0, count: width * height)
        for rect in layout.panes + [layout.header, layout.footer] {
            for row in rect.row..<rect.maxRow {
                for column in rect.column..<rect.maxColumn {
                    covered[row * width + column] += 1
                }
            }
        }
        #expect(covered.allSatisfy { $0 == 1 })
    }

    @Test("side-by-side panes get boxes, stacked panes title rules")
    func frames() {
        #expect(DashboardLayout(width: 80, height: 24).frame == .box)
        #expect(DashboardLayout(width: 70, height: 24).frame == .rule)
    }

    @Test("80×24 gives every pane a box of 40×7 or 40×8")
    func eightyByTwentyFour() {
        let layout = DashboardLayout(width: 80, height: 24)
        #expect(layout.panes.map(\.width) == [40, 40, 40, 40, 40, 40])
        #expect(layout.panes.map(\.height) == [8, 8, 7, 7, 7, 7])
    }

    @Test("fewer panes re-flow: a short last row shares the whole width", arguments: [1, 2, 3, 4, 5])
    func fewerPanes(count: Int) {
        let layout = DashboardLayout(width: 200, height: 50, paneCount: count)
        #expect(layout.panes.count == count)
        var covered = Array(repeating: 0, count: 200 * 50)
        for rect in layout.panes + [layout.header, layout.footer] {
            for row in rect.row..<rect.maxRow {
                for column in rect.column..<rect.maxColumn {
                    covered[row * 200 + column] += 1
                }
            }
        }
        #expect(covered.allSatisfy { $0 == 1 })
    }

    @Test("one pane (a zoom) fills the body, boxed where the width allows")
    func zoomed() {
        let layout = DashboardLayout(width: 120, height: 30, paneCount: 1)
        #expect(layout.panes == [layout.body])
        #expect(layout.body == Rect(row: 1, column: 0, height: 28, width: 120))
        #expect(layout.frame == .box)
        #expect(DashboardLayout(width: 70, height: 30, paneCount: 1).frame == .rule)
    }

    @Test("no pane keeps header, footer and an empty body")
    func noPanes() {
        let layout = DashboardLayout(width: 80, height: 24, paneCount: 0)
        #expect(layout.arrangement == .noPanes)
        #expect(layout.panes.isEmpty)
        #expect(layout.footer == Rect(row: 23, column: 0, height: 1, width: 80))
        #expect(DashboardLayout(width: 50, height: 24, paneCount: 0).arrangement == .tooSmall)
    }

    @Test("60×20 fits, in one column of title rules")
    func sixtyByTwenty() {
        let layout = DashboardLayout(width: 60, height: 20)
        #expect(layout.arrangement == .grid(columns: 1, rows: 6))
        #expect(layout.frame == .rule)
    }

    @Test("a fixed number of columns overrides the width's, at most one per pane")
    func fixedColumns() {
        let layout = DashboardLayout(width: 200, height: 50, paneCount: 6, columns: 2)
        #expect(layout.arrangement == .grid(columns: 2, rows: 3))
        #expect(layout.panes.map(\.width) == [100, 100, 100, 100, 100, 100])
        #expect(
            DashboardLayout(width: 200, height: 50, paneCount: 2, columns: 4).arrangement == .grid(columns: 2, rows: 1)
        )
        let narrow = DashboardLayout(width: 70, height: 24, paneCount: 4, columns: 2)
        #expect(narrow.arrangement == .grid(columns: 2, rows: 2))
        #expect(narrow.frame == .box, "side by side, even below 80 columns")
    }

    @Test("sizes: widths in a row follow them, and a row's height its largest")
    func sizes() {
        let layout = DashboardLayout(width: 120, height: 32, paneCount: 4, columns: 2, sizes: [2, 1, 1, 1])
        #expect(layout.panes.map(\.width) == [80, 40, 60, 60])
        #expect(layout.panes.map(\.height) == [20, 20, 10, 10])
        #expect(layout.panes.map(\.row) == [1, 1, 21, 21])
        let equal = DashboardLayout(width: 120, height: 32, paneCount: 4, columns: 2, sizes: [1, 1, 1, 1])
        #expect(equal == DashboardLayout(width: 120, height: 32, paneCount: 4, columns: 2))
    }
}
