import Testing

@testable import PerftopTUI

@Suite("CellGrid")
struct CellGridTests {
    @Test("text is drawn where asked and trailing spaces are trimmed")
    func putAndText() {
        var grid = CellGrid(rows: 2, columns: 8)
        grid.put(row: 0, column: 2, text: "abc", style: .value)
        #expect(grid.text == "  abc\n")
        #expect(grid[0, 2] == Cell(character: "a", style: .value))
        #expect(grid[0, 5] == .blank)
    }

    @Test("text is clipped at every edge")
    func clipping() {
        var grid = CellGrid(rows: 2, columns: 5)
        let end = grid.put(row: 0, column: 3, text: "abcdef")
        grid.put(row: 1, column: -2, text: "xyz")
        grid.put(row: -1, column: 0, text: "above")
        grid.put(row: 2, column: 0, text: "below")
        #expect(grid.text == "   ab\nz")
        #expect(end == 9)
    }

    @Test("a wide character takes two cells")
    func wideCharacter() {
        var grid = CellGrid(rows: 1, columns: 6)
        let end = grid.put(row: 0, column: 0, text: "名a")
        #expect(end == 3)
        #expect(grid[0, 0].character == "名")
        #expect(grid[0, 1].isContinuation)
        #expect(grid[0, 2].character == "a")
        #expect(grid.text == "名a")
    }

    @Test("a wide character that straddles an edge becomes a space")
    func wideCharacterAtEdges() {
        var grid = CellGrid(rows: 2, columns: 3)
        grid.put(row: 0, column: 0, text: "a名")
        grid.put(row: 0, column: 2, text: "名")
        grid.put(row: 1, column: -1, text: "名b")
        #expect(grid.line(0) == "a")
        #expect(!grid[0, 2].isContinuation)
        #expect(grid.line(1) == " b")
    }

    @Test("overwriting half of a wide character blanks the other half")
    func overwriteWideCharacter() {
        var grid = CellGrid(rows: 2, columns: 4)
        grid.put(row: 0, column: 0, text: "名名")
        grid.put(row: 0, column: 1, text: "x")
        #expect(grid.line(0) == " x名")
        grid.put(row: 1, column: 0, text: "名名")
        grid.put(row: 1, column: 2, text: "y")
        #expect(grid.line(1) == "名y")
        #expect(!grid[1, 3].isContinuation)
    }

    @Test("control characters are drawn as ? and combining marks stay with their base")
    func controlAndCombining() {
        var grid = CellGrid(rows: 1, columns: 6)
        let end = grid.put(row: 0, column: 0, text: "a\tb\u{65}\u{301}")
        #expect(grid.line(0) == "a?be\u{301}")
        #expect(end == 4)
    }

    @Test("a canvas translates and clips to its region")
    func canvasClips() {
        var grid = CellGrid(rows: 3, columns: 6)
        grid.withCanvas(Rect(row: 1, column: 2, height: 1, width: 3)) { canvas in
            #expect(canvas.width == 3 && canvas.height == 1)
            canvas.put(row: 0, column: -1, text: "wxyz")
            canvas.put(row: 1, column: 0, text: "hidden")
        }
        #expect(grid.text == "\n  xyz\n")
    }

    @Test("nested regions clip to the outer canvas")
    func nestedRegion() {
        var grid = CellGrid(rows: 2, columns: 8)
        grid.withCanvas(Rect(row: 0, column: 1, height: 2, width: 4)) { outer in
            outer.withRegion(Rect(row: 1, column: 2, height: 5, width: 10)) { inner in
                #expect(inner.width == 2 && inner.height == 1)
                inner.put(row: 0, column: 0, text: "abcdef")
            }
        }
        #expect(grid.text == "\n   ab")
    }

    @Test("right-aligned text ends at the right edge and is cut when too long")
    func rightAligned() {
        var grid = CellGrid(rows: 2, columns: 6)
        grid.withCanvas(grid.bounds) { canvas in
            canvas.putRightAligned(row: 0, text: "12%")
            canvas.putRightAligned(row: 1, text: "abcdefgh")
        }
        #expect(grid.text == "   12%\nabcde…")
    }

    @Test("a region outside the grid draws nothing")
    func regionOutside() {
        var grid = CellGrid(rows: 2, columns: 2)
        let width = grid.withCanvas(Rect(row: 5, column: 5, height: 2, width: 2)) { canvas in
            canvas.put(row: 0, column: 0, text: "x")
            return canvas.width
        }
        #expect(width == 0)
        #expect(grid.text == "\n")
    }

    @Test("filling over half of a wide character blanks its other half")
    func fillCutsWideCharacter() {
        var grid = CellGrid(rows: 1, columns: 6)
        grid.put(row: 0, column: 0, text: "名名名")
        grid.fill(Rect(row: 0, column: 1, height: 1, width: 4), character: "-", style: .border)
        #expect(grid.line(0) == " ----")
        #expect(!grid[0, 5].isContinuation)
        #expect(grid[0, 1].style == .border)
    }

    @Test("a row equals another grid's only when its characters and styles are the same and the sizes match")
    func rowEquality() {
        var grid = CellGrid(rows: 3, columns: 6)
        grid.put(row: 0, column: 0, text: "same")
        grid.put(row: 1, column: 0, text: "text")
        var other = grid
        other.put(row: 1, column: 0, text: "text", style: .value)
        other.put(row: 2, column: 5, text: "x")
        #expect(grid.row(0, equals: other))
        #expect(!grid.row(1, equals: other), "same characters in another style")
        #expect(!grid.row(2, equals: other), "one cell differs")
        #expect(!grid.row(3, equals: other), "outside the grid")
        #expect(!grid.row(0, equals: CellGrid(rows: 3, columns: 7)), "another width")
    }

    @Test("characters of several scalars are kept whole, compared by their scalars and never pile up")
    func clusters() {
        let (flag, accent, family) = ("🇯🇵", "e\u{301}", "👩‍👩‍👧")
        var grid = CellGrid(rows: 2, columns: 8)
        grid.put(row: 0, column: 0, text: flag + accent + "x")
        #expect(grid[0, 0].character == Character(flag))
        #expect(grid[0, 1].isContinuation)
        #expect(grid[0, 2].character.unicodeScalars.elementsEqual(accent.unicodeScalars))
        #expect(grid.line(0) == flag + accent + "x")

        var other = CellGrid(rows: 2, columns: 8)
        other.put(row: 1, column: 0, text: family)
        other.put(row: 0, column: 0, text: flag + accent + "x")
        #expect(grid.row(0, equals: other), "the same characters under other cluster numbers")
        #expect(grid != other, "row 1 differs")
        other.put(row: 0, column: 2, text: "\u{E9}")
        #expect(!grid.row(0, equals: other), "é in one scalar is another cell than e and an accent")
        other.put(row: 0, column: 0, text: family)
        #expect(!grid.row(0, equals: other))

        var copy = grid
        copy.put(row: 1, column: 0, text: "y")
        #expect(copy != grid)
        copy.put(row: 1, column: 0, text: " ")
        #expect(copy == grid && copy.hashValue == grid.hashValue)

        for _ in 0..<200 {
            grid.put(row: 1, column: 0, text: family + accent)
        }
        #expect(grid.clusters.count <= 2 * 16, "compacted to those shown once they reach twice the cells")
        #expect(grid.line(0) == flag + accent + "x")
        #expect(grid.line(1) == family + accent)
    }
}
