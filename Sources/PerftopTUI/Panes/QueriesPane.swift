import PerfKit
import PerftopCore

/// A database's statements, the most time per second first, as `pg_top` and `pg_stat_statements`
/// users read them: the share of all statement time over the window, calls per second, mean time per
/// call, the longest call since the statistics were reset, rows per call, and the normalised text.
///
/// A source whose server has no `pg_stat_statements` gets one line saying how to enable it.
public struct QueriesPane: Pane {
    /// The pane's title.
    public let title = "Queries"
    /// The pane's place in the layout, its toggle key and its config name.
    public let kind = DashboardSettings.PaneKind.queries

    /// How to turn `pg_stat_statements` on, shown for a source without it.
    static let enableHint =
        "pg_stat_statements is not available: add shared_preload_libraries = 'pg_stat_statements' to "
        + "postgresql.conf, restart, then CREATE EXTENSION pg_stat_statements"

    /// Creates the pane.
    public init() {}

    /// Draws the hint of each source without statement statistics, then one row per statement from
    /// the scroll offset; or why there are none.
    public func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {
        guard !model.queries.isEmpty else {
            NoData.draw(NoData.reason(model, missing: "statement statistics (a postgresql:// source)"), into: &canvas)
            return
        }
        var row = 0
        for unavailable in model.queries where !unavailable.isAvailable {
            row += NoData.draw(
                SafeText.escaped(unavailable.source) + ": " + Self.enableHint,
                row: row,
                into: &canvas
            )
        }
        let statements = model.queries.flatMap(\.statements)
        guard row < canvas.height else {
            return
        }
        guard !statements.isEmpty else {
            if row == 0 {
                NoData.draw("no statement has run yet", into: &canvas)
            }
            return
        }
        let showSource = SourceColumn.isNeeded(statements.map(\.source))
        var columns: [Table.Column] = [
            Table.Column(title: "time", minWidth: 5, priority: 0),
            Table.Column(title: "calls/s", minWidth: 7, priority: 1),
            Table.Column(title: "mean", minWidth: 6, priority: 0),
            Table.Column(title: "max", minWidth: 6, priority: 3),
            Table.Column(title: "rows", minWidth: 5, priority: 4),
            Table.Column(title: "query", minWidth: 12, isFlexible: true, alignment: .left, priority: 0),
        ]
        if showSource {
            columns.insert(Table.Column(title: "source", minWidth: 6, alignment: .left, priority: 5), at: 0)
        }
        let height = canvas.height - row
        let visible = Table.visibleRows(total: statements.count, offset: context.scrollOffset, height: height)
        let rows: [[Table.Content]] = statements[visible].map { statement in
            var cells: [Table.Content] = [
                .text(UnitFormat.percent(fraction: statement.shareOfTime), .value),
                .text(UnitFormat.rate(statement.callsPerSecond), .normal),
                .text(UnitFormat.seconds(statement.meanSeconds), .normal),
                .text(UnitFormat.seconds(statement.maxSeconds), .dim),
                .text(UnitFormat.count(statement.rowsPerCall), .normal),
                .text(SafeText.escaped(statement.text), .normal),
            ]
            if showSource {
                cells.insert(.text(SafeText.escaped(statement.source), .dim), at: 0)
            }
            return cells
        }
        let table = Table(columns: columns, rows: rows, totalRows: statements.count, firstRow: visible.lowerBound)
        canvas.withRegion(Rect(row: row, column: 0, height: height, width: canvas.width)) { table.draw(into: &$0) }
    }
}
