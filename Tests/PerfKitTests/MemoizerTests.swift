import PerfKit
import Testing

@Suite struct MemoizerTests {
    struct Query: Hashable, Sendable {
        var table: String
        var limit: Int
    }

    @Test func callsTheFunctionOncePerDistinctArguments() async throws {
        let calls = Shared<[Query: Int]>([:])
        let memoized = Memoizer<Query, String>(name: "queries", capacity: 100) { query in
            calls.update { $0[query, default: 0] += 1 }
            return "\(query.table):\(query.limit)"
        }
        let queries = [
            Query(table: "a", limit: 1), Query(table: "a", limit: 2), Query(table: "b", limit: 1),
        ]

        for _ in 0..<3 {
            for query in queries {
                #expect(try await memoized(query) == "\(query.table):\(query.limit)")
            }
        }

        #expect(calls.value == Dictionary(uniqueKeysWithValues: queries.map { ($0, 1) }))
        #expect(memoized.cache.loadStats.successes == 3)
        #expect(memoized.cache.cache.stats.hits == 6)
    }

    @Test func doesNotCacheErrors() async throws {
        struct Flaky: Error {}
        let calls = LoadCounter()
        let memoized = Memoizer<Int, Int>(name: "flaky", capacity: 10) { argument in
            if calls.increment() == 1 {
                throw Flaky()
            }
            return argument + 1
        }

        await #expect(throws: Flaky.self) { try await memoized(1) }
        #expect(try await memoized(1) == 2)
        #expect(try await memoized(1) == 2)
        #expect(calls.value == 2)
    }
}
