import PerfKit

/// A database's statements as the queries pane shows them: the `postgres_statement_*` series of
/// docs/metrics.md, over the view's window.
extension SourceView {
    /// The source's statements, the most time per second first (then the most time in all), or nil
    /// when the source reports no statement statistics at all. ``QueriesView/isAvailable`` is false
    /// when the source says `pg_stat_statements` cannot be read.
    func queries() -> QueriesView? {
        let available = self.series(MetricName.postgresStatementsAvailable).first?.latest
        let calls = self.series(MetricName.postgresStatementCalls)
        let sequentialScans = self.series(MetricName.postgresTableSequentialScans)
        guard available != nil || !calls.isEmpty || !sequentialScans.isEmpty else {
            return nil
        }
        let seconds = self.series(MetricName.postgresStatementSeconds)
        let maxima = self.series(MetricName.postgresStatementMaxSeconds)
        let rows = self.series(MetricName.postgresStatementRows)
        let allSeconds = self.series(MetricName.postgresStatementsSeconds).first
        let allTimePerSecond = allSeconds?.rate(over: self.window)?.value
        let statements = calls.map { calls in
            let id = calls.id.label(LabelName.statement) ?? ""
            let time = Self.first(seconds, LabelName.statement, id)
            let timePerSecond = time?.rate(over: self.window)?.value
            return QueryView(
                source: self.source,
                statement: id,
                text: calls.id.label(LabelName.query) ?? "",
                callsPerSecond: calls.rate(over: self.window)?.value,
                meanSeconds: time.flatMap {
                    SeriesStore.Series.meanPerEvent(total: $0, count: calls, over: self.window)
                }?
                .value,
                maxSeconds: Self.first(maxima, LabelName.statement, id)?.latest,
                rowsPerCall: Self.first(rows, LabelName.statement, id).flatMap {
                    SeriesStore.Series.meanPerEvent(total: $0, count: calls, over: self.window)
                }?.value,
                timePerSecond: timePerSecond,
                shareOfTime: timePerSecond.flatMap { part in
                    allTimePerSecond.flatMap { $0 > 0 ? min(1, part / $0) : nil }
                },
                totalSeconds: time?.latest
            )
        }
        return QueriesView(
            source: self.source,
            isAvailable: available != 0,
            statements: statements.sorted {
                ($0.timePerSecond ?? 0, $0.totalSeconds ?? 0, $1.statement) > (
                    $1.timePerSecond ?? 0, $1.totalSeconds ?? 0, $0.statement
                )
            },
            tables: self.tables(sequentialScans)
        )
    }

    /// The tables with sequential-scan statistics, the most rows read sequentially per second first.
    private func tables(_ sequentialScans: [SeriesStore.Series]) -> [TableScansView] {
        let rowsRead = self.series(MetricName.postgresTableSequentialRows)
        let indexScans = self.series(MetricName.postgresTableIndexScans)
        let liveRows = self.series(MetricName.postgresTableLiveRows)
        let tables = sequentialScans.compactMap { scans -> TableScansView? in
            guard let name = scans.id.label(LabelName.table) else {
                return nil
            }
            return TableScansView(
                source: self.source,
                name: name,
                sequentialScansPerSecond: scans.rate(over: self.window)?.value,
                sequentialRowsPerSecond: Self.first(rowsRead, LabelName.table, name)?.rate(over: self.window)?.value,
                indexScansPerSecond: Self.first(indexScans, LabelName.table, name)?.rate(over: self.window)?.value,
                liveRows: Self.first(liveRows, LabelName.table, name)?.latest
            )
        }
        return tables.sorted {
            ($0.sequentialRowsPerSecond ?? 0, $1.name) > ($1.sequentialRowsPerSecond ?? 0, $0.name)
        }
    }
}

/// How one table of a database is read: sequential scans against index scans, over the window.
public struct TableScansView: Sendable, Equatable {
    /// The source.
    public var source: String
    /// `schema.table`.
    public var name: String
    /// Sequential scans per second.
    public var sequentialScansPerSecond: Double?
    /// Rows those scans read per second.
    public var sequentialRowsPerSecond: Double?
    /// Index scans per second.
    public var indexScansPerSecond: Double?
    /// Estimated live rows.
    public var liveRows: Double?

    /// Creates a view.
    public init(
        source: String,
        name: String,
        sequentialScansPerSecond: Double? = nil,
        sequentialRowsPerSecond: Double? = nil,
        indexScansPerSecond: Double? = nil,
        liveRows: Double? = nil
    ) {
        self.source = source
        self.name = name
        self.sequentialScansPerSecond = sequentialScansPerSecond
        self.sequentialRowsPerSecond = sequentialRowsPerSecond
        self.indexScansPerSecond = indexScansPerSecond
        self.liveRows = liveRows
    }
}

/// The statements of one database source.
public struct QueriesView: Sendable, Equatable {
    /// The source.
    public var source: String
    /// False when the server has no `pg_stat_statements` to read (not installed or not loaded).
    public var isAvailable: Bool
    /// The statements, the most time per second over the window first.
    public var statements: [QueryView]
    /// The tables of the URL's database, the most rows read by sequential scans first.
    public var tables: [TableScansView]

    /// Creates a view.
    public init(source: String, isAvailable: Bool, statements: [QueryView], tables: [TableScansView] = []) {
        self.source = source
        self.isAvailable = isAvailable
        self.statements = statements
        self.tables = tables
    }
}

/// One statement of a database: how often it runs and how long it takes, over the window.
public struct QueryView: Sendable, Equatable {
    /// The source.
    public var source: String
    /// The server's identity for the normalised text (`queryid`).
    public var statement: String
    /// The normalised text, white space collapsed, at most 200 characters (outside text: escape it
    /// before it reaches a terminal).
    public var text: String
    /// Calls per second over the window.
    public var callsPerSecond: Double?
    /// Mean time per call over the window, in seconds; nil when it was not called in the window.
    public var meanSeconds: Double?
    /// The longest call since the server's statistics were reset, in seconds.
    public var maxSeconds: Double?
    /// Rows per call over the window.
    public var rowsPerCall: Double?
    /// Seconds spent in it per second over the window.
    public var timePerSecond: Double?
    /// Its share of the time of every statement the server tracks, over the window (0…1).
    public var shareOfTime: Double?
    /// Seconds spent in it since the statistics were reset.
    public var totalSeconds: Double?

    /// Creates a view.
    public init(
        source: String,
        statement: String,
        text: String,
        callsPerSecond: Double? = nil,
        meanSeconds: Double? = nil,
        maxSeconds: Double? = nil,
        rowsPerCall: Double? = nil,
        timePerSecond: Double? = nil,
        shareOfTime: Double? = nil,
        totalSeconds: Double? = nil
    ) {
        self.source = source
        self.statement = statement
        self.text = text
        self.callsPerSecond = callsPerSecond
        self.meanSeconds = meanSeconds
        self.maxSeconds = maxSeconds
        self.rowsPerCall = rowsPerCall
        self.timePerSecond = timePerSecond
        self.shareOfTime = shareOfTime
        self.totalSeconds = totalSeconds
    }
}
