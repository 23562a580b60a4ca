import PerftopCore

/// Queue depth and throughput of every processor: waiting tasks, running tasks against the
/// concurrency limit, completions and failures per second, and a depth trend.
public struct QueuePane: Pane {
    /// The pane's title.
    public let title = "Queue depth"

    /// Creates the pane.
    public init() {}

    /// Draws one row per processor, or why there are none.
    public func draw(model: DashboardModel, into canvas: inout Canvas) {
        guard !model.processors.isEmpty else {
            NoData.draw(NoData.reason(model, missing: "processor_* metrics"), into: &canvas)
            return
        }
        let showSource = SourceColumn.isNeeded(model.processors.map(\.source))
        var columns: [Table.Column] = [
            Table.Column(title: "processor", minWidth: 6, alignment: .left, priority: 0),
            Table.Column(title: "depth", minWidth: 5, priority: 0),
            Table.Column(title: "running", minWidth: 7, priority: 3),
            Table.Column(title: "done/s", minWidth: 7, priority: 2),
            Table.Column(title: "fail/s", minWidth: 7, priority: 4),
            Table.Column(title: "trend", minWidth: 5, isFlexible: true, priority: 1),
        ]
        if showSource {
            columns.insert(Table.Column(title: "source", minWidth: 6, alignment: .left, priority: 5), at: 0)
        }
        let rows: [[Table.Content]] = model.processors.prefix(canvas.height).map { processor in
            let failing = (processor.failedPerSecond ?? 0) > 0
            var row: [Table.Content] = [
                .text(processor.name, .normal),
                .text(UnitFormat.count(processor.queueDepth), .value),
                .text(Self.running(processor), .normal),
                .text(UnitFormat.rate(processor.completedPerSecond), .normal),
                .text(UnitFormat.rate(processor.failedPerSecond), failing ? .critical : .normal),
                .sparkline(processor.depthHistory, .fromZero),
            ]
            if showSource {
                row.insert(.text(processor.source, .dim), at: 0)
            }
            return row
        }
        Table(columns: columns, rows: rows, totalRows: model.processors.count).draw(into: &canvas)
    }

    /// `inFlight/limit`, or only what is known.
    static func running(_ processor: ProcessorView) -> String {
        guard let limit = processor.concurrencyLimit else {
            return UnitFormat.count(processor.inFlight)
        }
        return UnitFormat.count(processor.inFlight) + "/" + UnitFormat.count(limit)
    }
}
