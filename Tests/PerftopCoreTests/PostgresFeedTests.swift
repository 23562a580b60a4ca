import Foundation
import PerfKit
import ServerTestKit
import Testing

@testable import PerftopCore

/// The PostgreSQL feed against a real server from Debian's packages (`initdb` + `postgres` on a free
/// port of 127.0.0.1; skipped, saying why, when they are not installed): SCRAM-SHA-256 and md5
/// logins, a fixed query mix read back as the server counts it, `pg_stat_statements` missing, wrong
/// passwords and servers that are not PostgreSQL. No assertion depends on elapsed time.
@Suite(.timeLimit(.minutes(1)), .serialized)
struct PostgresFeedTests {
    static let skipReason: Comment =
        "PostgreSQL is not installed (apt install postgresql; .ci/run does it as root)"
    static let password = "s3cret pass"

    private static func url(_ server: ServerTestProcess, user: String = "perftop") -> String {
        "postgresql://\(user)@127.0.0.1:\(server.port)/postgres?password-env=PG_PASSWORD"
    }

    private static func feed(
        _ server: ServerTestProcess,
        user: String = "perftop",
        password: String = Self.password,
        url: String? = nil
    ) throws -> PostgresFeed {
        try PostgresFeed(url: url ?? Self.url(server, user: user), environment: ["PG_PASSWORD": password])
    }

