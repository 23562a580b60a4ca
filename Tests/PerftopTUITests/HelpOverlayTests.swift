import Testing

@testable import PerftopTUI

@Suite("HelpOverlay")
struct HelpOverlayTests {
    /// The overlay drawn alone into a grid of `width` × `height`.
    private func overlay(width: Int, height: Int) -> CellGrid {
        var grid = CellGrid(rows: height, columns: width)
        grid.withCanvas(grid.bounds) { HelpOverlay.draw(into: &$0) }
        return grid
    }

    @Test("with room, the overlay lists every binding's keys and action")
    func everyBinding() {
        let text = self.overlay(width: 198, height: 48).text
        #expect(text.contains(HelpOverlay.title))
        for binding in KeyBindings.all {
            #expect(text.contains(binding.label), "missing keys \(binding.label)")
            #expect(text.contains(binding.summary), "missing action \(binding.summary)")
        }
    }

    @Test("in a small body the list flows into columns and still names every key", arguments: [(80, 22), (60, 14)])
    func small(width: Int, height: Int) {
        let grid = self.overlay(width: width, height: height)
        let text = grid.text
        for binding in KeyBindings.all {
            #expect(text.contains(binding.label), "missing keys \(binding.label) at \(width)×\(height)")
        }
    }

    @Test("the overlay is centred")
    func centred() {
        let grid = self.overlay(width: 198, height: 48)
        let rows = (0..<grid.rows).filter { !grid.line($0).isEmpty }
        let top = rows.first ?? 0
        let bottom = grid.rows - 1 - (rows.last ?? 0)
        #expect(abs(top - bottom) <= 1)
        let first = grid.line(top)
        let left = first.prefix { $0 == " " }.count
        let right = grid.columns - first.count
        #expect(abs(left - right) <= 1)
    }
}
