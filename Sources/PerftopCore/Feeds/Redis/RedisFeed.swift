import FoundationEssentials
import NIOCore
import NIOSSL
import PerfKit
import PerfKitRedis

/// A Redis server read directly (`perftop --endpoint redis://host:6379`, or `rediss://` over TLS).
///
/// Each poll sends `INFO all` (after `AUTH` when the URL names a password source) on a connection kept
/// open between polls, and reads the answer with ``RedisInfo``: keyspace hits and misses as the cache
/// `redis`, evictions by cause, memory against `maxmemory`, clients, commands, and per-command latency
/// (docs/sources.md, "Redis"). It only reads: it never changes the server's configuration.
///
/// Bounds: the whole poll (connect, TLS, `AUTH`, `INFO`) finishes within its timeout; an answer larger
/// than ``maximumResponseBytes`` fails the poll.
public struct RedisFeed: Feed {
    /// The URL, as given (it holds no password).
    public let name: String
    /// The largest answer accepted: 1 MiB (`INFO all` is about 5 KiB, plus about 200 bytes per command
    /// the server has seen).
    public let maximumResponseBytes: Int
    private let user: String?
    private let password: String?
    private let connection: ServerConnection

    /// Creates a feed for `url`, reading its password now. Nothing is sent before the first poll.
    ///
    /// - Parameters:
    ///   - url: `redis://[user@]host[:port][?password-env=VAR|password-file=PATH]` or `rediss://…`.
    ///   - trustRoots: the CAs a `rediss` server is verified against instead of the system's (`--ca-file`).
    ///   - maximumResponseBytes: the largest answer accepted.
    ///   - environment: where `password-env` is looked up; the process's by default.
    /// - Throws: ``FeedError`` for a bad URL or a password that cannot be read (``ServerURL``).
    public init(
        url: String,
        trustRoots: HTTPFeed.TrustRoots? = nil,
        maximumResponseBytes: Int = 1 << 20,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(FeedError) {
        let parsed = try ServerURL(url, accepting: [.redis, .rediss])
        self.name = url
        self.user = parsed.user
        self.password = try parsed.readPassword(environment: environment)
        self.maximumResponseBytes = maximumResponseBytes
        self.connection = parsed.connection(trustRoots: trustRoots)
    }

    /// Reads `INFO all` once.
    ///
    /// - Throws: ``FeedError``: `connection refused`, `timeout after 1.0s`, `redis: NOAUTH
    ///   Authentication required.` (and the other errors the server answers), `not a Redis reply
    ///   (starts with "…")`, `response larger than N bytes`, `TLS: …`.
    public func poll(timeout: Duration) async throws -> [Sample] {
        var commands: [[String]] = []
        if let password {
            commands.append(["AUTH"] + (self.user.map { [$0] } ?? []) + [password])
        }
        commands.append(["INFO", "all"])
        let count = commands.count
        let answer: [UInt8]
        do {
            answer = try await self.connection.exchange(
                RESPEncoder.encode(commands),
                deadline: .now() + TimeAmount(timeout),
                maximumResponseBytes: self.maximumResponseBytes
            ) { received in
                try Self.isWhole(received, replies: count)
            }
        } catch {
            throw FeedError.describing(error, timeout: timeout)
        }
        return try Self.samples(answer: answer, replies: count)
    }

    /// Whether `answer` holds `replies` whole RESP replies (a poll's pipeline).
    ///
    /// - Throws: ``FeedError`` `not a Redis reply (starts with '…')` as soon as the bytes cannot be one.
    public static func isWhole(_ answer: [UInt8], replies: Int) throws(FeedError) -> Bool {
        do {
            return try RESPReader.replies(replies, in: answer) != nil
        } catch {
            throw FeedError(error.description)
        }
    }

    /// The samples of a whole answer to a poll's `replies` commands, the last `INFO all`: how the feed
    /// reads what the server sent. Cost: one pass over the answer.
    ///
    /// - Throws: ``FeedError`` `redis: …` for an error reply, `unexpected answer to INFO`, or a
    ///   malformed or incomplete answer.
    public static func samples(answer: [UInt8], replies count: Int) throws(FeedError) -> [Sample] {
        let whole: [RESPValue]?
        do {
            whole = try RESPReader.replies(count, in: answer)
        } catch {
            throw FeedError(error.description)
        }
        guard let replies = whole else {
            throw FeedError("incomplete answer")
        }
        for reply in replies {
            if case .error(let message) = reply {
                throw FeedError("redis: " + SafeText.escaped(message, limit: 120))
            }
        }
        guard case .bulk(let info?) = replies.last else {
            throw FeedError("unexpected answer to INFO")
        }
        return RedisInfo.samples(String(decoding: info, as: UTF8.self))
    }

    /// The bytes of the server's answers read so far (login included): what polling it costs.
    public var bytesReceived: Int {
        self.connection.bytesReceived
    }

    /// Closes the connection kept between polls.
    public func close() async {
        await self.connection.close()
    }
}
