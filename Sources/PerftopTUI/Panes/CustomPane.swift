import PerfKit
import PerftopCore

/// A pane of the config's `[[pane]]` tables: draws its ``CustomPaneView`` from the model as a graph, a
/// table or a gauge, its value and status coloured as the tracker colours a target (green met, yellow
/// at risk, red missed).
///
/// Everything it shows comes from the model (``DashboardModel/customPanes``): the renderer makes one
/// per custom pane placed, by name.
public struct CustomPane: Pane {
    /// The pane's `[[pane]]` name.
    public let name: String
    /// The pane's view in the model on screen; nil before the first model that has it.
    public let view: CustomPaneView?

    /// The pane of `name` in `model`.
    public init(name: String, model: DashboardModel) {
        self.name = name
        self.view = model.customPanes.first { $0.definition.name == name }
    }

    /// The `title` of the pane's `[[pane]]` table (its name without one), escaped.
    public var title: String {
        SafeText.escaped(self.view?.definition.title ?? self.name)
    }

    /// The pane's name, as ``DashboardSettings/PaneID/custom(_:)``.
    public var id: DashboardSettings.PaneID {
        .custom(self.name)
    }

    /// Draws the value line and, by kind, the graph, the rows or the gauge; the reason without data.
    public func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {
        guard let view = self.view else {
            NoData.draw(NoData.reason(model, missing: self.name), into: &canvas)
            return
        }
        switch view.definition.kind {
        case .graph:
            Self.drawSummary(view, model: model, into: &canvas)
            // Without a value, the reason may take several rows.
            guard view.value != nil, canvas.height > 1 else {
                return
            }
            let area = Rect(row: 1, column: 0, height: canvas.height - 1, width: canvas.width)
            var graph = LineGraph(values: model.slots(view.history), interval: model.interval) { value in
                value.map(view.definition.displayUnit.format) ?? UnitFormat.missing
            }
            graph.cursor = context.cursor
            canvas.withRegion(area) { graph.draw(into: &$0) }
        case .gauge:
            guard let value = view.value else {
                Self.drawSummary(view, model: model, into: &canvas)
                return
            }
            let fraction = view.definition.scale.map { value / $0 }
            Gauge.draw(
                row: 0,
                label: "",
                fraction: fraction.flatMap { $0.isFinite ? min(max($0, 0), 1) : nil },
                text: view.format(value),
                into: &canvas
            )
            Self.drawStatus(view, model: model, row: 1, into: &canvas)
        case .table:
            guard !view.rows.isEmpty else {
                Self.drawSummary(view, model: model, into: &canvas)
                return
            }
            Self.drawRows(view, model: model, context: context, into: &canvas)
        }
    }

    /// How far the rows scroll: to where the last row is on the last line.
    public func scrollLimit(model: DashboardModel, contentHeight: Int) -> Int? {
        guard let view = self.view, view.definition.kind == .table else {
            return 0
        }
        return Table.visibleRows(total: view.rows.count, offset: .max, height: contentHeight).lowerBound
    }

    // MARK: - Drawing

    /// The value (or why there is none), then the status and goal.
    private static func drawSummary(_ view: CustomPaneView, model: DashboardModel, into canvas: inout Canvas) {
        guard let value = view.value else {
            let reason = SafeText.escaped(view.reason ?? "no value", limit: SafeText.maximumReasonLength)
            NoData.draw("no data: " + reason, into: &canvas)
            return
        }
        let text = view.format(value)
        canvas.put(row: 0, column: 0, text: text, style: .value)
        let start = text.displayWidth + 2
        canvas.withRegion(Rect(row: 0, column: start, height: 1, width: max(0, canvas.width - start))) {
            Self.drawStatus(view, model: model, row: 0, into: &$0)
        }
    }

    /// `met  goal < 50ms  demo[42]` on one row: the status in the tracker's colour, the goal, the source as
    /// the header names it.
    private static func drawStatus(
        _ view: CustomPaneView,
        model: DashboardModel,
        row: Int,
        into canvas: inout Canvas
    ) {
        guard row < canvas.height else {
            return
        }
        var column = 0
        if view.definition.goal != nil || view.value == nil {
            let status = view.status.description
            canvas.put(row: row, column: column, text: status, style: TrackerPane.statusStyle(status))
            column += status.displayWidth + 2
        }
        var details: [String] = []
        if let goal = view.definition.goal {
            details.append("goal \(goal)")
        }
        if let source = view.source {
            details.append(model.label(of: source))
        }
        let text = details.joined(separator: "  ").truncated(
            toWidth: max(0, canvas.width - column),
            ellipsis: canvas.glyphs.ellipsis
        )
        canvas.put(row: row, column: column, text: text, style: .dim)
    }

    /// One row per matching series: source (when several), labels, value, status (with a goal).
    private static func drawRows(
        _ view: CustomPaneView,
        model: DashboardModel,
        context: PaneContext,
        into canvas: inout Canvas
    ) {
        let rows = view.rows
        let visible = Table.visibleRows(total: rows.count, offset: context.scrollOffset, height: canvas.height)
        let labels = model.sourceLabels
        let label = { (source: String) in labels[source] ?? SafeText.escaped(source) }
        let showsSource = SourceColumn.isNeeded(rows.map(\.source))
        let hasGoal = view.definition.goal != nil
        var columns: [Table.Column] = []
        if showsSource {
            columns.append(SourceColumn.column(labels: rows.map { label($0.source) }))
        }
        columns.append(Table.Column(title: "series", minWidth: 8, isFlexible: true, alignment: .left, priority: 0))
        columns.append(Table.Column(title: "value", minWidth: 8, priority: 0))
        if hasGoal {
            columns.append(Table.Column(title: "status", minWidth: 8, alignment: .left, priority: 1))
        }
        let cells: [[Table.Content]] = rows[visible].map { row in
            var cells: [Table.Content] = []
            if showsSource {
                cells.append(.text(label(row.source), .dim))
            }
            cells.append(.text(row.labels.isEmpty ? view.definition.metric.name : row.labels, .normal))
            cells.append(.text(view.format(row.value), .value))
            if hasGoal {
                cells.append(.text(row.status.description, TrackerPane.statusStyle(row.status.description)))
            }
            return cells
        }
        Table(columns: columns, rows: cells, totalRows: rows.count, firstRow: visible.lowerBound).draw(into: &canvas)
    }
}
