import Testing

@testable import PerftopTUI

@Suite("PaneFrame")
struct PaneFrameTests {
    /// A 12×5 grid whose every cell holds `x` in the value style.
    private static func dirtyGrid() -> CellGrid {
        var grid = CellGrid(rows: 5, columns: 12)
        grid.fill(grid.bounds, character: "x", style: .value)
        return grid
    }

    @Test func drawsABoxWithItsTitleAndClearsTheInside() {
        var grid = Self.dirtyGrid()
        let content = grid.withCanvas(grid.bounds) { PaneFrame.draw(title: "Cache", kind: .box, into: &$0) }
        #expect(content == Rect(row: 1, column: 1, height: 3, width: 10))
        #expect(grid.line(0) == "┌─ Cache ──┐")
        #expect(grid.line(1) == "│          │")
        #expect(grid.line(4) == "└──────────┘")
    }

    @Test func onABlankCanvasSkippingTheClearDrawsTheSameFrame() {
        for kind in [PaneFrame.Kind.box, .rule] {
            var cleared = CellGrid(rows: 5, columns: 12)
            var skipped = CellGrid(rows: 5, columns: 12)
            cleared.withCanvas(cleared.bounds) { PaneFrame.draw(title: "Queue depth", kind: kind, into: &$0) }
            skipped.withCanvas(skipped.bounds) {
                PaneFrame.draw(title: "Queue depth", kind: kind, into: &$0, isBlank: true)
            }
            #expect(skipped == cleared, "\(kind)")
        }
        // On a canvas that is not blank, skipping the clear leaves what was there.
        var dirty = Self.dirtyGrid()
        dirty.withCanvas(dirty.bounds) { PaneFrame.draw(title: "Cache", kind: .box, into: &$0, isBlank: true) }
        #expect(dirty.line(1) == "│xxxxxxxxxx│")
    }
}
