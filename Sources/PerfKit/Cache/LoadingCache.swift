import Synchronization

/// A ``Cache`` that loads missing values through a loader, running one load per key at a time.
///
/// ``value(forKey:loader:)`` returns the cached value on a hit. On a miss, concurrent callers for the
/// same key share one run of the loader (see ``SingleFlight``); a successful value is stored in the cache
/// and returned to all of them, and an error is thrown to all of them and not cached, so the next call
/// loads again. Loads of one key never overlap; a caller whose lookup misses just before a load stores
/// its value, but which arrives after that load has finished, runs the loader once more.
///
/// With refresh-ahead (`refreshAfter`), a hit on a value written at least that long ago returns the
/// value at once and starts one background reload of the key, which replaces the value when it
/// succeeds; while it runs, further hits keep getting the old value, and a miss for the key joins it.
/// A failed reload keeps the old value (until the cache's own expiry removes it) and the next stale
/// hit tries again. Staleness is measured with the cache's clock.
///
/// Thread-safe. Load outcomes and the total time spent in loaders are counted exactly, once per load,
/// not once per waiting caller; see ``loadStats``. As a ``SampleSource`` it reports the wrapped cache's
/// samples followed by its load samples.
public final class LoadingCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The in-memory cache that holds loaded values; reading or writing it directly is allowed.
    public let cache: Cache<Key, Value>

    /// How old a value may get before a hit starts a background reload; `nil` without refresh-ahead.
    public let refreshAfter: Duration?

    private let flights = SingleFlight<Key, Value>()
    private let counters = Mutex(LoadStats())
    private let clock = ContinuousClock()

    /// Creates a loading cache over an existing cache, whose name labels the load samples too.
    ///
    /// - Parameters:
    ///   - cache: The cache that stores loaded values.
    ///   - refreshAfter: How old a value may get before a hit reloads it in the background, greater
    ///     than zero; no refresh-ahead by default. With it, every write to `cache` reads its clock.
    public init(cache: Cache<Key, Value>, refreshAfter: Duration? = nil) {
        precondition(refreshAfter.map { $0 > .zero } ?? true, "Refresh-ahead interval must be greater than zero")
        self.cache = cache
        self.refreshAfter = refreshAfter
    }

    /// Creates a loading cache over a new, empty ``Cache``.
    ///
    /// - Parameters:
    ///   - name: The cache's name, e.g. `users`; it labels the samples.
    ///   - capacity: The most entries the cache holds. Must be greater than zero.
    ///   - refreshAfter: How old a value may get before a hit reloads it in the background; none by
    ///     default.
    public convenience init(name: String, capacity: Int, refreshAfter: Duration? = nil) {
        self.init(cache: Cache(name: name, capacity: capacity), refreshAfter: refreshAfter)
    }

    /// The cache's name, used as the `cache` label of its samples.
    public var name: String {
        self.cache.name
    }

    // MARK: - Loading

    /// Returns the cached value for `key`, or loads it with `loader`, stores it and returns it.
    ///
    /// Cost on a hit: one cache lookup (plus a clock read and, for a stale value, the start of one
    /// background reload, with refresh-ahead). On a miss: one cache lookup, one ``SingleFlight`` join and, for
    /// the caller that starts the load, the loader's own cost plus one store. Cancelling a waiting caller
    /// does not cancel a load other callers share.
    ///
    /// - Parameters:
    ///   - key: The key to look up.
    ///   - loader: Produces the value for a missing key; called at most once per key at a time.
    /// - Returns: The cached or freshly loaded value.
    /// - Throws: The loader's error, which every caller waiting on that load receives.
    public func value(
        forKey key: Key,
        loader: @escaping @Sendable (Key) async throws -> Value
    ) async throws -> Value {
        if let refreshAfter = self.refreshAfter {
            if let (value, isStale) = self.cache.value(forKey: key, refreshAfter: refreshAfter) {
                if isStale {
                    self.refreshInBackground(key: key, loader: loader)
                }
                return value
            }
        } else if let value = self.cache.value(forKey: key) {
            return value
        }
        return try await self.flights.run(forKey: key) {
            try await self.load(key: key, loader: loader)
        }
    }

    /// Starts one background reload of `key` unless a load of it is already in flight.
    private func refreshInBackground(key: Key, loader: @escaping @Sendable (Key) async throws -> Value) {
        let started = self.flights.start(forKey: key) {
            try await self.load(key: key, loader: loader)
        }
        if started {
            self.counters.withLockedValue { $0.refreshes += 1 }
        }
    }

    /// Runs `loader` once, times it, counts its outcome and stores a successful value.
    private func load(
        key: Key,
        loader: @Sendable (Key) async throws -> Value
    ) async throws -> Value {
        let start = self.clock.now
        do {
            let value = try await loader(key)
            let elapsed = start.duration(to: self.clock.now)
            self.cache.setValue(value, forKey: key)
            self.counters.withLockedValue { $0.record(success: true, duration: elapsed) }
            return value
        } catch {
            let elapsed = start.duration(to: self.clock.now)
            self.counters.withLockedValue { $0.record(success: false, duration: elapsed) }
            throw error
        }
    }

    // MARK: - Statistics

    /// The number of callers waiting for the load in flight for `key`, or 0 when none is in flight.
    ///
    /// Meant for diagnostics and tests: the answer may be stale as soon as it is returned. Cost: one lock.
    public func waitingCallerCount(forKey key: Key) -> Int {
        self.flights.callerCount(forKey: key)
    }

    /// The load counters, read together under one lock. Cost: O(1).
    public var loadStats: LoadStats {
        self.counters.withLockedValue { $0 }
    }
}

