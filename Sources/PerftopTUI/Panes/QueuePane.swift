import PerftopCore

/// Queue depth and outcomes of every processor: waiting tasks against the queue bound, running
/// tasks against the concurrency limit, succeeded, failed and rejected tasks and retries per
/// second, the oldest waiting task's age, wait p95 against service p95, and a depth trend.
///
/// Columns are dropped from the least important when the pane is narrow; a value no source
/// reports (or a rate before the second poll) is a dash.
public struct QueuePane: Pane {
    /// The pane's title.
    public let title = "Queue depth"

    /// Creates the pane.
    public init() {}

    /// Draws one row per processor, or why there are none.
    public func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {
        guard !model.processors.isEmpty else {
            NoData.draw(NoData.reason(model, missing: "processor_* metrics"), into: &canvas)
            return
        }
        let showSource = SourceColumn.isNeeded(model.processors.map(\.source))
        var columns: [Table.Column] = [
            Table.Column(title: "processor", minWidth: 8, alignment: .left, priority: 0),
            Table.Column(title: "depth", minWidth: 7, priority: 0),
            Table.Column(title: "run", minWidth: 5, priority: 4),
            Table.Column(title: "ok/s", minWidth: 6, priority: 1),
            Table.Column(title: "fail/s", minWidth: 6, priority: 2),
            Table.Column(title: "rej/s", minWidth: 6, priority: 5),
            Table.Column(title: "retry/s", minWidth: 7, priority: 8),
            Table.Column(title: "oldest", minWidth: 6, priority: 7),
            Table.Column(title: "wait/svc p95", minWidth: 13, priority: 6),
            Table.Column(title: "trend", minWidth: 5, isFlexible: true, priority: 3),
        ]
        if showSource {
            columns.insert(Table.Column(title: "source", minWidth: 6, alignment: .left, priority: 9), at: 0)
        }
        let rows: [[Table.Content]] = model.processors.prefix(canvas.height).map { processor in
            var row: [Table.Content] = [
                .text(processor.name, .normal),
                .text(Self.fill(processor.queueDepth, of: processor.queueCapacity), .value),
                .text(Self.fill(processor.inFlight, of: processor.concurrencyLimit), .normal),
                .text(UnitFormat.rate(processor.succeededPerSecond), .normal),
                .text(UnitFormat.rate(processor.failedPerSecond), Self.alarm(processor.failedPerSecond, .critical)),
                .text(UnitFormat.rate(processor.rejectedPerSecond), Self.alarm(processor.rejectedPerSecond, .warning)),
                .text(UnitFormat.rate(processor.retriesPerSecond), .normal),
                .text(UnitFormat.seconds(processor.oldestQueuedSeconds), .normal),
                .text(Self.waitVersusService(processor), .normal),
                .sparkline(processor.depthHistory, .fromZero),
            ]
            if showSource {
                row.insert(.text(processor.source, .dim), at: 0)
            }
            return row
        }
        Table(columns: columns, rows: rows, totalRows: model.processors.count).draw(into: &canvas)
    }

    /// `value/bound`, or only the value when there is no bound.
    static func fill(_ value: Double?, of bound: Double?) -> String {
        guard let bound else {
            return UnitFormat.count(value)
        }
        return UnitFormat.count(value) + "/" + UnitFormat.count(bound)
    }

    /// `wait/service` p95, e.g. `3.40ms/45.2ms`; a dash alone when neither is known.
    static func waitVersusService(_ processor: ProcessorView) -> String {
        guard processor.waitP95 != nil || processor.serviceP95 != nil else {
            return UnitFormat.missing
        }
        return UnitFormat.seconds(processor.waitP95) + "/" + UnitFormat.seconds(processor.serviceP95)
    }

    /// `style` for a rate above zero, plain otherwise.
    private static func alarm(_ rate: Double?, _ style: Style) -> Style {
        (rate ?? 0) > 0 ? style : .normal
    }
}
