import PerftopCore

/// Latency of every measured distribution: p50, p95, p99 and the maximum over the source's
/// window, measurements per second, and a p95 trend. A processor's wait and service rows sit
/// next to each other, before the operations.
public struct LatencyPane: Pane {
    /// The pane's title.
    public let title = "p95 latency"

    /// Creates the pane.
    public init() {}

    /// Draws one row per distribution, or why there are none.
    public func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {
        guard !model.latencies.isEmpty else {
            NoData.draw(NoData.reason(model, missing: "*_seconds summaries"), into: &canvas)
            return
        }
        let showSource = SourceColumn.isNeeded(model.latencies.map(\.source))
        var columns: [Table.Column] = [
            Table.Column(title: "measured", minWidth: 12, isFlexible: true, alignment: .left, priority: 0),
            Table.Column(title: "p50", minWidth: 6, priority: 4),
            Table.Column(title: "p95", minWidth: 6, priority: 0),
            Table.Column(title: "p99", minWidth: 6, priority: 3),
            Table.Column(title: "max", minWidth: 6, priority: 5),
            Table.Column(title: "req/s", minWidth: 7, priority: 1),
            Table.Column(title: "trend", minWidth: 5, isFlexible: true, priority: 2),
        ]
        if showSource {
            columns.insert(Table.Column(title: "source", minWidth: 6, alignment: .left, priority: 6), at: 0)
        }
        let rows: [[Table.Content]] = model.latencies.prefix(canvas.height).map { latency in
            var row: [Table.Content] = [
                .text(latency.name, .normal),
                .text(UnitFormat.seconds(latency.p50), .normal),
                .text(UnitFormat.seconds(latency.p95), .value),
                .text(UnitFormat.seconds(latency.p99), .normal),
                .text(UnitFormat.seconds(latency.max), .normal),
                .text(UnitFormat.rate(latency.requestsPerSecond), .normal),
                .sparkline(latency.p95History, .fromZero),
            ]
            if showSource {
                row.insert(.text(latency.source, .dim), at: 0)
            }
            return row
        }
        Table(columns: columns, rows: rows, totalRows: model.latencies.count).draw(into: &canvas)
    }
}
