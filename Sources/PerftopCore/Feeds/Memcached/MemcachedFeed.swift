import NIOCore
import PerfKit

/// A memcached server read directly (`perftop --endpoint memcached://host:11211`).
///
/// Each poll sends `stats` over the text protocol on a connection kept open between polls and reads
/// the `STAT name value` lines with ``MemcachedStats``: get hits and misses as the cache `memcached`,
/// evictions, items, bytes against `limit_maxbytes`, connections and CPU (docs/sources.md,
/// "memcached"). The text protocol has no authentication, so neither does the feed.
///
/// Bounds: the whole poll finishes within its timeout; an answer larger than ``maximumResponseBytes``
/// fails it.
public struct MemcachedFeed: Feed {
    /// The URL, as given.
    public let name: String
    /// The largest answer accepted: 64 KiB (`stats` is about 3 KiB).
    public let maximumResponseBytes: Int
    private let connection: ServerConnection

    /// Creates a feed for `url`, `memcached://host[:port]`. Nothing is sent before the first poll.
    ///
    /// - Throws: ``FeedError`` for a bad URL (``ServerURL``).
    public init(url: String, maximumResponseBytes: Int = 64 << 10) throws(FeedError) {
        let parsed = try ServerURL(url, accepting: [.memcached])
        self.name = url
        self.maximumResponseBytes = maximumResponseBytes
        self.connection = parsed.connection(trustRoots: nil)
    }

    /// Reads `stats` once.
    ///
    /// - Throws: ``FeedError``: `connection refused`, `timeout after 1.0s`, `memcached: SERVER_ERROR …`,
    ///   `not a memcached reply (starts with "…")`, `response larger than N bytes`.
    public func poll(timeout: Duration) async throws -> [Sample] {
        let answer: [UInt8]
        do {
            answer = try await self.connection.exchange(
                Array("stats\r\n".utf8),
                deadline: .now() + TimeAmount(timeout),
                maximumResponseBytes: self.maximumResponseBytes
            ) { received in
                try Self.isWhole(received)
            }
        } catch {
            throw FeedError.describing(error, timeout: timeout)
        }
        return try Self.samples(answer: answer)
    }

    /// Whether `answer` is a whole answer to `stats`: `END` after the statistics, or an error line.
    ///
    /// - Throws: ``FeedError`` `not a memcached reply (starts with '…')` as soon as it cannot be one.
    public static func isWhole(_ answer: [UInt8]) throws(FeedError) -> Bool {
        do {
            return try MemcachedStats.isComplete(answer)
        } catch {
            throw FeedError(error.description)
        }
    }

    /// The samples of a whole answer to `stats`, as the feed reads it. Cost: one pass over the answer.
    ///
    /// - Throws: ``FeedError`` `memcached: SERVER_ERROR …` for an error line.
    public static func samples(answer: [UInt8]) throws(FeedError) -> [Sample] {
        try MemcachedStats.samples(answer)
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
