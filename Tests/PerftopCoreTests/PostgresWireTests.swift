import Testing

@testable import PerftopCore

/// Server messages read as they arrive, results of simple queries, and the startup message.
struct PostgresWireTests {
    private static func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        PostgresWire.message(type, body)
    }

    private static func dataRow(_ columns: [String?]) -> [UInt8] {
        var body = [UInt8(0), UInt8(columns.count)]
        for column in columns {
            if let column {
                body += PostgresWire.bytes(of: Int32(column.utf8.count)) + Array(column.utf8)
            } else {
                body += PostgresWire.bytes(of: -1)
            }
        }
        return Self.message("D", body)
    }

    private static let ready = Self.message("Z", [UInt8(ascii: "I")])

    @Test func readsWholeMessagesOnly() throws {
        let bytes = Self.dataRow(["1", nil]) + Self.ready
        for cut in 0..<bytes.count {
            let messages = try PostgresWire.messages(in: Array(bytes.prefix(cut)))
            #expect(messages.count == (cut >= bytes.count - 6 ? 1 : 0), "cut at \(cut)")
        }
        #expect(try PostgresWire.messages(in: bytes).map(\.type) == [UInt8(ascii: "D"), UInt8(ascii: "Z")])
    }

    @Test func groupsResultsByReadyForQuery() throws {
        let error = Self.message("E", Array("SERROR\0C42P01\0Mrelation \"pg_stat_statements\" does not exist\0\0".utf8))
        let bytes =
            Self.dataRow(["5", "7"]) + Self.message("C", Array("SELECT 1\0".utf8)) + Self.ready + error + Self.ready
            + Self.ready
        let results = try PostgresWire.results(try PostgresWire.messages(in: bytes))
        #expect(
            results == [
                .rows([["5", "7"]]),
                .failed(PostgresError(code: "42P01", message: #"relation "pg_stat_statements" does not exist"#)),
                .rows([]),
            ]
        )
    }

    @Test(arguments: [
        (Array("HTTP/1.1 400 Bad Request\r\n".utf8), "not a PostgreSQL reply (starts with 'HTTP/1.1 400 Bad Reques…')"),
        (Array("-ERR unknown".utf8), "not a PostgreSQL reply (starts with '-ERR unknown')"),
        ([UInt8(ascii: "Z"), 0, 0, 0, 2], "not a PostgreSQL reply (starts with 'Z\\u{0}\\u{0}\\u{0}\\u{2}')"),
    ])
    func refusesWhatIsNotPostgreSQL(bytes: [UInt8], reason: String) {
        #expect(throws: PostgresWire.Malformed(description: reason)) { try PostgresWire.messages(in: bytes) }
    }

    @Test func refusesAShortDataRow() {
        let short = Self.message("D", [0, 2] + PostgresWire.bytes(of: 10) + Array("abc".utf8)) + Self.ready
        #expect(throws: PostgresWire.Malformed(description: "short data row")) {
            try PostgresWire.results(try PostgresWire.messages(in: short))
        }
    }

    /// Found by FuzzPostgresWire: a data row claiming -1 columns trapped in `0..<count`.
    @Test func refusesANegativeColumnCount() {
        let negative = Self.message("D", [0xFF, 0xFF]) + Self.ready
        #expect(throws: PostgresWire.Malformed(description: "negative column count")) {
            try PostgresWire.results(try PostgresWire.messages(in: negative))
        }
    }

    @Test func writesTheStartupMessage() {
        let startup = PostgresWire.startup(user: "u", database: "d")
        let text = String(decoding: startup.dropFirst(8), as: UTF8.self)
        #expect(text == "user\0u\0database\0d\0application_name\0perftop\0\0")
        #expect(Array(startup.prefix(8)) == PostgresWire.bytes(of: Int32(startup.count)) + [0, 3, 0, 0])
    }

    @Test func cutsAStatementTextTheServerDidNotCut() throws {
        let long = String(repeating: "x", count: 5_000)
        let samples = try PostgresStatistics.samples([
            .rows([["10", "5", "1", "0", "2", "0"]]),
            .rows([["1", "3", "2.5", "1.0", "3", long, "2.5"]]),
            .rows([]),
        ])
        let texts = Set(samples.compactMap { $0.labels["query"] })
        #expect(texts == [String(repeating: "x", count: PostgresStatistics.queryTextLength)])
    }

    @Test func readsTheStatisticsOfAFailedStatementsQueryAsUnavailable() throws {
        let samples = try PostgresStatistics.samples([
            .rows([["10", "5", "1", "0", "2", "0"]]),
            .failed(PostgresError(code: "42P01", message: "no")),
            .rows([["public.t", "3", "300", "0", "100"]]),
        ])
        #expect(samples.first { $0.name == "postgres_statements_available" }?.value == 0)
        #expect(samples.first { $0.name == "cache_hits_total" }?.value == 10)
        #expect(samples.first { $0.name == "postgres_table_seq_rows_read_total" }?.value == 300)
        #expect(throws: PostgresError(code: "28000", message: "denied")) {
            try PostgresStatistics.samples([
                .failed(PostgresError(code: "28000", message: "denied")), .rows([]), .rows([]),
            ])
        }
    }
}
