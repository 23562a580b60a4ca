/// A clipped, translated view of a region of a ``CellGrid``: what a ``Pane`` or widget draws into.
///
/// Coordinates are local: row 0, column 0 is the region's top-left cell, and nothing drawn
/// outside the region reaches the grid. Get one from ``CellGrid/withCanvas(_:glyphs:_:)`` or
/// ``withRegion(_:_:)``.
public struct Canvas: Sendable {
    /// The grid drawn into; borrowed from its owner while the canvas lives.
    var grid: CellGrid
    /// The region, in grid coordinates.
    public let bounds: Rect
    /// The glyph set widgets use: Unicode, or ASCII when the terminal cannot show Unicode.
    public let glyphs: Glyphs

    init(grid: CellGrid, bounds: Rect, glyphs: Glyphs) {
        self.grid = grid
        self.bounds = bounds
        self.glyphs = glyphs
    }

    /// The number of columns.
    public var width: Int { self.bounds.width }

    /// The number of rows.
    public var height: Int { self.bounds.height }

    // MARK: - Drawing

    /// Writes `text` at a local row and column, clipped to the canvas; see
    /// ``CellGrid/put(row:column:text:style:)`` for clipping and wide characters.
    /// - Returns: The local column just after the text, as if nothing had been clipped.
    @discardableResult
    public mutating func put(row: Int, column: Int, text: some StringProtocol, style: Style = .normal) -> Int {
        let end = self.grid.put(
            row: self.bounds.row + row,
            column: self.bounds.column + column,
            text: text,
            style: style,
            clip: self.bounds
        )
        return end - self.bounds.column
    }

    /// Writes `text` so that it ends at the canvas's right edge (or at `endColumn`), cutting it
    /// with an ellipsis when it is wider than the canvas.
    public mutating func putRightAligned(row: Int, text: String, style: Style = .normal, endColumn: Int? = nil) {
        let end = endColumn ?? self.width
        let shown = text.truncated(toWidth: end, ellipsis: self.glyphs.ellipsis)
        self.put(row: row, column: end - shown.displayWidth, text: shown, style: style)
    }

    /// Fills the whole canvas (or a local rectangle of it) with one character in one style.
    public mutating func fill(_ rect: Rect? = nil, character: Character = " ", style: Style = .normal) {
        let local = rect ?? Rect(row: 0, column: 0, height: self.height, width: self.width)
        let area = local.offsetBy(rows: self.bounds.row, columns: self.bounds.column).intersection(self.bounds)
        self.grid.fill(area, character: character, style: style)
    }

    /// Runs `body` with a canvas for a local rectangle of this one, clipped to this canvas.
    /// - Returns: What `body` returns; callers that draw only may ignore it.
    @discardableResult
    public mutating func withRegion<Result>(_ rect: Rect, _ body: (inout Canvas) throws -> Result) rethrows -> Result {
        let area = rect.offsetBy(rows: self.bounds.row, columns: self.bounds.column).intersection(self.bounds)
        var region = Canvas(grid: self.grid, bounds: area, glyphs: self.glyphs)
        self.grid = CellGrid(rows: 0, columns: 0)
        defer { self.grid = region.grid }
        return try body(&region)
    }
}
