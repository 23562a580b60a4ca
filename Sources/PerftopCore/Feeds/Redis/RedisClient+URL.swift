import FoundationEssentials
import PerfKitRedis

extension RedisClient {
    /// A client for `url`, written as perftop's Redis source takes it:
    /// `redis://[user@]host[:port][?password-env=VAR|password-file=PATH]`; the password is read now.
    ///
    /// - Throws: ``FeedError`` for a bad URL or an unreadable password (as ``RedisFeed`` does), and
    ///   `rediss:// (TLS) is not supported by RedisClient yet`.
    public static func connecting(
        to url: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(FeedError) -> RedisClient {
        let parsed = try ServerURL(url, accepting: [.redis, .rediss])
        guard !parsed.usesTLS else {
            throw FeedError("rediss:// (TLS) is not supported by RedisClient yet")
        }
        return RedisClient(
            host: parsed.host,
            port: parsed.port,
            user: parsed.user,
            password: try parsed.readPassword(environment: environment)
        )
    }
}
