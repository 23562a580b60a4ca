import PerfKit
import PerftopCore

/// A database's statements, the most time per second first, as `pg_top` and `pg_stat_statements`
/// users read them: the share of all statement time over the window, calls per second, mean time per
/// call, the longest call since the statistics were reset, rows per call, and the normalised text.
/// Below them, when there is room, its tables by rows read in sequential scans, against index scans.
///
/// A source whose server has no `pg_stat_statements` gets one line saying how to enable it.
public struct QueriesPane: Pane {
    /// The pane's title.
    public let title = "Queries"
    /// The pane's place in the layout, its toggle key and its config name.
    public let id = DashboardSettings.PaneID.builtIn(.queries)

    /// How to turn `pg_stat_statements` on, shown for a source without it.
    static let enableHint =
        "pg_stat_statements is not available: add shared_preload_libraries = 'pg_stat_statements' to "
        + "postgresql.conf, restart, then CREATE EXTENSION pg_stat_statements"

    /// Creates the pane.
    public init() {}

    /// Draws the hint of each source without statement statistics, then one row per statement from
    /// the scroll offset and the tables below them; or why there is nothing.
    public func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {
        guard !model.queries.isEmpty else {
            NoData.draw(NoData.reason(model, missing: "statement statistics (a postgresql:// source)"), into: &canvas)
            return
        }
        var row = 0
        for unavailable in model.queries where !unavailable.isAvailable {
            row += NoData.draw(
                model.label(of: unavailable.source) + ": " + Self.enableHint,
                row: row,
                into: &canvas
            )
        }
        let statements = model.queries.flatMap(\.statements)
        let tables = model.queries.flatMap(\.tables)
        let height = canvas.height - row
        guard height > 0 else {
            return
        }
        let sourceLabel: ((String) -> String)? =
            SourceColumn.isNeeded(model.queries.map(\.source)) ? { model.label(of: $0) } : nil
        // The tables get up to a third of the rows left, and only when there is room for both.
        let tableRows = tables.isEmpty || height < 6 ? 0 : min(tables.count + 1, max(2, height / 3))
        let statementRows = height - (tableRows > 0 ? tableRows + 1 : 0)
        canvas.withRegion(Rect(row: row, column: 0, height: statementRows, width: canvas.width)) {
            if statements.isEmpty {
                if model.queries.allSatisfy(\.isAvailable) {
                    NoData.draw("no statement has run yet", into: &$0)
                }
            } else {
                Self.statementTable(
                    statements,
                    offset: context.scrollOffset,
                    height: statementRows,
                    sourceLabel: sourceLabel
                )
                .draw(into: &$0)
            }
        }
        if tableRows > 0 {
            canvas.withRegion(Rect(row: row + statementRows + 1, column: 0, height: tableRows, width: canvas.width)) {
                Self.scanTable(tables, height: tableRows, sourceLabel: sourceLabel).draw(into: &$0)
            }
        }
    }

    /// The statements from `offset`: share of time, calls/s, mean, max, rows per call, text.
    static func statementTable(
        _ statements: [QueryView],
        offset: Int,
        height: Int,
        sourceLabel: ((String) -> String)?
    ) -> Table {
        var columns: [Table.Column] = [
            Table.Column(title: "time", minWidth: 5, priority: 0),
            Table.Column(title: "calls/s", minWidth: 7, priority: 1),
            Table.Column(title: "mean", minWidth: 6, priority: 0),
            Table.Column(title: "max", minWidth: 6, priority: 3),
            Table.Column(title: "rows", minWidth: 5, priority: 4),
            Table.Column(title: "query", minWidth: 12, isFlexible: true, alignment: .left, priority: 0),
        ]
        let visible = Table.visibleRows(total: statements.count, offset: offset, height: height)
        if let sourceLabel {
            columns.insert(SourceColumn.column(labels: statements[visible].lazy.map { sourceLabel($0.source) }), at: 0)
        }
        let rows: [[Table.Content]] = statements[visible].map { statement in
            var cells: [Table.Content] = [
                .text(UnitFormat.percent(fraction: statement.shareOfTime), .value),
                .text(UnitFormat.rate(statement.callsPerSecond), .normal),
                .text(UnitFormat.seconds(statement.meanSeconds), .normal),
                .text(UnitFormat.seconds(statement.maxSeconds), .dim),
                .text(UnitFormat.count(statement.rowsPerCall), .normal),
                .text(SafeText.escaped(statement.text), .normal),
            ]
            if let sourceLabel {
                cells.insert(.text(sourceLabel(statement.source), .dim), at: 0)
            }
            return cells
        }
        return Table(columns: columns, rows: rows, totalRows: statements.count, firstRow: visible.lowerBound)
    }

    /// The tables, the most rows read sequentially first: sequential scans, the rows they read, index
    /// scans and live rows, per second over the window.
    static func scanTable(_ tables: [TableScansView], height: Int, sourceLabel: ((String) -> String)?) -> Table {
        var columns: [Table.Column] = [
            Table.Column(title: "table", minWidth: 10, isFlexible: true, alignment: .left, priority: 0),
            Table.Column(title: "seq/s", minWidth: 6, priority: 0),
            Table.Column(title: "seq rows/s", minWidth: 10, priority: 1),
            Table.Column(title: "idx/s", minWidth: 6, priority: 0),
            Table.Column(title: "live rows", minWidth: 9, priority: 2),
        ]
        let visible = Table.visibleRows(total: tables.count, offset: 0, height: height)
        if let sourceLabel {
            columns.insert(SourceColumn.column(labels: tables[visible].lazy.map { sourceLabel($0.source) }), at: 0)
        }
        let rows: [[Table.Content]] = tables[visible].map { table in
            var cells: [Table.Content] = [
                .text(SafeText.escaped(table.name), .normal),
                .text(UnitFormat.rate(table.sequentialScansPerSecond), .value),
                .text(UnitFormat.rate(table.sequentialRowsPerSecond), .normal),
                .text(UnitFormat.rate(table.indexScansPerSecond), .normal),
                .text(UnitFormat.count(table.liveRows), .normal),
            ]
            if let sourceLabel {
                cells.insert(.text(sourceLabel(table.source), .dim), at: 0)
            }
            return cells
        }
        return Table(columns: columns, rows: rows, totalRows: tables.count, firstRow: visible.lowerBound)
    }
}
