import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("QueriesPane")
struct QueriesPaneTests {
    static let source = "postgresql://app@db:5432/shop"

    static func model(
        available: Bool = true,
        statements: [QueryView],
        tables: [TableScansView] = []
    ) -> DashboardModel {
        DashboardModel(
            timestamp: 1_700_000_000,
            interval: 1,
            sources: [SourceStatus(name: Self.source, state: .ok)],
            queries: [QueriesView(source: Self.source, isAvailable: available, statements: statements, tables: tables)]
        )
    }

    static let statements = [
        QueryView(
            source: source,
            statement: "1",
            text: "SELECT * FROM orders WHERE customer = $1",
            callsPerSecond: 120,
            meanSeconds: 0.004,
            maxSeconds: 0.25,
            rowsPerCall: 12,
            timePerSecond: 0.48,
            shareOfTime: 0.8
        ),
        QueryView(
            source: source,
            statement: "2",
            text: "UPDATE stock SET n = n - $1 WHERE id = $2",
            callsPerSecond: 30,
            meanSeconds: 0.004,
            maxSeconds: 0.01,
            rowsPerCall: 1,
            timePerSecond: 0.12,
            shareOfTime: 0.2
        ),
    ]

    @Test("one row per statement, the most time first, with share, calls/s, mean, max, rows and text")
    func rows() {
        let grid = TestModels.render(QueriesPane(), Self.model(statements: Self.statements), width: 100, height: 8)
        #expect(grid.line(0).contains("Queries"))
        #expect(grid.line(1).contains(" time calls/s   mean    max  rows query"))
        #expect(grid.line(2).contains("80.0%   120/s 4.00ms  250ms    12 SELECT * FROM orders WHERE customer = $1"))
        #expect(grid.line(3).contains("20.0%  30.0/s 4.00ms 10.0ms     1 UPDATE stock SET n = n - $1 WHERE id = $2"))
    }

    @Test("below the statements, the tables by rows read in sequential scans, against index scans")
    func tables() {
        let tables = [
            TableScansView(
                source: Self.source,
                name: "public.orders",
                sequentialScansPerSecond: 2,
                sequentialRowsPerSecond: 100_000,
                indexScansPerSecond: 0.5,
                liveRows: 50_000
            )
        ]
        let grid = TestModels.render(
            QueriesPane(),
            Self.model(statements: Self.statements, tables: tables),
            width: 100,
            height: 12
        )
        let text = grid.text
        #expect(text.contains("SELECT * FROM orders WHERE customer = $1"))
        #expect(text.contains("table"))
        #expect(text.contains("seq/s seq rows/s  idx/s live rows"))
        #expect(
            text.contains(
                "public.orders                                                   2.00/s     100k/s 0.50/s     50.0k"
            )
        )
    }

    @Test("a server without pg_stat_statements is told how to enable it")
    func unavailable() {
        let grid = TestModels.render(QueriesPane(), Self.model(available: false, statements: []), width: 100, height: 8)
        let text = grid.text
        #expect(text.contains("pg_stat_statements is not available"))
        #expect(text.contains("shared_preload_libraries"))
    }

    @Test("statement text from the server never reaches the terminal as a control sequence")
    func hostileText() {
        var statement = Self.statements[0]
        statement.text = "SELECT 1 /* \u{1B}]52;c;cm0gLXJm\u{07} */"
        let grid = TestModels.render(QueriesPane(), Self.model(statements: [statement]), width: 100, height: 6)
        #expect(!grid.text.contains("\u{1B}"))
        #expect(grid.text.contains("\\u{1B}]52;c;cm0gLXJm\\u{7}"))
    }

    @Test("without a database source the pane says why it is empty")
    func noDatabase() {
        let model = DashboardModel(
            timestamp: 1_700_000_000,
            interval: 1,
            sources: [SourceStatus(name: "proc", state: .ok)]
        )
        let grid = TestModels.render(QueriesPane(), model, width: 100, height: 6)
        #expect(grid.text.contains("no data: no source reports statement statistics (a postgresql:// source)"))
    }
}
