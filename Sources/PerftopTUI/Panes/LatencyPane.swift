import PerftopCore

/// Latency of every measured distribution: p50, p95, p99 and the maximum over the source's
/// window, the peak p95 since the last reset (a column shown once a peak is known), measurements per second, and a p95 trend. A
/// processor's wait and service rows sit next to each other, before the operations.
///
/// Below the table, when there is room, one line per processor weighs wait against service
/// (`jobs ██░░ wait 3.40ms (7.0%) service 45.2ms`, the gauge the waiting share of the two), then one
/// p95 graph per distribution with a p95 history in the rows left.
public struct LatencyPane: Pane {
    /// The pane's title.
    public let title = "p95 latency"
    /// The pane's place in the layout, its toggle key and its config name.
    public let id = DashboardSettings.PaneID.builtIn(.latency)

    /// Creates the pane.
    public init() {}

    /// Draws one row per distribution from the scroll offset, then wait against service and graphs
    /// where there is room; or why there are no distributions.
    public func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {
        guard !model.latencies.isEmpty else {
            NoData.draw(NoData.reason(model, missing: "*_seconds summaries"), into: &canvas)
            return
        }
        let latencies = model.latencies
        let split = model.processors.filter { $0.waitP95 != nil && $0.serviceP95 != nil }
        let fitsSplit = canvas.height >= latencies.count + 2 + split.count && !split.isEmpty
        let splitRows = fitsSplit ? split.count + 1 : 0
        let graphRows = GraphStack.graphRows(height: canvas.height - splitRows, tableRows: latencies.count + 1)
        let tableHeight = canvas.height - splitRows - (graphRows > 0 ? graphRows + 1 : 0)
        let visible = Table.visibleRows(total: latencies.count, offset: context.scrollOffset, height: tableHeight)
        let showSource = SourceColumn.isNeeded(latencies.map(\.source))
        var columns: [Table.Column] = [
            Table.Column(title: "measured", minWidth: 12, isFlexible: true, alignment: .left, priority: 0),
            Table.Column(title: "p50", minWidth: 6, priority: 4),
            Table.Column(title: "p95", minWidth: 6, priority: 0),
            Table.Column(title: "p99", minWidth: 6, priority: 3),
            Table.Column(title: "max", minWidth: 6, priority: 5),
            Table.Column(title: "req/s", minWidth: 7, priority: 1),
            Table.Column(title: "trend", minWidth: 5, isFlexible: true, priority: 2),
        ]
        let showPeak = latencies.contains { Self.peak($0, context) != nil }
        if showPeak {
            columns.insert(Table.Column(title: "peak", minWidth: 6, priority: 7), at: 5)
        }
        if showSource {
            columns.insert(
                SourceColumn.column(labels: latencies[visible].lazy.map { model.label(of: $0.source) }),
                at: 0
            )
        }
        let rows: [[Table.Content]] = latencies[visible].map { latency in
            var row: [Table.Content] = [
                .text(latency.name, .normal),
                .text(UnitFormat.seconds(latency.p50), .normal),
                .text(UnitFormat.seconds(latency.p95), .value),
                .text(UnitFormat.seconds(latency.p99), .normal),
                .text(UnitFormat.seconds(latency.max), .normal),
                .text(UnitFormat.rate(latency.requestsPerSecond), .normal),
                .sparkline(model.slots(latency.p95History, count: canvas.width), .fromZero),
            ]
            if showPeak {
                row.insert(.text(UnitFormat.seconds(Self.peak(latency, context)), .dim), at: 5)
            }
            if showSource {
                row.insert(.text(model.label(of: latency.source), .dim), at: 0)
            }
            return row
        }
        let table = Table(columns: columns, rows: rows, totalRows: latencies.count, firstRow: visible.lowerBound)
        canvas.withRegion(Rect(row: 0, column: 0, height: tableHeight, width: canvas.width)) { table.draw(into: &$0) }
        if fitsSplit {
            for (offset, processor) in split.enumerated() {
                canvas.withRegion(Rect(row: tableHeight + 1 + offset, column: 0, height: 1, width: canvas.width)) {
                    Self.drawWaitVersusService(
                        processor,
                        sourceLabel: showSource ? model.label(of: processor.source) : nil,
                        into: &$0
                    )
                }
            }
        }
        guard graphRows > 0 else {
            return
        }
        let entries = latencies.filter { !$0.p95History.isEmpty }.map { latency in
            var detail = UnitFormat.seconds(latency.p95)
            if let peak = Self.peak(latency, context) {
                detail += " peak " + UnitFormat.seconds(peak)
            }
            return GraphStack.Entry(
                title: (showSource ? model.label(of: latency.source) + " " : "") + latency.name + " p95",
                detail: detail,
                graph: LineGraph(values: model.slots(latency.p95History), interval: model.interval) {
                    UnitFormat.seconds($0)
                }
            )
        }
        canvas.withRegion(Rect(row: tableHeight + splitRows + 1, column: 0, height: graphRows, width: canvas.width)) {
            GraphStack(entries: entries, cursor: context.cursor).draw(from: context.scrollOffset, into: &$0)
        }
    }

    /// `jobs wait ████░░░░ 7.0% 3.40ms/45.2ms`: the share of a task's p95 time spent waiting for a
    /// slot, as a gauge, then wait and service p95; `sourceLabel` before the name when rows come from
    /// several sources.
    static func drawWaitVersusService(_ processor: ProcessorView, sourceLabel: String?, into canvas: inout Canvas) {
        guard let wait = processor.waitP95, let service = processor.serviceP95 else {
            return
        }
        let name = (sourceLabel.map { $0 + " " } ?? "") + processor.name
        let share = wait + service > 0 ? wait / (wait + service) : nil
        let text =
            "wait " + UnitFormat.seconds(wait) + (share.map { " (" + UnitFormat.percent(fraction: $0) + ")" } ?? "")
            + " service " + UnitFormat.seconds(service)
        Gauge.draw(row: 0, label: name, fraction: share, text: text, into: &canvas)
    }

    /// The highest p95 since the peaks were last reset, or nil when none was seen.
    static func peak(_ latency: LatencyView, _ context: PaneContext) -> Double? {
        context.peaks[.latencyP95(source: latency.source, name: latency.name, distribution: latency.distribution)]
    }
}
