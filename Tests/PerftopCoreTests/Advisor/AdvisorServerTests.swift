import PerfKit
import Testing

@testable import PerftopCore

@Suite("Advisor: redis-maxmemory and the database rules")
struct AdvisorServerTests {
    // MARK: - Redis

    /// A Redis keyspace polled once a second: `evictions` size evictions a second, `used` of `maximum` bytes.
    private func redis(evictions: Double, used: Double, maximum: Double = 100 * 1_048_576) -> SeriesStore {
        SeriesStore.polls(10, source: "redis://cache:6379") { poll in
            let time = Double(poll)
            let cache = ["cache": "redis"]
            return [
                .counter("cache_hits_total", 60 * time, cache),
                .counter("cache_misses_total", 40 * time, cache),
                .counter("cache_evictions_total", evictions * time, ["cache": "redis", "cause": "size"]),
                .gauge("cache_bytes", used, cache),
                .gauge("redis_memory_max_bytes", maximum),
            ]
        }
    }

    @Test("Redis evicting at maxmemory gets raise maxmemory or set TTLs, and not raise capacity")
    func redisAtMaxMemory() throws {
        let advice = Advisor().advise(store: self.redis(evictions: 50, used: 99 * 1_048_576))
        #expect(advice.map(\.rule) == [.redisMaxMemory])
        let maxmemory = try #require(advice.first)
        #expect(maxmemory.subject == AdviceSubject(source: "redis://cache:6379", kind: .cache, name: "redis"))
        #expect(maxmemory.value("size evictions") == 50)
        #expect(maxmemory.value("used") == Double(99 * 1_048_576))
        #expect(maxmemory.value("hit rate") == 0.6)
        #expect(maxmemory.action.contains("raise maxmemory"))
    }

    @Test("no advice when Redis has room, or does not evict")
    func redisWithRoom() {
        #expect(Advisor().advise(store: self.redis(evictions: 50, used: 50 * 1_048_576)).isEmpty)
        #expect(Advisor().advise(store: self.redis(evictions: 0, used: 99 * 1_048_576)).isEmpty)
        #expect(Advisor().advise(store: self.redis(evictions: 50, used: 99 * 1_048_576, maximum: 0)).isEmpty)
    }

    // MARK: - PostgreSQL

    /// A PostgreSQL server polled once a second: `hits` and `reads` blocks a second; one table of
    /// `rows` rows with `sequential` and `indexed` scans a second; two statements taking `first` and
    /// `second` seconds a second.
    private func postgres(
        hits: Double = 990,
        reads: Double = 10,
        rows: Double = 50_000,
        sequential: Double = 0,
        indexed: Double = 0,
        first: Double = 0,
        second: Double = 0
    ) -> SeriesStore {
        SeriesStore.polls(10, source: "postgresql://db/shop") { poll in
            let time = Double(poll)
            let cache = ["cache": "postgres"]
            let table = ["table": "public.orders"]
            let slow = ["queryid": "1", "query": "SELECT * FROM orders WHERE note LIKE $1"]
            let fast = ["queryid": "2", "query": "SELECT 1"]
            return [
                .counter("cache_hits_total", hits * time, cache),
                .counter("cache_misses_total", reads * time, cache),
                .counter("postgres_commits_total", 100 * time),
                .gauge("postgres_statements_available", 1),
                .counter("postgres_statements_seconds_total", (first + second) * time),
                .counter("postgres_statement_calls_total", 10 * time, slow),
                .counter("postgres_statement_seconds_total", first * time, slow),
                .counter("postgres_statement_calls_total", 100 * time, fast),
                .counter("postgres_statement_seconds_total", second * time, fast),
                .counter("postgres_table_seq_scans_total", sequential * time, table),
                .counter("postgres_table_seq_rows_read_total", sequential * rows * time, table),
                .counter("postgres_table_index_scans_total", indexed * time, table),
                .gauge("postgres_table_live_rows", rows, table),
            ]
        }
    }

    @Test("a buffer hit ratio under 99% while reading blocks gets raise shared_buffers, citing the ratio")
    func bufferCache() throws {
        let advice = Advisor().advise(store: self.postgres(hits: 900, reads: 100))
        #expect(advice.map(\.rule) == [.databaseBufferCache])
        let buffer = try #require(advice.first)
        #expect(buffer.value("hit ratio") == 0.9)
        #expect(buffer.value("blocks read") == 100)
        #expect(buffer.action.contains("shared_buffers"))
        #expect(Advisor().advise(store: self.postgres(hits: 999, reads: 1)).isEmpty, "99.9% is fine")
        #expect(Advisor().advise(store: self.postgres(hits: 5, reads: 5)).isEmpty, "an idle server is left alone")
    }

    @Test("a large table scanned sequentially more than by index is an index candidate")
    func sequentialScans() throws {
        let advice = Advisor().advise(store: self.postgres(sequential: 2, indexed: 0.5))
        #expect(advice.map(\.rule) == [.databaseSequentialScans])
        let scans = try #require(advice.first)
        #expect(scans.subject == AdviceSubject(source: "postgresql://db/shop", kind: .table, name: "public.orders"))
        #expect(scans.value("sequential scans") == 2)
        #expect(scans.value("index scans") == 0.5)
        #expect(scans.value("live rows") == 50_000)
        #expect(scans.value("rows read") == 100_000)
        #expect(Advisor().advise(store: self.postgres(rows: 500, sequential: 2)).isEmpty, "a small table is fine")
        #expect(Advisor().advise(store: self.postgres(sequential: 2, indexed: 20)).isEmpty, "mostly indexed")
    }

    @Test("one statement with most of the time is the one to optimize first; the pane shows the same share")
    func dominantStatement() throws {
        let store = self.postgres(first: 0.3, second: 0.1)
        let advice = Advisor(window: .lastInterval).advise(store: store)
        #expect(advice.map(\.rule) == [.databaseDominantStatement])
        let statement = try #require(advice.first)
        #expect(statement.subject.name == "SELECT * FROM orders WHERE note LIKE $1")
        #expect(abs((statement.value("share of statement time") ?? 0) - 0.75) < 1e-9)
        #expect(statement.value("calls") == 10)
        #expect(abs((statement.value("mean") ?? 0) - 0.03) < 1e-9)
        let model = DashboardModel(store: store, sources: [], timestamp: 1009, interval: 1)
        #expect(model.queries.first?.statements.first?.shareOfTime == statement.value("share of statement time"))
        #expect(Advisor().advise(store: self.postgres(first: 0.1, second: 0.1)).isEmpty, "an even split")
    }
}
