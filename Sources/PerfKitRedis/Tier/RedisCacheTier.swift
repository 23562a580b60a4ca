import PerfKit
import Synchronization

/// A `TieredCache` tier in Redis: values shared by every process that uses the same server and key
/// prefix, kept for ``timeToLive``, that never makes the cache fail when Redis does.
///
/// Each read, write or removal is one command bounded by ``timeout``. A call that fails (timeout,
/// refused or broken connection, error reply) returns as a miss or a dropped write, counted in
/// ``RedisCacheTierStats/errors`` and ``RedisCacheTierStats/fallbacks``; nothing is thrown. After
/// ``CircuitBreakerPolicy/failureThreshold`` failures in a row the circuit breaker opens: calls then
/// fall through at once, without touching the network, until a probe call finds Redis answering
/// again (``CircuitBreakerPolicy``). The tiered cache above goes on with its memory tier, its disk
/// tier and its loader meanwhile.
///
/// ```swift
/// let redis = RedisClient(host: "127.0.0.1", port: 6379)
/// let tier = RedisCacheTier<Profile>(client: redis, keyPrefix: "profiles:", timeToLive: .seconds(600))
/// let profiles = TieredCache(name: "profiles", capacity: 10_000, remote: tier)
/// let profile = try await profiles.value(forKey: id) { id in try await database.profile(id) }
/// ```
///
/// Registered through its tiered cache, it reports (labelled `cache=<name>,tier="redis"`)
/// `cache_hits_total`, `cache_misses_total`, `cache_writes_total`, `cache_write_failures_total`,
/// `cache_tier_errors_total`, `cache_tier_fallbacks_total` (counters) and `cache_tier_up` (gauge, 0 while
/// the breaker is open or half-open), so perftop's cache pane shows the tier as down.
public final class RedisCacheTier<Value: Sendable>: RemoteCacheTier {
    /// The client the tier's commands go through; the tier does not close it.
    public let client: RedisClient
    /// What every key is prefixed with in Redis, e.g. `profiles:`.
    public let keyPrefix: String
    /// How long a value lives in Redis after it was written (`SET … PX`); no expiry when nil.
    public let timeToLive: Duration?
    /// The most time one command may take before it counts as failed.
    public let timeout: Duration

    private let codec: RedisValueCodec<Value>
    private let breaker: CircuitBreaker
    private let counters = Mutex(RedisCacheTierStats())

    /// A tier over `client`, storing values with `codec`.
    ///
    /// - Parameters:
    ///   - client: The Redis client; share one between tiers of the same server.
    ///   - keyPrefix: Prefixed to every key in Redis; empty by default.
    ///   - timeToLive: The expiry of every value written; none by default.
    ///   - timeout: The most time one command may take; 100 ms by default.
    ///   - breaker: When to stop calling Redis and when to try again.
    ///   - codec: How values are stored.
    public init(
        client: RedisClient,
        keyPrefix: String = "",
        timeToLive: Duration? = nil,
        timeout: Duration = .milliseconds(100),
        breaker: CircuitBreakerPolicy = CircuitBreakerPolicy(),
        codec: RedisValueCodec<Value>
    ) {
        self.client = client
        self.keyPrefix = keyPrefix
        self.timeToLive = timeToLive
        self.timeout = timeout
        self.breaker = CircuitBreaker(policy: breaker)
        self.codec = codec
    }

    /// The tier's label value, `LabelValue.CacheTier.redis`.
    public var tier: LabelValue.CacheTier {
        .redis
    }

    /// Whether Redis is in use: false while the circuit breaker is open or half-open.
    public var isUp: Bool {
        self.breaker.isClosed
    }

    // MARK: - Calls

    /// `GET`: the decoded value, or nil when Redis has none, cannot be reached, or holds bytes the
    /// codec cannot read. Cost: one round trip, or nothing while the breaker is open.
    public func value(forKey key: String) async -> Value? {
        let bytes = await self.call(key: key) { client, key, timeout in
            try await client.get(key, timeout: timeout)
        }
        guard case .answered(let found) = bytes else {
            return nil
        }
        guard let found else {
            self.counters.withLockedValue { $0.misses += 1 }
            return nil
        }
        do {
            let value = try self.codec.decode(found)
            self.counters.withLockedValue { $0.hits += 1 }
            return value
        } catch {
            self.counters.withLockedValue {
                $0.misses += 1
                $0.errors += 1
            }
            return nil
        }
    }

