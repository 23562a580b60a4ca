import FoundationEssentials
import NIOCore
import NIOSSL
import PerfKit

/// A PostgreSQL server read directly (`perftop --endpoint postgresql://user@host:5432/db`).
///
/// It logs in once per connection (clear text, `md5` or SCRAM-SHA-256; ``PostgresAuthentication``)
/// and keeps the connection between polls. Each poll runs three queries in one round trip
/// (``PostgresStatistics``): the buffer cache's hits and reads of `pg_stat_database` as the cache
/// `postgres`, the top statements of `pg_stat_statements` when the extension is there, and the
/// sequential against index scans of the database's tables.
///
/// Bounds: the whole poll (connect, login, queries) finishes within its timeout; a server message
/// larger than 1 MiB, or an answer larger than ``maximumResponseBytes``, fails it. It only reads.
public struct PostgresFeed: Feed {
    /// The URL, as given (it holds no password).
    public let name: String
    /// The largest answer to one poll's queries: 1 MiB.
    public let maximumResponseBytes: Int
    private let user: String
    private let database: String
    private let password: String?
    private let usesTLS: Bool
    private let connection: ServerConnection

    /// Creates a feed for `url`, reading its password now. Nothing is sent before the first poll.
    ///
    /// - Parameters:
    ///   - url: `postgresql://[user@]host[:port][/database][?password-env=VAR|password-file=PATH]`,
    ///     with `sslmode=require` for TLS; the user defaults to the login name, the database to the
    ///     user, as `psql` does.
    ///   - trustRoots: the CAs a TLS server is verified against instead of the system's (`--ca-file`).
    ///   - maximumResponseBytes: the largest answer accepted.
    ///   - environment: where `password-env` is looked up; the process's by default.
    /// - Throws: ``FeedError`` for a bad URL or a password that cannot be read (``ServerURL``).
    public init(
        url: String,
        trustRoots: HTTPFeed.TrustRoots? = nil,
        maximumResponseBytes: Int = 1 << 20,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(FeedError) {
        let parsed = try ServerURL(url, accepting: [.postgresql, .postgres])
        self.name = url
        self.user = parsed.user ?? ProcessInfo.processInfo.userName
        self.database = parsed.database ?? self.user
        self.password = try parsed.readPassword(environment: environment)
        self.maximumResponseBytes = maximumResponseBytes
        self.connection = parsed.connection(trustRoots: trustRoots, startsTLSAtConnect: false)
        self.usesTLS = parsed.usesTLS
    }

    /// Runs the three queries once, logging in first on a new connection.
    ///
    /// - Throws: ``FeedError``: `connection refused`, `timeout after 1.0s`, `postgresql: password
    ///   authentication failed for user "x" (28P01)` and the server's other errors, `the server asks
    ///   for a password; …`, `not a PostgreSQL reply (starts with '…')`, `response larger than N bytes`.
    public func poll(timeout: Duration) async throws -> [Sample] {
        do {
            return try await self.connection.withSession(deadline: .now() + TimeAmount(timeout)) { session in
                if session.isNew {
                    try await self.logIn(session)
                }
                let answer = try await session.exchange(
                    PostgresStatistics.queries.flatMap(PostgresWire.query),
                    maximumResponseBytes: self.maximumResponseBytes,
                    isComplete: Self.isWhole
                )
                return try Self.samples(answer: answer)
            }
        } catch let error as PostgresError {
            throw FeedError(error.description)
        } catch let error as PostgresWire.Malformed {
            throw FeedError(error.description)
        } catch let error as PostgresAuthentication.Failure {
            throw FeedError(error.description)
        } catch {
            throw FeedError.describing(error, timeout: timeout)
        }
    }

    /// The bytes of the server's answers read so far (login included): what polling it costs.
    public var bytesReceived: Int {
        self.connection.bytesReceived
    }

    /// Whether `answer` holds the whole answer to a poll's three queries (three `ReadyForQuery`).
    ///
    /// - Throws: ``FeedError`` `not a PostgreSQL reply (starts with '…')` as soon as it cannot be one.
    public static func isWhole(_ answer: [UInt8]) throws(FeedError) -> Bool {
        do {
            let ready = try PostgresWire.messages(in: answer).count { $0.type == UInt8(ascii: "Z") }
            return ready >= PostgresStatistics.queries.count
        } catch {
            throw FeedError(error.description)
        }
    }

    /// The samples of a whole answer to a poll's three queries, as the feed reads it. Cost: one pass
    /// over the answer.
    ///
    /// - Throws: ``FeedError`` for a malformed answer or the server's error to the first query.
    public static func samples(answer: [UInt8]) throws(FeedError) -> [Sample] {
        do {
            return try PostgresStatistics.samples(try PostgresWire.results(try PostgresWire.messages(in: answer)))
        } catch let error as PostgresError {
            throw FeedError(error.description)
        } catch {
            throw FeedError("\(error)")
        }
    }

    /// Closes the connection kept between polls.
    public func close() async {
        await self.connection.close()
    }

    // MARK: - Login

    /// `SSLRequest`: the code 80877103 that asks a server to switch to TLS before the startup message.
    static let sslRequest: [UInt8] = PostgresWire.bytes(of: 8) + PostgresWire.bytes(of: 80_877_103)

    /// Asks the server for TLS and starts it: the server answers one byte, `S` or `N`.
    private func startTLS(_ session: ServerConnection.Session) async throws {
        let answer = try await session.exchange(Self.sslRequest, maximumResponseBytes: 1) { !$0.isEmpty }
        switch answer.first {
        case UInt8(ascii: "S"):
            try await session.startTLS()
        case UInt8(ascii: "N"):
            throw FeedError("the server does not accept TLS (ssl = off); sslmode=disable sends the password in clear")
        default:
            let start = String(decoding: answer, as: UTF8.self)
            throw PostgresWire.Malformed(description: "not a PostgreSQL reply (starts with \(SafeText.quoted(start)))")
        }
    }

    /// Sends the startup message (after TLS, with `sslmode=require`) and answers the server's
    /// password requests until it is ready.
    private func logIn(_ session: ServerConnection.Session) async throws {
        if self.usesTLS {
            try await self.startTLS(session)
        }
        let authentication = PostgresAuthentication(user: self.user, password: self.password)
        var scram: PostgresAuthentication.SCRAM?
        var request = PostgresWire.startup(user: self.user, database: self.database)
        while true {
            let answer = try await session.exchange(request, maximumResponseBytes: 64 << 10, isComplete: Self.loginStep)
            var next: [UInt8]?
            for message in try PostgresWire.messages(in: answer) {
                if message.type == UInt8(ascii: "E") {
                    throw PostgresError(message.body)
                }
                if message.type == UInt8(ascii: "Z") {
                    return
                }
                let payload = message.body.dropFirst(4)
                switch message.authenticationRequest {
                case nil, 0:
                    continue
                case 3:
                    next = try authentication.clearText()
                case 5:
                    next = try authentication.md5(salt: payload)
                case 10:
                    let mechanisms = payload.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                    guard mechanisms.contains("SCRAM-SHA-256") else {
                        throw PostgresAuthentication.Failure(
                            description:
                                "no SASL mechanism perftop knows (server offers \(mechanisms.joined(separator: ", ")))"
                        )
                    }
                    scram = PostgresAuthentication.SCRAM(password: try authentication.requirePassword())
                    next = scram?.initialResponse()
                case 11:
                    next = try scram?.finalResponse(serverFirst: String(decoding: payload, as: UTF8.self))
                case 12:
                    try scram?.verify(serverFinal: String(decoding: payload, as: UTF8.self))
                case let method?:
                    throw PostgresAuthentication.Failure(
                        description:
                            "authentication method \(method) not supported (use scram-sha-256, md5 or password)"
                    )
                }
            }
            guard let next else {
                throw PostgresWire.Malformed(description: "login ended without the server being ready")
            }
            request = next
        }
    }

    /// Whether a login answer is whole: it ends in an error, in ready-for-query, or in a password
    /// request perftop must answer.
    private static let loginStep: ServerConnection.Framing = { received in
        try PostgresWire.messages(in: received).contains { message in
            message.type == UInt8(ascii: "E") || message.type == UInt8(ascii: "Z")
                || (message.authenticationRequest.map { $0 != 0 && $0 != 12 } ?? false)
        }
    }
}
