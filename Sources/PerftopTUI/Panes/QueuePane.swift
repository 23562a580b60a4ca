import PerftopCore

/// Queue depth and outcomes of every processor: waiting tasks against the queue bound, running
/// tasks against the concurrency limit, succeeded, failed and rejected tasks and retries per
/// second, the oldest waiting task's age, wait p95 against service p95, the peak depth since the
/// last reset (a column shown once a peak is known), and a depth trend.
///
/// In a tall pane the rows left below the table hold each processor's depth and running tasks over
/// time, side by side when the pane is wide.
///
/// Columns are dropped from the least important when the pane is narrow; a value no source
/// reports (or a rate before the second poll) is a dash.
public struct QueuePane: Pane {
    /// The pane's title.
    public let title = "Queue depth"
    /// The pane's place in the layout, its toggle key and its config name.
    public let id = DashboardSettings.PaneID.builtIn(.queues)

    /// Creates the pane.
    public init() {}

    /// Draws one row per processor, or why there are none.
    public func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {
        guard !model.processors.isEmpty else {
            NoData.draw(NoData.reason(model, missing: "processor_* metrics"), into: &canvas)
            return
        }
        let processors = model.processors
        let graphRows = GraphStack.graphRows(height: canvas.height, tableRows: processors.count + 1)
        let tableHeight = canvas.height - (graphRows > 0 ? graphRows + 1 : 0)
        let visible = Table.visibleRows(total: processors.count, offset: context.scrollOffset, height: tableHeight)
        let showSource = SourceColumn.isNeeded(processors.map(\.source))
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
        let showPeak = processors.contains { Self.peak($0, context) != nil }
        if showPeak {
            columns.insert(Table.Column(title: "peak", minWidth: 5, priority: 9), at: 2)
        }
        if showSource {
            columns.insert(
                SourceColumn.column(labels: processors[visible].lazy.map { model.label(of: $0.source) }),
                at: 0
            )
        }
        let rows: [[Table.Content]] = processors[visible].map { processor in
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
                .sparkline(model.slots(processor.depthHistory, count: canvas.width), .fromZero),
            ]
            if showPeak {
                row.insert(.text(UnitFormat.count(Self.peak(processor, context)), .dim), at: 2)
            }
            if showSource {
                row.insert(.text(model.label(of: processor.source), .dim), at: 0)
            }
            return row
        }
        let table = Table(columns: columns, rows: rows, totalRows: processors.count, firstRow: visible.lowerBound)
        canvas.withRegion(Rect(row: 0, column: 0, height: tableHeight, width: canvas.width)) { table.draw(into: &$0) }
        guard graphRows > 0 else {
            return
        }
        let entries = processors.flatMap { processor in
            self.graphEntries(processor, showSource: showSource, context: context, model: model)
        }
        canvas.withRegion(Rect(row: tableHeight + 1, column: 0, height: graphRows, width: canvas.width)) {
            GraphStack(entries: entries, cursor: context.cursor).draw(from: context.scrollOffset * 2, into: &$0)
        }
    }

    /// A processor's two graphs: its queue depth (with the peak) and its running tasks.
    private func graphEntries(
        _ processor: ProcessorView,
        showSource: Bool,
        context: PaneContext,
        model: DashboardModel
    ) -> [GraphStack.Entry] {
        let name = showSource ? model.label(of: processor.source) + " " + processor.name : processor.name
        let count = { (value: Double?) in UnitFormat.count(value) }
        var depthDetail = Self.fill(processor.queueDepth, of: processor.queueCapacity)
        if let peak = Self.peak(processor, context) {
            depthDetail += " peak " + UnitFormat.count(peak)
        }
        return [
            GraphStack.Entry(
                title: name + " queued",
                detail: depthDetail,
                graph: LineGraph(values: model.slots(processor.depthHistory), interval: model.interval, format: count)
            ),
            GraphStack.Entry(
                title: name + " running",
                detail: Self.fill(processor.inFlight, of: processor.concurrencyLimit),
                graph: LineGraph(
                    values: model.slots(processor.inFlightHistory),
                    interval: model.interval,
                    format: count
                )
            ),
        ]
    }

    /// The highest queue depth since the peaks were last reset, or nil when none was seen.
    static func peak(_ processor: ProcessorView, _ context: PaneContext) -> Double? {
        context.peaks[.queueDepth(source: processor.source, name: processor.name)]
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
    static func alarm(_ rate: Double?, _ style: Style) -> Style {
        (rate ?? 0) > 0 ? style : .normal
    }
}
