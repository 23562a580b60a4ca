import Synchronization

/// A thread-safe key-value cache bounded by entry count and/or total weight, with an eviction policy
/// and optional expiry after write or after access.
///
/// Every operation runs in O(1) amortised time, whatever the ``CachePolicy``: entries live in slots
/// of one array linked into index-based lists, and each has one node in the key index, allocated
/// when the entry is written. Writes, misses and reads of a cache with expiry take one lock; a hit
/// on a cache without expiry takes none, so reads on several threads run in parallel (see
/// docs/caching.md, "Reads without the lock"). The bounds hold after every operation: the cache
/// never holds more than ``capacity`` entries nor more than ``maximumWeight``.
///
/// Every read counts as a hit or a miss, exactly once, and every entry that leaves the cache counts
/// as an eviction with a ``CacheEvictionCause``; ``stats`` reads them all at once. The cache is a
/// ``SampleSource``, so registering it with a ``MetricsRegistry`` shows it in perftop's cache pane.
public final class Cache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The cache's name, used as the `cache` label of its samples.
    public let name: String
    /// The most entries the cache holds; `Int.max` when it is bounded only by ``maximumWeight``.
    public let capacity: Int
    /// The most total weight the cache holds, as measured by its weigher; `Int.max` when unbounded.
    public let maximumWeight: Int
    /// How the cache chooses the entry to evict when it is full.
    public let policy: CachePolicy
    /// Which thread applies buffered reads to the policy.
    public let maintenance: CacheMaintenance
    /// Whether ``maintenance`` is ``CacheMaintenance/background``, for the inlined read path.
    @usableFromInline let drainsInBackground: Bool

    @usableFromInline let state: Mutex<CacheState<Key, Value>>
    /// The key index as readers see it: the lock-free read path, unless the cache expires entries.
    @usableFromInline let reads: CacheReads<Key, Value>

    /// Creates an empty cache that reads time from `ContinuousClock`.
    ///
    /// Memory grows with the number of entries. Allocated up front: the read stripes (256 bytes each,
    /// 4 per core; one for a cache with expiry), a 16-bucket key index, 1 KiB of lists for retired
    /// nodes and, for ``CachePolicy/windowTinyLFU``, its frequency sketch.
    ///
    /// - Parameters:
    ///   - name: The cache's name, e.g. `users`; it labels the cache's samples.
    ///   - capacity: The most entries the cache holds; greater than zero. Unbounded by default.
    ///   - maximumWeight: The most total weight the cache holds; greater than zero. Unbounded by default.
    ///   - weigher: The weight of an entry, zero or more, e.g. its size in bytes; 1 per entry by default.
    ///     Called once per write, under the cache's lock, so it must be cheap and must not use the cache.
    ///   - policy: How the cache chooses the entry to evict; ``CachePolicy/windowTinyLFU`` by default.
    ///   - timeToLive: How long an entry lives after it was written; no limit by default.
    ///   - timeToIdle: How long an entry lives after it was last read or written; no limit by default.
    ///   - maintenance: Which thread applies buffered reads to the policy;
    ///     ``CacheMaintenance/callingThread`` by default.
    public convenience init(
        name: String,
        capacity: Int = .max,
        maximumWeight: Int = .max,
        weigher: (@Sendable (Key, Value) -> Int)? = nil,
        policy: CachePolicy = .windowTinyLFU,
        timeToLive: Duration? = nil,
        timeToIdle: Duration? = nil,
        maintenance: CacheMaintenance = .callingThread
    ) {
        self.init(
            name: name,
            capacity: capacity,
            maximumWeight: maximumWeight,
            weigher: weigher,
            policy: policy,
            timeToLive: timeToLive,
            timeToIdle: timeToIdle,
            maintenance: maintenance,
            clock: ContinuousClock()
        )
    }

    /// Creates an empty cache that reads time from the given clock, e.g. a manual clock in tests.
    ///
    /// The clock is read once per operation, and only when `timeToLive` or `timeToIdle` is set.
    ///
    /// - Parameters:
    ///   - name: The cache's name, e.g. `users`; it labels the cache's samples.
    ///   - capacity: The most entries the cache holds; greater than zero. Unbounded by default.
    ///   - maximumWeight: The most total weight the cache holds; greater than zero. Unbounded by default.
    ///   - weigher: The weight of an entry, zero or more, e.g. its size in bytes; 1 per entry by default.
    ///     Called once per write, under the cache's lock, so it must be cheap and must not use the cache.
    ///   - policy: How the cache chooses the entry to evict; ``CachePolicy/windowTinyLFU`` by default.
    ///   - timeToLive: How long an entry lives after it was written, greater than zero; no limit by default.
    ///   - timeToIdle: How long an entry lives after it was last read or written, greater than zero; no
    ///     limit by default.
    ///   - maintenance: Which thread applies buffered reads to the policy;
    ///     ``CacheMaintenance/callingThread`` by default.
    ///   - clock: The clock that dates writes and reads for expiry.
    public init<C: Clock>(
        name: String,
        capacity: Int = .max,
        maximumWeight: Int = .max,
        weigher: (@Sendable (Key, Value) -> Int)? = nil,
        policy: CachePolicy = .windowTinyLFU,
        timeToLive: Duration? = nil,
        timeToIdle: Duration? = nil,
        maintenance: CacheMaintenance = .callingThread,
        clock: C
    ) where C.Duration == Duration {
        precondition(capacity > 0, "Cache capacity must be greater than zero, got \(capacity)")
        precondition(maximumWeight > 0, "Cache maximum weight must be greater than zero, got \(maximumWeight)")
        precondition(timeToLive.map { $0 > .zero } ?? true, "Cache time to live must be greater than zero")
        precondition(timeToIdle.map { $0 > .zero } ?? true, "Cache time to idle must be greater than zero")
        self.name = name
        self.capacity = capacity
        self.maximumWeight = maximumWeight
        self.policy = policy
        self.maintenance = maintenance
        self.drainsInBackground = maintenance == .background
        let origin = clock.now
        let configuration = CacheConfiguration(
            capacity: capacity,
            maximumWeight: maximumWeight,
            weigher: weigher,
            policy: policy,
            timeToLive: timeToLive,
            timeToIdle: timeToIdle,
            elapsed: { origin.duration(to: clock.now) },
            sketchSeed: FrequencySketch.fnv1a(name)
        )
        let reads = CacheReads<Key, Value>(
            seed: configuration.sketchSeed,
            isLockFree: timeToLive == nil && timeToIdle == nil,
            recordsReads: policy != .fifo
        )
        self.reads = reads
        self.state = Mutex(CacheState(configuration: configuration, reads: reads))
    }

    deinit {
        self.state.withLockedValue { $0.keyIndex.freeRetired() }
    }

    // MARK: - Reading

    /// Returns the value stored for `key`, recording the read for the cache's policy and expiry.
    ///
    /// Counts a hit when the key is present and a miss when it is not or its entry has expired.
    ///
    /// Cost: O(1) amortised. In a cache without expiry a hit takes no lock: it reads a lock-free copy
    /// of the cache's table and records the access in a per-thread buffer that the next writer, the
    /// reader that fills it or the maintenance thread (``maintenance``) applies to the policy, so
    /// reads on several threads run in parallel. A miss, and every read of a cache with expiry, takes
    /// the lock.
    @inlinable
    public func value(forKey key: Key) -> Value? {
        // `self.reads` is used in place, never bound to a constant: that would retain and release
        // it, two atomic writes to one line that every reading thread shares.
        if self.reads.isLockFree, let hit = self.reads.value(forKey: key) {
            if let stripe = hit.fullStripe, self.reads.stripes.beginDrain() {
                if self.drainsInBackground {
                    self.drainInBackground()
                } else {
                    self.state.withLockedValue { $0.drainReads(stripe: stripe) }
                    self.reads.stripes.endDrain()
                }
            }
            return hit.value
        }
        return self.state.withLockedValue { $0.value(forKey: key) }
    }

    /// Drains every read buffer on the maintenance thread, or on this one when its queue is full; the
    /// caller has won ``ReadStripes/beginDrain()``, and the drain ends it.
    @usableFromInline
    func drainInBackground() {
        let drain = { @Sendable [self] in
            self.state.withLockedValue { $0.drainReads() }
            self.reads.stripes.endDrain()
        }
        if !cacheMaintenanceThread.submit(drain) {
            drain()
        }
    }

    /// Returns the value stored for `key` and whether it was written at least `refreshAfter` ago,
    /// counting a hit or a miss like ``value(forKey:)``; for ``LoadingCache``'s refresh-ahead.
    ///
    /// From the first call on, every write reads the cache's clock; entries written before that count
    /// as written when the cache was created. Cost: that of ``value(forKey:)`` plus one clock read.
    @inlinable
    func value(forKey key: Key, refreshAfter: Duration) -> (value: Value, isStale: Bool)? {
        self.state.withLockedValue { $0.value(forKey: key, refreshAfter: refreshAfter) }
    }

    /// Whether `key` has an entry that has not expired, without counting a hit or a miss or telling
    /// the policy: for a structure that mirrors the cache's keys. Cost: O(1) amortised, one lock.
    func containsKey(_ key: Key) -> Bool {
        self.state.withLockedValue { $0.containsKey(key) }
    }

    /// The number of entries in the cache, from 0 to ``capacity``, expired entries excluded.
    /// Cost: O(1) amortised, one lock.
    @inlinable
    public var count: Int {
        self.state.withLockedValue { $0.count }
    }

    /// All counters and sizes of the cache, read together under one lock, expired entries excluded.
    /// Cost: O(1) amortised.
    @inlinable
    public var stats: CacheStats {
        self.state.withLockedValue { $0.stats }
    }

    // MARK: - Writing

    /// Stores `value` for `key`, evicting entries as the policy chooses until the cache is within its
    /// bounds.
    ///
    /// Replacing the value of a key already present counts one eviction with cause
    /// ``CacheEvictionCause/replaced``. Every entry evicted to make room, and a value heavier than
    /// ``maximumWeight`` (which is not stored), counts one eviction with cause
    /// ``CacheEvictionCause/size``; with ``CachePolicy/windowTinyLFU`` that may be the new entry
    /// itself once it leaves the window. Cost: O(1) amortised, one lock, one call of the weigher.
    @inlinable
    public func setValue(_ value: Value, forKey key: Key) {
        self.state.withLockedValue { $0.setValue(value, forKey: key) }
    }

    /// Removes the entry for `key` and returns its value, or returns `nil` if there is none.
    ///
    /// A removed entry counts one eviction with cause ``CacheEvictionCause/explicit``; removing a key
    /// that is not present, or whose entry has expired, counts nothing. Cost: O(1) amortised, one lock.
    @inlinable
    @discardableResult
    public func removeValue(forKey key: Key) -> Value? {
        self.state.withLockedValue { $0.removeValue(forKey: key) }
    }

    /// Removes every entry, counting each one as an eviction with cause ``CacheEvictionCause/explicit``.
    ///
    /// Hit and miss counters are kept. The slot storage is released. Cost: O(``count``), one lock.
    @inlinable
    public func removeAll() {
        self.state.withLockedValue { $0.removeAll() }
    }
}

/// The thread that drains the read buffers of caches with ``CacheMaintenance/background``, started
/// when the first of them drains (a global: a generic class has no stored static properties). Its
/// queue holds at most one drain per such cache (a cache schedules no other while one is pending), so
/// 4,096 caches drain in the background before one drains on its reader's thread.
let cacheMaintenanceThread = CPUWorkerPool(name: "cache-maintenance", threadCount: 1, queueCapacity: 4_096)
