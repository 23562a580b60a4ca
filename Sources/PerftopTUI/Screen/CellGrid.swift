/// An in-memory grid of cells: one frame of the dashboard, drawn headless and written to the
/// terminal in one batch.
///
/// Panes never draw into the grid directly; they get a ``Canvas``, a clipped view of a region,
/// from ``withCanvas(_:glyphs:_:)``. Memory: one ``Cell`` per row and column.
public struct CellGrid: Sendable, Hashable {
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    /// The cells, row by row.
    private var cells: [Cell]

    /// Creates a grid of blank cells; negative sizes become zero.
    public init(rows: Int, columns: Int) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        self.cells = Array(repeating: .blank, count: self.rows * self.columns)
    }

    /// The rectangle the grid covers, with its top-left corner at row 0, column 0.
    public var bounds: Rect { Rect(row: 0, column: 0, height: self.rows, width: self.columns) }

    /// The cell at a row and column, both of which must be inside the grid.
    public subscript(row: Int, column: Int) -> Cell {
        precondition(row >= 0 && row < self.rows && column >= 0 && column < self.columns, "cell outside the grid")
        return self.cells[row * self.columns + column]
    }

    /// Whether `row` holds the same cells here and in `other`; false when the grids' sizes differ.
    /// Cost: O(columns).
    func row(_ row: Int, equals other: CellGrid) -> Bool {
        guard self.rows == other.rows && self.columns == other.columns && row >= 0 && row < self.rows else {
            return false
        }
        let start = row * self.columns
        return self.cells[start..<start + self.columns] == other.cells[start..<start + self.columns]
    }

    // MARK: - Drawing

    /// Writes `text` from a row and column to the right, in one style, clipped at the grid's edges.
    ///
    /// Text that starts left of the grid loses its head; text that runs past the right edge loses
    /// its tail. A wide character that would straddle an edge becomes a space; a wide character
    /// that is partly overwritten leaves a space in its other half. Control characters are drawn
    /// as `?` and zero-width characters are dropped.
    /// - Parameters:
    ///   - row: The row; nothing is drawn when it is outside the grid.
    ///   - column: The column of the first character; may be negative.
    ///   - text: The text, one line.
    ///   - style: The role of every character written.
    /// - Returns: The column just after the text, as if nothing had been clipped.
    @discardableResult
    public mutating func put(row: Int, column: Int, text: some StringProtocol, style: Style = .normal) -> Int {
        self.put(row: row, column: column, text: text, style: style, clip: self.bounds)
    }

    /// Fills a rectangle, clipped to the grid, with one character in one style.
    ///
    /// Cost: O(cells filled); a one-column character is stored directly, without text layout.
    public mutating func fill(_ rect: Rect, character: Character = " ", style: Style = .normal) {
        let area = rect.intersection(self.bounds)
        guard !area.isEmpty else {
            return
        }
        guard character.terminalWidth == 1 && !character.isControl else {
            let line = String(repeating: character, count: area.width / max(1, character.terminalWidth))
            for row in area.row..<area.maxRow {
                self.put(row: row, column: area.column, text: line, style: style, clip: area)
            }
            return
        }
        let cell = Cell(character: character, style: style)
        for row in area.row..<area.maxRow {
            self.set(row: row, column: area.column, character: character, width: 1, style: style)
            self.set(row: row, column: area.maxColumn - 1, character: character, width: 1, style: style)
            let base = row * self.columns
            for column in area.column..<area.maxColumn {
                self.cells[base + column] = cell
            }
        }
    }

    /// Runs `body` with a ``Canvas`` that draws into `rect` (clipped to the grid).
    ///
    /// The canvas borrows the grid's storage for the duration of `body`, so drawing copies nothing.
    /// - Parameters:
    ///   - rect: The region, in grid coordinates.
    ///   - glyphs: The glyph set widgets in the canvas use.
    ///   - body: Draws into the canvas.
    /// - Returns: What `body` returns; callers that draw only may ignore it.
    @discardableResult
    public mutating func withCanvas<Result>(
        _ rect: Rect,
        glyphs: Glyphs = .unicode,
        _ body: (inout Canvas) throws -> Result
    ) rethrows -> Result {
        var canvas = Canvas(grid: self, bounds: rect.intersection(self.bounds), glyphs: glyphs)
        self = CellGrid(rows: 0, columns: 0)
        defer { self = canvas.grid }
        return try body(&canvas)
    }

    // MARK: - Reading

    /// The grid as text: rows joined by newlines, trailing spaces of each row removed, the right
    /// halves of wide characters skipped. Meant for tests and snapshots.
    public var text: String {
        (0..<self.rows).map { self.line($0) }.joined(separator: "\n")
    }

    /// One row as text, trailing spaces removed; see ``text``.
    public func line(_ row: Int) -> String {
        guard row >= 0 && row < self.rows else {
            return ""
        }
        var line = ""
        for column in 0..<self.columns {
            let cell = self.cells[row * self.columns + column]
            if !cell.isContinuation {
                line.append(cell.character)
            }
        }
        while line.last == " " {
            line.removeLast()
        }
        return line
    }

    // MARK: - Internals

    /// ``put(row:column:text:style:)`` clipped to `clip`, which must lie inside the grid.
    @discardableResult
    mutating func put(row: Int, column: Int, text: some StringProtocol, style: Style, clip: Rect) -> Int {
        let visible = row >= clip.row && row < clip.maxRow
        // Printable ASCII, most of the text: walked as bytes, cheaper than the scalars below.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            let end = column + text.utf8.count
            guard visible else {
                return end
            }
            var current = column
            for byte in text.utf8 {
                if current >= clip.column && current < clip.maxColumn {
                    self.set(
                        row: row,
                        column: current,
                        character: Character(Unicode.Scalar(byte)),
                        width: 1,
                        style: style
                    )
                }
                current += 1
            }
            return end
        }
        // Sparklines, braille dots and box drawing: each scalar a character one column wide
        // (``Character/isNarrowScalar(_:)``), drawn without breaking the text into graphemes.
        if text.unicodeScalars.allSatisfy(Character.isNarrowScalar) {
            var current = column
            for scalar in text.unicodeScalars {
                if visible && current >= clip.column && current < clip.maxColumn {
                    self.set(row: row, column: current, character: Character(scalar), width: 1, style: style)
                }
                current += 1
            }
            return current
        }
        var current = column
        for character in text {
            let width = character.terminalWidth
            if width == 0 {
                continue
            }
            let start = current
            current += width
            guard visible && current > clip.column && start < clip.maxColumn else {
                continue
            }
            if start < clip.column || current > clip.maxColumn {
                for part in max(start, clip.column)..<min(current, clip.maxColumn) {
                    self.set(row: row, column: part, character: " ", width: 1, style: style)
                }
                continue
            }
            let shown: Character = character.isControl ? "?" : character
            self.set(row: row, column: start, character: shown, width: width, style: style)
        }
        return current
    }

    /// Stores a character of width 1 or 2, blanking the other half of any wide character it cuts.
    private mutating func set(row: Int, column: Int, character: Character, width: Int, style: Style) {
        let base = row * self.columns
        for part in column..<(column + width) {
            let index = base + part
            if self.cells[index].isContinuation && part > 0 {
                self.cells[index - 1] = Cell(character: " ", style: self.cells[index - 1].style)
            }
            if part + 1 < self.columns && self.cells[index + 1].isContinuation {
                self.cells[index + 1] = Cell(character: " ", style: self.cells[index + 1].style)
            }
        }
        self.cells[base + column] = Cell(character: character, style: style)
        if width == 2 {
            self.cells[base + column + 1] = Cell(character: " ", style: style, isContinuation: true)
        }
    }
}
