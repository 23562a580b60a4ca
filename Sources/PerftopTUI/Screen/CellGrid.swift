/// An in-memory grid of cells: one frame of the dashboard, drawn headless and written to the
/// terminal in one batch.
///
/// Panes never draw into the grid directly; they get a ``Canvas``, a clipped view of a region,
/// from ``withCanvas(_:glyphs:_:)``. Memory: 8 bytes per row and column, plus the characters of
/// more than one Unicode scalar drawn (a flag, an emoji sequence), at most two per cell.
public struct CellGrid: Sendable {
    /// The number of rows.
    public let rows: Int
    /// The number of columns.
    public let columns: Int
    /// The cells, row by row, packed: filling, copying and comparing them counts no references.
    private var cells: [PackedCell]
    /// The characters of more than one scalar that cells hold (``PackedCell/clusterBit``).
    private(set) var clusters: [Character] = []

    /// One cell as the grid holds it: 8 bytes, a plain value.
    struct PackedCell: Sendable, Equatable {
        /// A Unicode scalar's value, or ``clusterBit`` plus the index of a character in the grid's
        /// clusters.
        var content: UInt32
        var style: Style
        var isContinuation: Bool

        /// Marks a ``content`` that is an index into the clusters (scalars end at 0x10FFFF).
        static let clusterBit: UInt32 = 1 << 31

        static let blank = PackedCell(content: 0x20, style: .normal, isContinuation: false)

        var isCluster: Bool { self.content & Self.clusterBit != 0 }
    }

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
        let cell = self.packedCell(row: row, column: column)
        return Cell(character: self.character(of: cell), style: cell.style, isContinuation: cell.isContinuation)
    }

    /// The cell at a row and column as the grid holds it; both must be inside the grid.
    func packedCell(row: Int, column: Int) -> PackedCell {
        precondition(row >= 0 && row < self.rows && column >= 0 && column < self.columns, "cell outside the grid")
        return self.cells[row * self.columns + column]
    }

    /// The character `cell`, a cell of this grid, holds.
    func character(of cell: PackedCell) -> Character {
        cell.isCluster
            ? self.clusters[Int(cell.content & ~PackedCell.clusterBit)]
            : Character(Unicode.Scalar(cell.content) ?? " ")
    }

    /// Calls `body` with each Unicode scalar of the character `cell`, a cell of this grid, holds.
    func forEachScalar(of cell: PackedCell, _ body: (Unicode.Scalar) -> Void) {
        guard cell.isCluster else {
            body(Unicode.Scalar(cell.content) ?? " ")
            return
        }
        for scalar in self.clusters[Int(cell.content & ~PackedCell.clusterBit)].unicodeScalars {
            body(scalar)
        }
    }

    /// Whether `cell` of this grid and `other` of `grid` show the same character in the same way.
    private func cell(_ cell: PackedCell, equals other: PackedCell, of grid: CellGrid) -> Bool {
        guard cell.isCluster || other.isCluster else {
            return cell == other
        }
        return cell.style == other.style && cell.isContinuation == other.isContinuation
            && cell.isCluster && other.isCluster
            && self.character(of: cell).unicodeScalars.elementsEqual(grid.character(of: other).unicodeScalars)
    }

    /// Whether `row` holds the same cells here and in `other`; false when the grids' sizes differ.
    /// Cost: O(columns).
    func row(_ row: Int, equals other: CellGrid) -> Bool {
        guard self.rows == other.rows && self.columns == other.columns && row >= 0 && row < self.rows else {
            return false
        }
        let start = row * self.columns
        for index in start..<start + self.columns
        where !self.cell(self.cells[index], equals: other.cells[index], of: other) {
            return false
        }
        return true
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
        let content = self.content(of: character)
        let cell = PackedCell(content: content, style: style, isContinuation: false)
        for row in area.row..<area.maxRow {
            self.set(row: row, column: area.column, content: content, width: 1, style: style)
            self.set(row: row, column: area.maxColumn - 1, content: content, width: 1, style: style)
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
                line.append(self.character(of: cell))
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
                    self.set(row: row, column: current, content: UInt32(byte), width: 1, style: style)
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
                    self.set(row: row, column: current, content: scalar.value, width: 1, style: style)
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
                    self.set(row: row, column: part, content: PackedCell.blank.content, width: 1, style: style)
                }
                continue
            }
            let shown: Character = character.isControl ? "?" : character
            self.set(row: row, column: start, content: self.content(of: shown), width: width, style: style)
        }
        return current
    }

    /// What a cell holds for `character`: its scalar, or the index of a character of several
    /// scalars, added to the clusters. The clusters are compacted to those still shown (at most
    /// one per cell) when they reach twice the cells, so redrawing a grid never grows them past
    /// that, and a compaction, O(cells), comes at most once per that many characters added.
    private mutating func content(of character: Character) -> UInt32 {
        let scalars = character.unicodeScalars
        if scalars.count == 1, let scalar = scalars.first {
            return scalar.value
        }
        if self.clusters.count >= max(16, 2 * self.cells.count) {
            self.compactClusters()
        }
        self.clusters.append(character)
        return PackedCell.clusterBit | UInt32(self.clusters.count - 1)
    }

    /// Keeps only the clusters a cell holds, renumbered.
    private mutating func compactClusters() {
        var kept: [Character] = []
        for index in self.cells.indices where self.cells[index].isCluster {
            kept.append(self.character(of: self.cells[index]))
            self.cells[index].content = PackedCell.clusterBit | UInt32(kept.count - 1)
        }
        self.clusters = kept
    }

    /// Stores a character of width 1 or 2, blanking the other half of any wide character it cuts.
    private mutating func set(row: Int, column: Int, content: UInt32, width: Int, style: Style) {
        let base = row * self.columns
        for part in column..<(column + width) {
            let index = base + part
            if self.cells[index].isContinuation && part > 0 {
                self.cells[index - 1] = PackedCell(
                    content: PackedCell.blank.content,
                    style: self.cells[index - 1].style,
                    isContinuation: false
                )
            }
            if part + 1 < self.columns && self.cells[index + 1].isContinuation {
                self.cells[index + 1] = PackedCell(
                    content: PackedCell.blank.content,
                    style: self.cells[index + 1].style,
                    isContinuation: false
                )
            }
        }
        self.cells[base + column] = PackedCell(content: content, style: style, isContinuation: false)
        if width == 2 {
            self.cells[base + column + 1] = PackedCell(
                content: PackedCell.blank.content,
                style: style,
                isContinuation: true
            )
        }
    }
}

// MARK: - Equality

extension CellGrid: Hashable {
    /// Whether the grids have the same size and show the same characters in the same styles.
    public static func == (lhs: CellGrid, rhs: CellGrid) -> Bool {
        lhs.rows == rhs.rows && lhs.columns == rhs.columns && (0..<lhs.rows).allSatisfy { lhs.row($0, equals: rhs) }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.rows)
        hasher.combine(self.columns)
        for cell in self.cells {
            hasher.combine(cell.style)
            hasher.combine(cell.isContinuation)
            self.forEachScalar(of: cell) { hasher.combine($0) }
        }
    }
}
