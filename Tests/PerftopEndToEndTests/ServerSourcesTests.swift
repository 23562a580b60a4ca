import Foundation
import ServerTestKit
import Testing

/// perftop in a real terminal (tmux) watching a real Redis and a real PostgreSQL (skipped, saying
/// why, without them): the Redis keyspace in the cache pane with the hit rate the traffic gives, the
/// queries pane shown for a database source with its top statement, and the keys to hide it.
@Suite("Redis and PostgreSQL sources in tmux", .serialized, .timeLimit(.minutes(2)))
struct ServerSourcesTests {
    static let isInstalled =
        ServerTestProcess.isInstalled("/usr/bin/redis-server") && ServerTestProcess.isPostgresInstalled
    static let skipReason: Comment = "redis-server or PostgreSQL is not installed (.ci/run installs them as root)"

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func showsTheKeyspaceAndTheTopStatement() async throws {
        let redis = try await ServerTestProcess.redis()
        defer { redis.stop() }
        let postgres = try await ServerTestProcess.postgres(password: "pw")
        defer { postgres.stop() }
        _ = try await postgres.psql(
            "CREATE EXTENSION pg_stat_statements; CREATE TABLE items(id int, name text); "
                + "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 5000) g;",
            password: "pw"
        )
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tmux = try await TmuxSession.start(
            columns: 200,
            rows: 50,
            environment: ["XDG_CONFIG_HOME": directory, "PG_PASSWORD": "pw"]
        )
        try await tmux.type(
            "\(PerftopProcess.executablePath) --interval 0.5 --endpoint redis://127.0.0.1:\(redis.port)"
                + " --endpoint 'postgresql://perftop@127.0.0.1:\(postgres.port)/postgres?password-env=PG_PASSWORD'"
                + "; echo EXIT=$?"
        )
        #expect(try await tmux.waitFor("Queries"), "the queries pane is shown for a database source")

        // Steady traffic, so that every interval sees 7 hits for 3 misses and the scan runs.
        let traffic = Task {
            while !Task.isCancelled {
                _ = try? await redis.send(
                    "SET k v\r\n" + String(repeating: "GET k\r\n", count: 70)
                        + String(repeating: "GET nothing\r\n", count: 30) + "PING\r\n"
                ) { $0.hasSuffix("+PONG\r\n") }
                _ = try? await postgres.psql("SELECT count(*) FROM items WHERE name LIKE '%42%'", password: "pw")
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        defer { traffic.cancel() }
        let shown = try await tmux.waitUntil { screen in
            screen.contains("70.0%") && screen.contains("SELECT count(*) FROM items WHERE name LIKE $1")
        }
        let screen = try await tmux.screen()
        #expect(shown, "the redis row at 70.0% and the statement:\n\(screen)")
        // The cache pane is the first on its row of the screen.
        let redisRow = screen.split(separator: "\n").lazy.compactMap { $0.split(separator: "││").first }
            .first { $0.contains("│redis://") && $0.contains("%") }
        #expect(redisRow?.contains("70.0%") == true, "\(redisRow ?? "no redis row"):\n\(screen)")

        try await tmux.send("7")
        #expect(try await tmux.waitForAbsence(of: "Queries"), "7 hides the queries pane")
        try await tmux.send("q")
        #expect(try await tmux.waitFor("EXIT=0"))
        await tmux.close()
    }
}