    private static func value(_ samples: [Sample], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    @Test(.enabled(if: ServerTestProcess.isPostgresInstalled, Self.skipReason))
    func readsAQueryMixAsTheServerCountsIt() async throws {
        let server = try await ServerTestProcess.postgres(password: Self.password)
        defer { server.stop() }
        _ = try await server.psql(
            "CREATE EXTENSION pg_stat_statements; CREATE TABLE orders(id int PRIMARY KEY, note text); "
                + "INSERT INTO orders SELECT g, 'n' || g FROM generate_series(1, 20000) g; ANALYZE orders;",
            password: Self.password
        )
        // The mix: 40 full scans (the statement with the most time), 200 lookups by the primary key.
        _ = try await server.psql(
            String(repeating: "SELECT count(*) FROM orders WHERE note LIKE '%7%';", count: 40)
                + String(repeating: "SELECT note FROM orders WHERE id = 42;", count: 200),
            password: Self.password
        )
        let feed = try Self.feed(server)
        let before = try await server.psql(
            "SELECT sum(blks_hit) || ' ' || sum(blks_read) FROM pg_stat_database",
            password: Self.password
        ).split(separator: " ").compactMap { Double($0) }
        let samples = try await feed.poll(timeout: .mustSucceed)
        let after = try await server.psql(
            "SELECT sum(blks_hit) || ' ' || sum(blks_read) FROM pg_stat_database",
            password: Self.password
        ).split(separator: " ").compactMap { Double($0) }
        let cache = [LabelName.cache: "postgres"]
        let hits = try #require(Self.value(samples, MetricName.cacheHits, cache))
        let reads = try #require(Self.value(samples, MetricName.cacheMisses, cache))
        #expect(before.count == 2 && after.count == 2)
        #expect((before[0]...after[0]).contains(hits), "buffer hits between the server's own before and after")
        #expect((before[1]...after[1]).contains(reads))
        #expect(Self.value(samples, MetricName.postgresStatementsAvailable) == 1)

        let top = try await server.psql(
            "SELECT queryid || ' ' || calls FROM pg_stat_statements WHERE query NOT LIKE '/* perftop */%' "
                + "ORDER BY total_exec_time DESC LIMIT 1",
            password: Self.password
        ).split(separator: " ")
        let calls = samples.filter { $0.name == MetricName.postgresStatementCalls }
        let scan = try #require(calls.first { $0.labels[LabelName.query]?.contains("LIKE") == true })
        #expect(scan.value == 40)
        #expect(scan.labels[LabelName.query] == "SELECT count(*) FROM orders WHERE note LIKE $1")
        let seconds = samples.filter { $0.name == MetricName.postgresStatementSeconds }
        let slowest = try #require(seconds.max { $0.value < $1.value })
        #expect(slowest.labels[LabelName.statement] == top.first.map(String.init), "the server's own top statement")
        #expect(calls.first { $0.labels[LabelName.query]?.contains("id = $1") == true }?.value == 200)
        #expect(!calls.contains { $0.labels[LabelName.query]?.contains("perftop") == true }, "perftop's own left out")

        let table = [LabelName.table: "public.orders"]
        #expect(Self.value(samples, MetricName.postgresTableSequentialScans, table) ?? 0 >= 40)
        #expect(Self.value(samples, MetricName.postgresTableIndexScans, table) ?? 0 >= 200)
        #expect(Self.value(samples, MetricName.postgresTableLiveRows, table) == 20000)

        let again = try await feed.poll(timeout: .mustSucceed)
        #expect(Self.value(again, MetricName.cacheHits, cache) ?? 0 >= hits, "the kept connection polls again")
        await feed.close()
    }

    @Test(.enabled(if: ServerTestProcess.isPostgresInstalled, Self.skipReason))
    func logsInWithMD5AndRefusesAWrongPassword() async throws {
        let server = try await ServerTestProcess.postgres(password: Self.password, statements: false)
        defer { server.stop() }
        _ = try await server.psql(
            "SET password_encryption = 'md5'; CREATE ROLE legacy LOGIN PASSWORD 'old one'; "
                + "GRANT pg_read_all_stats TO legacy;",
            password: Self.password
        )
        let md5 = try Self.feed(server, user: "legacy", password: "old one")
        let samples = try await md5.poll(timeout: .mustSucceed)
        #expect(Self.value(samples, MetricName.cacheHits, [LabelName.cache: "postgres"]) != nil)
        #expect(Self.value(samples, MetricName.postgresStatementsAvailable) == 0, "pg_stat_statements is not loaded")
        await md5.close()

        let wrong = try Self.feed(server, password: "wrong")
        #expect(
            await failureReason(polling: wrong, timeout: .mustSucceed)
                == #"postgresql: password authentication failed for user "perftop" (28P01)"#
        )
        let none = try PostgresFeed(url: "postgresql://perftop@127.0.0.1:\(server.port)/postgres")
        #expect(
            await failureReason(polling: none, timeout: .mustSucceed)
                == "the server asks for a password; add ?password-env=VAR or ?password-file=PATH"
        )
    }

    @Test(.enabled(if: ServerTestProcess.isPostgresInstalled && OpenSSLTestServer.isAvailable, Self.skipReason))
    func speaksTLSWithSSLModeRequireAndVerifiesTheServer() async throws {
        let certificate = try await TestCertificate()
        defer { certificate.remove() }
        let server = try await ServerTestProcess.postgres(
            password: Self.password,
            statements: false,
            tls: (certificate.certificatePath, certificate.keyPath)
        )
        defer { server.stop() }
        let url = Self.url(server) + "&sslmode=require"
        let trusted = try PostgresFeed(
            url: url,
            trustRoots: try HTTPFeed.TrustRoots(pemFile: certificate.certificatePath),
            environment: ["PG_PASSWORD": Self.password]
        )
        let samples = try await trusted.poll(timeout: .mustSucceed)
        #expect(Self.value(samples, MetricName.cacheHits, [LabelName.cache: "postgres"]) != nil)
        let connections = try await server.psql(
            "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) "
                + "WHERE ssl AND application_name = 'perftop'",
            password: Self.password
        )
        #expect(connections == "1", "perftop's connection is encrypted")
        await trusted.close()

        let untrusted = try PostgresFeed(url: url, environment: ["PG_PASSWORD": Self.password])
        #expect(
            await failureReason(polling: untrusted, timeout: .mustSucceed) == "TLS: certificate verification failed"
        )
    }

    @Test(.enabled(if: ServerTestProcess.isPostgresInstalled, Self.skipReason))
    func refusesToGoOnInClearWhenTheServerHasNoTLS() async throws {
        let server = try await ServerTestProcess.postgres(password: Self.password, statements: false)
        defer { server.stop() }
        let feed = try Self.feed(server, url: Self.url(server) + "&sslmode=require")
        #expect(
            await failureReason(polling: feed, timeout: .mustSucceed)
                == "the server does not accept TLS (ssl = off); sslmode=disable sends the password in clear"
        )
        #expect(throws: FeedError.self) { try PostgresFeed(url: Self.url(server) + "&sslmode=prefer") }
    }

    @Test func aServerThatIsNotPostgreSQLIsNamedAsSuch() async throws {
        let http = try await HTTPTestServer(.ok("hello", contentType: "text/plain"))
        let feed = try PostgresFeed(url: "postgresql://perftop@127.0.0.1:\(http.port)/postgres")
        let reason = await failureReason(polling: feed, timeout: .mustSucceed)
        #expect(
            reason?.hasPrefix("not a PostgreSQL reply (starts with 'HTTP/1.1 ") == true,
            "\(reason ?? "no failure")"
        )
        await feed.close()
        await http.stop()
    }

    @Test func aHungServerTimesOut() async throws {
        let hung = try await SilentTCPServer()
        let feed = try PostgresFeed(url: "postgresql://perftop@127.0.0.1:\(hung.port)/postgres")
        let reason = await failureReason(polling: feed, timeout: .milliseconds(300))
        #expect(reason == "timeout after 0.3s", "\(reason ?? "no failure")")
        await feed.close()
        await hung.stop()
    }
}