// MARK: - Load statistics

/// The load counters of a ``LoadingCache`` at one moment.
///
/// Counted once per run of the loader, however many callers shared it; cumulative since creation.
public struct LoadStats: Sendable, Hashable {
    /// Loads whose loader returned a value.
    public var successes: Int = 0
    /// Loads whose loader threw.
    public var failures: Int = 0
    /// The time spent in loaders, successful or not, measured with a monotonic clock.
    public var totalLoadTime: Duration = .zero
    /// Background reloads started by refresh-ahead; each is also one success or one failure.
    public var refreshes: Int = 0

    /// Creates stats with every counter at zero.
    public init() {}

    /// All loads, successful or not.
    public var loads: Int {
        self.successes + self.failures
    }

    /// Counts one load with its outcome and duration.
    mutating func record(success: Bool, duration: Duration) {
        if success {
            self.successes += 1
        } else {
            self.failures += 1
        }
        self.totalLoadTime += duration
    }
}

// MARK: - SampleSource

extension LoadingCache: SampleSource {
    /// The wrapped cache's samples, then the load samples, all labelled `cache=<name>`.
    ///
    /// The load samples are `cache_loads_total` with `outcome="success"` and `outcome="failure"`
    /// (counters), `cache_load_seconds_total` (counter) and `cache_refreshes_total` (counter). Cost: that of ``Cache/collectSamples()`` plus
    /// one lock and four samples.
    public func collectSamples() -> [Sample] {
        let stats = self.loadStats
        let seconds = stats.totalLoadTime.seconds
        return self.cache.collectSamples() + [
            Sample(
                name: MetricName.cacheLoads,
                labels: [LabelName.cache: self.name, LabelName.outcome: LabelValue.LoadOutcome.success.rawValue],
                kind: .counter,
                value: Double(stats.successes)
            ),
            Sample(
                name: MetricName.cacheLoads,
                labels: [LabelName.cache: self.name, LabelName.outcome: LabelValue.LoadOutcome.failure.rawValue],
                kind: .counter,
                value: Double(stats.failures)
            ),
            Sample(
                name: MetricName.cacheLoadSeconds,
                labels: [LabelName.cache: self.name],
                kind: .counter,
                value: seconds
            ),
            Sample(
                name: MetricName.cacheRefreshes,
                labels: [LabelName.cache: self.name],
                kind: .counter,
                value: Double(stats.refreshes)
            ),
        ]
    }
}
