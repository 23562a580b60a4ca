import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("TrackerPickerOverlay")
struct TrackerPickerOverlayTests {
    private func render(_ picker: TrackerPickerState, width: Int = 80, height: Int = 16, glyphs: Glyphs = .unicode)
        -> CellGrid
    {
        var grid = CellGrid(rows: height, columns: width)
        grid.withCanvas(grid.bounds, glyphs: glyphs) { TrackerPickerOverlay.draw(picker, into: &$0) }
        return grid
    }

    @Test("the series list: title, filter line with the count, the selection marked, kinds, the hint")
    func series() throws {
        let picker = TrackerPickerState(
            targetIndex: 0,
            targetName: "Users Lookup",
            candidates: TrackerPickerStateTests.candidates
        )
        let grid = self.render(picker)
        let text = grid.text
        #expect(text.contains("Bind 'Users Lookup'"))
        #expect(text.contains("filter: _"))
        #expect(text.contains("3 of 3 series"))
        let selected = try #require(
            (0..<grid.rows).first { grid.line($0).contains(#"> operation_seconds{op="users.lookup"}"#) }
        )
        #expect(grid.line(selected).contains("summary"))
        let column = try #require(grid.line(selected).distance(of: ">"))
        #expect(grid[selected, column].style == .selected)
        #expect(text.contains("type to filter  ↑↓ select  Enter choose  Esc cancel"))
    }

    @Test("the statistics of the chosen series, the default said; ASCII arrows without Unicode")
    func statistics() {
        var picker = TrackerPickerState(
            targetIndex: 0,
            targetName: "Users Lookup",
            candidates: TrackerPickerStateTests.candidates
        )
        _ = picker.choose()
        let text = self.render(picker, glyphs: .ascii).text
        #expect(text.contains(#"operation_seconds{op="users.lookup"}"#))
        #expect(text.contains("> p95"))
        #expect(text.contains("default for a summary"))
        #expect(text.contains("^v select  Enter bind  Esc back"))
    }

    @Test("a filter that matches nothing says so; a terminal too small gets no box")
    func emptyAndSmall() {
        var picker = TrackerPickerState(targetIndex: 0, targetName: "x", candidates: TrackerPickerStateTests.candidates)
        _ = picker.type("z")
        #expect(self.render(picker).text.contains("no series matches the filter"))
        #expect(self.render(picker, width: 20, height: 4).text.allSatisfy { $0 == " " || $0 == "\n" })
    }
}
