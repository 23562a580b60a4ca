import PerftopCore

/// Latency percentiles (p50, p95, p99) of every measured distribution.
public struct LatencyPane: Pane {
    /// The pane's title.
    public let title = "p95 latency"

    /// Creates the pane.
    public init() {}

    /// Draws one row per distribution, or why there are none.
    public func draw(model: DashboardModel, into canvas: inout Canvas) {
        guard !model.latencies.isEmpty else {
            NoData.draw(NoData.reason(model, missing: "*_seconds summaries or histograms"), into: &canvas)
            return
        }
        let showSource = SourceColumn.isNeeded(model.latencies.map(\.source))
        var columns: [Table.Column] = [
            Table.Column(title: "measured", minWidth: 8, isFlexible: true, alignment: .left, priority: 0),
            Table.Column(title: "p50", minWidth: 7, priority: 1),
            Table.Column(title: "p95", minWidth: 7, priority: 0),
            Table.Column(title: "p99", minWidth: 7, priority: 2),
        ]
        if showSource {
            columns.insert(Table.Column(title: "source", minWidth: 6, alignment: .left, priority: 3), at: 0)
        }
        let rows: [[Table.Content]] = model.latencies.prefix(canvas.height).map { latency in
            var row: [Table.Content] = [
                .text(latency.name, .normal),
                .text(UnitFormat.seconds(latency.p50), .normal),
                .text(UnitFormat.seconds(latency.p95), .value),
                .text(UnitFormat.seconds(latency.p99), .normal),
            ]
            if showSource {
                row.insert(.text(latency.source, .dim), at: 0)
            }
            return row
        }
        Table(columns: columns, rows: rows, totalRows: model.latencies.count).draw(into: &canvas)
    }
}
