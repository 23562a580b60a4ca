import PerfKit

/// The three queries a PostgreSQL poll runs, and their rows as samples in the vocabulary's names
/// (docs/sources.md, "PostgreSQL").
///
/// Each query starts with `/* perftop */`, so that `pg_stat_statements` lists perftop's own polls
/// under that text and the statements query leaves them out.
enum PostgresStatistics {
    /// The cache name the buffer cache is shown under.
    static let cacheName = LabelValue.ServerCache.postgres.rawValue
    /// The most statements read per poll, by total time.
    static let statementLimit = 10
    /// The most tables read per poll, by rows read sequentially.
    static let tableLimit = 20
    /// The longest statement text kept.
    static let queryTextLength = 200

    static let marker = "/* perftop */"

    /// The server's totals over every database.
    static let databaseQuery = """
        \(marker) SELECT sum(blks_hit)::bigint, sum(blks_read)::bigint, sum(xact_commit)::bigint, \
        sum(xact_rollback)::bigint, sum(numbackends)::bigint, sum(deadlocks)::bigint FROM pg_stat_database
        """

    /// The statements with the most total time (PostgreSQL 13 and later), with the totals of all.
    static let statementsQuery = """
        \(marker) SELECT coalesce(queryid, 0), calls, total_exec_time, max_exec_time, rows, \
        left(regexp_replace(query, '\\s+', ' ', 'g'), \(queryTextLength)), sum(total_exec_time) OVER () \
        FROM pg_stat_statements WHERE query NOT LIKE '\(marker)%' ORDER BY total_exec_time DESC LIMIT \(statementLimit)
        """

    /// The tables of the URL's database read most by sequential scans.
    static let tablesQuery = """
        \(marker) SELECT schemaname || '.' || relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0), n_live_tup \
        FROM pg_stat_user_tables ORDER BY seq_tup_read DESC LIMIT \(tableLimit)
        """

    /// The queries in the order ``samples(_:)`` reads their results.
    static let queries = [databaseQuery, statementsQuery, tablesQuery]

    /// The samples of the three queries' results.
    ///
    /// - Throws: ``PostgresError`` when the database query failed (the statements query may fail:
    ///   `pg_stat_statements` is optional, and ``MetricName/postgresStatementsAvailable`` says so).
    static func samples(_ results: [PostgresWire.QueryResult]) throws(PostgresError) -> [Sample] {
        guard results.count == Self.queries.count else {
            throw PostgresError(code: "", message: "expected \(Self.queries.count) results, got \(results.count)")
        }
        var samples: [Sample] = []
        switch results[0] {
        case .failed(let error):
            throw error
        case .rows(let rows):
            samples += Self.database(rows.first ?? [])
        }
        switch results[1] {
        case .failed:
            samples.append(Sample(name: MetricName.postgresStatementsAvailable, kind: .gauge, value: 0))
        case .rows(let rows):
            samples.append(Sample(name: MetricName.postgresStatementsAvailable, kind: .gauge, value: 1))
            samples += Self.statements(rows)
        }
        if case .rows(let rows) = results[2] {
            samples += Self.tables(rows)
        }
        return samples
    }

    private static func number(_ text: String??) -> Double? {
        (text ?? nil).flatMap(Double.init).flatMap { $0.isFinite ? $0 : nil }
    }

    private static func database(_ row: [String?]) -> [Sample] {
        let cache = [LabelName.cache: Self.cacheName]
        let columns: [(name: String, labels: [String: String], kind: Sample.Kind)] = [
            (MetricName.cacheHits, cache, .counter), (MetricName.cacheMisses, cache, .counter),
            (MetricName.postgresCommits, [:], .counter), (MetricName.postgresRollbacks, [:], .counter),
            (MetricName.postgresBackends, [:], .gauge), (MetricName.postgresDeadlocks, [:], .counter),
        ]
        return zip(columns, row).compactMap { column, text in
            Self.number(text).map { Sample(name: column.name, labels: column.labels, kind: column.kind, value: $0) }
        }
    }

    private static func statements(_ rows: [[String?]]) -> [Sample] {
        var samples: [Sample] = []
        for row in rows where row.count == 7 {
            if samples.isEmpty, let total = Self.number(row[6]) {
                samples.append(
                    Sample(name: MetricName.postgresStatementsSeconds, kind: .counter, value: total / 1000)
                )
            }
            guard let id = row[0] ?? nil, let calls = Self.number(row[1]), let milliseconds = Self.number(row[2]) else {
                continue
            }
            // The query cut it already; a server that did not must not make the label longer.
            let text = String(((row[5] ?? nil) ?? "").prefix(Self.queryTextLength))
            let labels = [LabelName.statement: id, LabelName.query: text]
            samples.append(
                Sample(name: MetricName.postgresStatementCalls, labels: labels, kind: .counter, value: calls)
            )
            samples.append(
                Sample(
                    name: MetricName.postgresStatementSeconds,
                    labels: labels,
                    kind: .counter,
                    value: milliseconds / 1000
                )
            )
            if let maximum = Self.number(row[3]) {
                samples.append(
                    Sample(
                        name: MetricName.postgresStatementMaxSeconds,
                        labels: labels,
                        kind: .gauge,
                        value: maximum / 1000
                    )
                )
            }
            if let rowCount = Self.number(row[4]) {
                samples.append(
                    Sample(name: MetricName.postgresStatementRows, labels: labels, kind: .counter, value: rowCount)
                )
            }
        }
        return samples
    }

    private static func tables(_ rows: [[String?]]) -> [Sample] {
        let columns: [(name: String, kind: Sample.Kind)] = [
            (MetricName.postgresTableSequentialScans, .counter), (MetricName.postgresTableSequentialRows, .counter),
            (MetricName.postgresTableIndexScans, .counter), (MetricName.postgresTableLiveRows, .gauge),
        ]
        var samples: [Sample] = []
        for row in rows where row.count == 5 {
            guard let table = row[0] ?? nil else {
                continue
            }
            for (column, text) in zip(columns, row.dropFirst()) {
                if let value = Self.number(text) {
                    samples.append(
                        Sample(name: column.name, labels: [LabelName.table: table], kind: column.kind, value: value)
                    )
                }
            }
        }
        return samples
    }
}
