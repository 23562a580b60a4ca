import PerftopCore

/// Allocation churn of every source: what is counted, how often per second, and where the number
/// comes from (allocator counters, GC statistics, or /proc faults as a stand-in).
public struct ChurnPane: Pane {
    /// The pane's title.
    public let title = "Allocation churn"

    /// Creates the pane.
    public init() {}

    /// Draws a table when every origin fits on its row, otherwise two lines per readout (value,
    /// then origin); or why there is nothing.
    public func draw(model: DashboardModel, into canvas: inout Canvas) {
        guard !model.churn.isEmpty else {
            NoData.draw(NoData.reason(model, missing: "allocation, GC or page-fault counters"), into: &canvas)
            return
        }
        let showSource = SourceColumn.isNeeded(model.churn.map(\.source))
        let table = self.table(model.churn, showSource: showSource, limit: canvas.height)
        let widths = table.columnWidths(forWidth: canvas.width)
        let origins = model.churn.map(\.origin.displayWidth).max() ?? 0
        if let originWidth = widths[widths.count - 1], originWidth >= origins, !widths.contains(where: { $0 == nil }) {
            table.draw(into: &canvas)
        } else {
            self.drawTwoLine(model.churn, showSource: showSource, into: &canvas)
        }
    }

    /// One row per readout (the first `limit` built): source, measure, rate, origin.
    private func table(_ churn: [ChurnView], showSource: Bool, limit: Int) -> Table {
        var columns: [Table.Column] = [
            Table.Column(title: "measure", minWidth: 7, alignment: .left, priority: 0),
            Table.Column(title: "per sec", minWidth: 8, priority: 0),
            Table.Column(title: "from", minWidth: 10, isFlexible: true, alignment: .left, priority: 2),
        ]
        if showSource {
            columns.insert(Table.Column(title: "source", minWidth: 6, alignment: .left, priority: 1), at: 0)
        }
        let rows: [[Table.Content]] = churn.prefix(limit).map { readout in
            var row: [Table.Content] = [
                .text(readout.measure, .normal),
                .text(UnitFormat.rate(readout.perSecond), .value),
                .text(readout.origin, .dim),
            ]
            if showSource {
                row.insert(.text(readout.source, .dim), at: 0)
            }
            return row
        }
        return Table(columns: columns, rows: rows, totalRows: churn.count)
    }

    /// `source measure      1.2k/s` then `  from origin`, for narrow panes.
    private func drawTwoLine(_ churn: [ChurnView], showSource: Bool, into canvas: inout Canvas) {
        let fitting = churn.count * 2 <= canvas.height ? churn.count : max(0, (canvas.height - 1) / 2)
        var row = 0
        for readout in churn.prefix(fitting) {
            let rate = UnitFormat.rate(readout.perSecond)
            let name = showSource ? readout.source + " " + readout.measure : readout.measure
            let nameWidth = max(0, canvas.width - rate.displayWidth - 1)
            canvas.put(
                row: row,
                column: 0,
                text: name.truncated(toWidth: nameWidth, ellipsis: canvas.glyphs.ellipsis),
                style: .normal
            )
            canvas.putRightAligned(row: row, text: rate, style: .value)
            let origin = "  from " + readout.origin
            canvas.put(
                row: row + 1,
                column: 0,
                text: origin.truncated(toWidth: canvas.width, ellipsis: canvas.glyphs.ellipsis),
                style: .dim
            )
            row += 2
        }
        if fitting < churn.count {
            let hidden = churn.count - fitting
            let note = fitting > 0 ? "\(canvas.glyphs.ellipsis) \(hidden) more" : "\(hidden) readouts: too little room"
            canvas.put(row: row, column: 0, text: note, style: .dim)
        }
    }
}
