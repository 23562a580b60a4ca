/// A rectangle of cells: a top-left corner and a size, in rows and columns.
public struct Rect: Sendable, Hashable {
    /// The top row.
    public var row: Int
    /// The leftmost column.
    public var column: Int
    /// The number of rows; never negative.
    public var height: Int
    /// The number of columns; never negative.
    public var width: Int

    /// Creates a rectangle; a negative height or width becomes zero.
    public init(row: Int, column: Int, height: Int, width: Int) {
        self.row = row
        self.column = column
        self.height = max(0, height)
        self.width = max(0, width)
    }

    /// The row just below the rectangle.
    public var maxRow: Int { self.row + self.height }

    /// The column just right of the rectangle.
    public var maxColumn: Int { self.column + self.width }

    /// True when the rectangle holds no cell.
    public var isEmpty: Bool { self.height == 0 || self.width == 0 }

    /// The cells both rectangles hold; empty when they do not overlap.
    public func intersection(_ other: Rect) -> Rect {
        let row = max(self.row, other.row)
        let column = max(self.column, other.column)
        return Rect(
            row: row,
            column: column,
            height: min(self.maxRow, other.maxRow) - row,
            width: min(self.maxColumn, other.maxColumn) - column
        )
    }

    /// The rectangle moved by the given number of rows and columns.
    public func offsetBy(rows: Int, columns: Int) -> Rect {
        Rect(row: self.row + rows, column: self.column + columns, height: self.height, width: self.width)
    }
}

/// The size of a terminal, in columns and rows.
public struct TerminalSize: Sendable, Hashable {
    /// The number of columns.
    public var width: Int
    /// The number of rows.
    public var height: Int

    /// Creates a size; negative values become zero.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
    }
}
