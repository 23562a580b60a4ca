/// Line graphs laid out below a pane's table in the rows it leaves: each graph under a title line
/// (and an optional gauge line), in one column, or two side by side from ``twoColumnWidth``
/// columns, all growing with the pane.
struct GraphStack {
    /// A gauge line shown between an entry's title and its graph.
    struct GaugeLine {
        /// What is measured, e.g. `fill`.
        var label: String
        /// How full, from 0 to 1; nil draws the text alone.
        var fraction: Double?
        /// The value, e.g. `79.3% 812/1.02k`.
        var text: String
    }

    /// One graph and the lines above it.
    struct Entry {
        /// What is graphed, e.g. `embeddings hit rate`.
        var title: String
        /// The current readout, right-aligned on the title line, e.g. `93.4% peak 97.0%`.
        var detail: String
        /// A gauge line under the title, or nil.
        var gauge: GaugeLine?
        /// Makes the graph when the entry is drawn: a pane lists an entry per row of its table but
        /// shows the few that fit, and a graph's values cost a pass over its history.
        var makeGraph: () -> LineGraph

        init(title: String, detail: String, gauge: GaugeLine? = nil, graph: @autoclosure @escaping () -> LineGraph) {
            self.title = title
            self.detail = detail
            self.gauge = gauge
            self.makeGraph = graph
        }

        /// The rows the entry needs at least: its lines and a three-row graph (two plot rows and the axis).
        var minimumHeight: Int { 1 + (self.gauge == nil ? 0 : 1) + LineGraph.axisMinimumHeight }
    }

    /// From this width, graphs go two to a row.
    static let twoColumnWidth = 100
    /// The rows an entry needs at least when its size is not known yet.
    static let minimumEntryHeight = 4

    /// The graphs, in order.
    var entries: [Entry]
    /// The cursor every graph shows (a frozen dashboard's, on its focused pane), or nil.
    var cursor: GraphCursor? = nil

    /// The rows a table of `tableRows` lines (header included) leaves for graphs in `height` rows,
    /// after one blank separating line; 0 when not even one graph fits, so the table keeps them all.
    static func graphRows(height: Int, tableRows: Int) -> Int {
        let left = height - tableRows - 1
        return left >= Self.minimumEntryHeight ? left : 0
    }

    /// Draws as many entries as fit, from `first` (clamped so the last ones fill the space), sharing
    /// the rows equally. Cost: O(width × height).
    /// - Returns: The number of entries drawn.
    @discardableResult
    func draw(from first: Int = 0, into canvas: inout Canvas) -> Int {
        guard !self.entries.isEmpty, canvas.width > 0, canvas.height > 0 else {
            return 0
        }
        let columns = canvas.width >= Self.twoColumnWidth && self.entries.count > 1 ? 2 : 1
        let tallest = self.entries.map(\.minimumHeight).max() ?? Self.minimumEntryHeight
        let rows = min((self.entries.count + columns - 1) / columns, canvas.height / tallest)
        guard rows > 0 else {
            return 0
        }
        let count = min(self.entries.count, rows * columns)
        let start = min(max(0, first), self.entries.count - count)
        let columnWidth = (canvas.width - (columns - 1)) / columns
        for index in 0..<count {
            let row = index / columns
            let top = row * canvas.height / rows
            let bottom = (row + 1) * canvas.height / rows
            let rect = Rect(
                row: top,
                column: (index % columns) * (columnWidth + 1),
                height: bottom - top,
                width: columnWidth
            )
            let entry = self.entries[start + index]
            var graph = entry.makeGraph()
            graph.cursor = self.cursor
            canvas.withRegion(rect) { Self.draw(entry, graph: graph, into: &$0) }
        }
        return count
    }

    /// One entry: title and detail, the gauge, then its graph in the remaining rows.
    private static func draw(_ entry: Entry, graph: LineGraph, into canvas: inout Canvas) {
        let detailWidth = entry.detail.displayWidth
        let titleWidth = max(0, canvas.width - detailWidth - 1)
        canvas.put(
            row: 0,
            column: 0,
            text: entry.title.truncated(toWidth: titleWidth, ellipsis: canvas.glyphs.ellipsis),
            style: .label
        )
        if detailWidth + 1 < canvas.width {
            canvas.putRightAligned(row: 0, text: entry.detail, style: .value)
        }
        var graphTop = 1
        if let gauge = entry.gauge {
            canvas.withRegion(Rect(row: 1, column: 0, height: 1, width: canvas.width)) {
                Gauge.draw(row: 0, label: gauge.label, fraction: gauge.fraction, text: gauge.text, into: &$0)
            }
            graphTop = 2
        }
        canvas.withRegion(Rect(row: graphTop, column: 0, height: canvas.height - graphTop, width: canvas.width)) {
            graph.draw(into: &$0)
        }
    }
}
