/// A table that decides which columns fit: columns carry a priority, the least important ones
/// are dropped when the canvas is narrow, and the space left over goes to flexible columns
/// (names, sparklines). A table scrolls: it is built from the rows of ``visibleRows(total:offset:height:)``
/// and its last line says how many rows lie below (`↓ 3 more`) and, when scrolled, which rows are shown.
struct Table {
    /// Where text sits in its column.
    enum Alignment {
        case left
        case right
    }

    /// One column: its header, how wide it may be and how much it matters.
    struct Column {
        /// The header text.
        var title: String
        /// The narrowest the column may be; it is dropped rather than made narrower.
        var minWidth: Int
        /// True when the column takes a share of the space left after every column got its
        /// natural width.
        var isFlexible: Bool = false
        /// Where text sits.
        var alignment: Alignment = .right
        /// Lower numbers are kept first when space is short.
        var priority: Int
    }

    /// What a cell shows.
    enum Content {
        /// Text in a style.
        case text(String, Style)
        /// A sparkline of the values, right-aligned so the newest value keeps its place.
        case sparkline([Double], Sparkline.Scale)
    }

    /// The columns, in display order.
    var columns: [Column]
    /// The rows; each has one content per column. Only rows that can be shown need to be built.
    var rows: [[Content]]
    /// How many rows there are in all, when more exist than `rows` holds; drives the
    /// "↓ N more" line.
    var totalRows: Int? = nil
    /// The index, among all rows, of the first row in `rows`: how far the table is scrolled.
    var firstRow: Int = 0

    // MARK: - Scrolling

    /// The rows a table of `total` rows shows in `height` canvas rows when scrolled to `offset`.
    ///
    /// The offset is clamped so that the last page is full: never below 0, never past the row that
    /// puts the last row on the last line. When not every row fits, one line is kept for the note.
    static func visibleRows(total: Int, offset: Int, height: Int) -> Range<Int> {
        guard total > 0 && height > 0 else {
            return 0..<0
        }
        let space = height - (Self.hasHeader(total: total, height: height) ? 1 : 0)
        guard total > space else {
            return 0..<total
        }
        let shown = max(0, space - 1)
        let first = min(max(0, offset), total - shown)
        return first..<(first + shown)
    }

    /// Whether a table of `total` rows in `height` canvas rows gets its header: when everything
    /// fits with it, and always from four rows.
    private static func hasHeader(total: Int, height: Int) -> Bool {
        total + 1 <= height || height >= 4
    }

    // MARK: - Layout

    /// The width each column gets in `width` columns (with one space between columns); nil for
    /// a dropped column.
    ///
    /// Columns are kept by priority while their minimum widths fit; the space left grows them,
    /// one column at a time in turn, toward the width of their widest text; what remains goes to
    /// flexible columns.
    func columnWidths(forWidth width: Int) -> [Int?] {
        var widths: [Int?] = Array(repeating: nil, count: self.columns.count)
        var used = -1
        let order = self.columns.indices.sorted { (self.columns[$0].priority, $0) < (self.columns[$1].priority, $1) }
        for index in order where used + 1 + self.columns[index].minWidth <= width {
            widths[index] = self.columns[index].minWidth
            used += 1 + self.columns[index].minWidth
        }
        let natural = self.columns.indices.map { self.naturalWidth(of: $0) }
        var growing = order.filter { widths[$0] != nil && widths[$0]! < natural[$0] }
        while used < width && !growing.isEmpty {
            for index in growing where used < width {
                widths[index]! += 1
                used += 1
            }
            growing.removeAll { widths[$0]! >= natural[$0] }
        }
        let flexible = self.columns.indices.filter { widths[$0] != nil && self.columns[$0].isFlexible }
        var spare = width - used
        for (position, index) in flexible.enumerated() {
            let share = spare / (flexible.count - position)
            widths[index]! += share
            spare -= share
        }
        return widths
    }

    /// The width of the column's widest text (header included); sparklines have none of their own.
    private func naturalWidth(of column: Int) -> Int {
        var widest = self.columns[column].title.displayWidth
        for row in self.rows {
            if case .text(let text, _) = row[column] {
                widest = max(widest, text.displayWidth)
            }
        }
        return max(widest, self.columns[column].minWidth)
    }

    // MARK: - Drawing

    /// Draws the header and as many rows as fit from the top of the canvas; when rows do not fit,
    /// the last line says how many lie below and, when scrolled, which rows are shown (`↓ 3 more,
    /// rows 4-6 of 9`). Below four rows the header gives way to data.
    /// Cost: O(rows built × columns).
    /// - Returns: The number of canvas rows used.
    @discardableResult
    func draw(into canvas: inout Canvas) -> Int {
        guard canvas.height > 0 && canvas.width > 0 else {
            return 0
        }
        let widths = self.columnWidths(forWidth: canvas.width)
        let total = max(self.firstRow + self.rows.count, self.totalRows ?? 0)
        let hasHeader = Self.hasHeader(total: total, height: canvas.height)
        var line = 0
        if hasHeader {
            canvas.fill(Rect(row: 0, column: 0, height: 1, width: canvas.width), style: .header)
            self.drawCells(self.columns.map { .text($0.title, .header) }, widths: widths, row: 0, into: &canvas)
            line = 1
        }
        let space = canvas.height - line
        let fits = total <= space
        let shown = min(self.rows.count, fits ? total : max(0, space - 1))
        for row in self.rows.prefix(shown) {
            self.drawCells(row, widths: widths, row: line, into: &canvas)
            line += 1
        }
        if !fits {
            let note = self.note(total: total, shown: shown, glyphs: canvas.glyphs)
            canvas.put(row: line, column: 0, text: note.truncated(toWidth: canvas.width), style: .dim)
            line += 1
        }
        return line
    }

    /// `↓ 3 more` below an unscrolled table; `↓ 3 more, rows 4-6 of 12` or `↑ 9 above, rows 10-12
    /// of 12` when scrolled.
    private func note(total: Int, shown: Int, glyphs: Glyphs) -> String {
        guard shown > 0 else {
            return "\(total) rows: too little room"
        }
        let below = total - self.firstRow - shown
        let moved = below > 0 ? "\(glyphs.arrowDown) \(below) more" : "\(glyphs.arrowUp) \(self.firstRow) above"
        guard self.firstRow > 0 else {
            return moved
        }
        return moved + ", rows \(self.firstRow + 1)-\(self.firstRow + shown) of \(total)"
    }

    /// Draws one row's cells into their columns.
    private func drawCells(_ cells: [Content], widths: [Int?], row: Int, into canvas: inout Canvas) {
        var column = 0
        for (index, content) in cells.enumerated() {
            guard let width = widths[index] else {
                continue
            }
            let text: String
            let style: Style
            let alignment: Alignment
            switch content {
            case .text(let value, let valueStyle):
                text = value.truncated(toWidth: width, ellipsis: canvas.glyphs.ellipsis)
                style = valueStyle
                alignment = self.columns[index].alignment
            case .sparkline(let values, let scale):
                text = Sparkline.render(values, width: width, scale: scale, glyphs: canvas.glyphs)
                style = .graph
                alignment = .right
            }
            let offset = alignment == .right ? width - text.displayWidth : 0
            canvas.put(row: row, column: column + offset, text: text, style: style)
            column += width + 1
        }
    }
}
