import PerftopCore

/// The optimization tracker: every target's goal, live value and status.
public struct TrackerPane: Pane {
    /// The pane's title.
    public let title = "Optimization tracker"

    /// The line shown when no tracker is loaded.
    static let notLoaded = "no tracker loaded: no optimization targets to show"

    /// Creates the pane.
    public init() {}

    /// Draws one row per target, or that no tracker is loaded.
    public func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {
        guard !model.tracker.isEmpty else {
            NoData.draw(Self.notLoaded, into: &canvas)
            return
        }
        let columns: [Table.Column] = [
            Table.Column(title: "target", minWidth: 6, alignment: .left, priority: 0),
            Table.Column(title: "goal", minWidth: 6, alignment: .left, priority: 1),
            Table.Column(title: "now", minWidth: 7, priority: 0),
            Table.Column(title: "status", minWidth: 8, isFlexible: true, alignment: .left, priority: 0),
        ]
        let rows: [[Table.Content]] = model.tracker.prefix(canvas.height).map { target in
            [
                .text(target.name, .normal),
                .text(target.goal, .dim),
                .text(target.current ?? UnitFormat.missing, .value),
                .text(target.status, Self.statusStyle(target.status)),
            ]
        }
        Table(columns: columns, rows: rows, totalRows: model.tracker.count).draw(into: &canvas)
    }

    /// Green when met, yellow at risk, red when missed, dim otherwise.
    static func statusStyle(_ status: String) -> Style {
        switch status {
        case "met": .good
        case "at risk": .warning
        case "missed": .critical
        default: .dim
        }
    }
}