    /// `SET` with the tier's expiry; dropped and counted when Redis cannot take it. Cost: one encode
    /// and one round trip, or nothing while the breaker is open.
    public func setValue(_ value: Value, forKey key: String) async {
        let bytes: [UInt8]
        do {
            bytes = try self.codec.encode(value)
        } catch {
            self.counters.withLockedValue {
                $0.errors += 1
                $0.writeFailures += 1
            }
            return
        }
        let expiry = self.timeToLive
        let outcome = await self.call(key: key) { client, key, timeout in
            try await client.set(key, to: bytes, expiry: expiry, timeout: timeout)
        }
        self.counters.withLockedValue {
            if case .answered = outcome {
                $0.writes += 1
            } else {
                $0.writeFailures += 1
            }
        }
    }

    /// `DEL`; dropped and counted when Redis cannot take it.
    public func removeValue(forKey key: String) async {
        let outcome = await self.call(key: key) { client, key, timeout in
            try await client.delete([key], timeout: timeout)
        }
        if case .answered = outcome {
            return
        }
        self.counters.withLockedValue { $0.writeFailures += 1 }
    }

    /// How a call to Redis ended.
    private enum Outcome<Answer> {
        case answered(Answer)
        case fellThrough
    }

    /// Runs `command` if the breaker lets it, judging the breaker by how it ends, and counts the
    /// fallbacks and errors.
    private func call<Answer>(
        key: String,
        _ command: (RedisClient, String, Duration) async throws -> Answer
    ) async -> Outcome<Answer> {
        guard let permit = self.breaker.permit() else {
            self.counters.withLockedValue { $0.fallbacks += 1 }
            return .fellThrough
        }
        do {
            let answer = try await command(self.client, self.keyPrefix + key, self.timeout)
            self.breaker.record(permit, succeeded: true)
            return .answered(answer)
        } catch let error as RedisError where error.kind == .replyError {
            // Redis answered: it is up, but refused this command (WRONGTYPE, OOM, NOAUTH).
            self.breaker.record(permit, succeeded: true)
            self.counters.withLockedValue {
                $0.errors += 1
                $0.fallbacks += 1
            }
        } catch is CancellationError {
            self.breaker.record(permit, succeeded: nil)
            self.counters.withLockedValue { $0.fallbacks += 1 }
        } catch {
            self.breaker.record(permit, succeeded: false)
            self.counters.withLockedValue {
                $0.errors += 1
                $0.fallbacks += 1
            }
        }
        return .fellThrough
    }

    // MARK: - Statistics

    /// The tier's counts since it was created, and whether Redis is in use now. Cost: two locks.
    public var stats: RedisCacheTierStats {
        var stats = self.counters.withLockedValue { $0 }
        stats.isUp = self.isUp
        return stats
    }

    /// The tier's samples, labelled `cache=<cache>,tier="redis"` (docs/metrics.md). Cost: two locks and
    /// seven samples.
    public func samples(cache: String) -> [Sample] {
        let stats = self.stats
        let labels = [LabelName.cache: cache, LabelName.tier: self.tier.rawValue]
        let values: [(name: String, kind: Sample.Kind, value: Int)] = [
            (MetricName.cacheHits, .counter, stats.hits),
            (MetricName.cacheMisses, .counter, stats.misses),
            (MetricName.cacheWrites, .counter, stats.writes),
            (MetricName.cacheWriteFailures, .counter, stats.writeFailures),
            (MetricName.cacheTierErrors, .counter, stats.errors),
            (MetricName.cacheTierFallbacks, .counter, stats.fallbacks),
            (MetricName.cacheTierUp, .gauge, stats.isUp ? 1 : 0),
        ]
        return values.map { Sample(name: $0.name, labels: labels, kind: $0.kind, value: Double($0.value)) }
    }
}

extension RedisCacheTier where Value: Codable {
    /// A tier over `client` that stores values as JSON (``RedisValueCodec/json``).
    public convenience init(
        client: RedisClient,
        keyPrefix: String = "",
        timeToLive: Duration? = nil,
        timeout: Duration = .milliseconds(100),
        breaker: CircuitBreakerPolicy = CircuitBreakerPolicy()
    ) {
        self.init(
            client: client,
            keyPrefix: keyPrefix,
            timeToLive: timeToLive,
            timeout: timeout,
            breaker: breaker,
            codec: .json
        )
    }
}

/// The counts of a ``RedisCacheTier`` at one moment.
public struct RedisCacheTierStats: Sendable, Hashable {
    /// Reads that found a value Redis held and the codec read.
    public var hits = 0
    /// Reads Redis answered without a (readable) value.
    public var misses = 0
    /// Values Redis stored.
    public var writes = 0
    /// Writes and removals that did not reach Redis (error, fallback, or a value the codec refused).
    public var writeFailures = 0
    /// Calls that failed: timeout, connection, error reply, or bytes the codec could not read.
    public var errors = 0
    /// Calls that fell through to the other tiers: refused by the open breaker, or failed.
    public var fallbacks = 0
    /// Whether the breaker is closed, so Redis is in use.
    public var isUp = true

    /// Counts of zero, up.
    public init() {}
}
