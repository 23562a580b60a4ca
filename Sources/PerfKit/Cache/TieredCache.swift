import FoundationEssentials
import Synchronization

/// A cache of `Codable` values keyed by string in tiers: memory, then a remote tier (Redis) and/or
/// disk, then a loader.
///
/// ``value(forKey:source:loader:)`` returns the in-memory value on a hit. On a miss, concurrent callers
/// for the same key share one load (the single flight of the memory tier's ``LoadingCache``). That load
/// reads the remote tier first, if there is one, then the disk tier, if there is one: a value found is
/// returned and promoted to memory. Otherwise the caller's loader runs and its value is written to disk,
/// to the remote tier and to memory; a failed disk write is counted in
/// ``TieredCacheStats/diskWriteFailures`` and never thrown, and the remote tier counts its own. A loader
/// error reaches every waiting caller and is cached in no tier.
///
/// A remote tier (``RemoteCacheTier``) never throws and falls through at once while it is down: a
/// lookup then goes on to disk or the loader, and the memory tier keeps working as before, so nothing
/// held in memory is lost when Redis goes away.
///
/// The disk tier survives restarts: a new tiered cache over the same directory, with an empty memory
/// tier, serves earlier values from disk without calling the loader. A value loaded with a `source` file
/// is invalidated on disk when that file's modification time or size changes (see ``DiskCache``); the
/// memory tier does not check the source, so a value already in memory stays until it is evicted or
/// removed with ``removeValue(forKey:)``.
///
/// Thread-safe. Each count in ``stats`` is exact under concurrency; the tiers are read under separate
/// locks, so a ``TieredCacheStats`` taken while lookups run may mix slightly different moments.
public final class TieredCache<Value: Codable & Sendable>: Sendable {
    /// The memory tier; its ``Cache`` is read only by this tiered cache, so its hits are memory hits.
    private let memory: LoadingCache<String, Value>
    /// The disk tier, if any.
    private let disk: DiskCache<Value>?
    /// The remote tier, if any, read before the disk tier.
    private let remote: (any RemoteCacheTier<Value>)?
    private let counters = Mutex(TierCounters())

    /// Creates a tiered cache with a new memory tier over a disk tier in `directory`.
    ///
    /// Cost: that of ``DiskCache/init(name:directory:maxBytes:)`` — one directory listing and one `stat`
    /// per existing entry file.
    ///
    /// - Parameters:
    ///   - name: The cache's name, e.g. `symbols`; it labels the samples of both tiers.
    ///   - capacity: The most entries the memory tier holds. Must be greater than zero.
    ///   - directory: The directory that holds the disk tier's entry files; it belongs to the cache.
    ///   - maxBytes: The most bytes of entry files the disk tier keeps. Must be greater than zero.
    ///   - remote: A remote tier read before the disk tier, e.g. a `RedisCacheTier`; none by default.
    /// - Throws: An error from the file system if the directory cannot be created or listed.
    public init(
        name: String,
        capacity: Int,
        directory: URL,
        maxBytes: Int,
        remote: (any RemoteCacheTier<Value>)? = nil
    ) throws {
        self.memory = LoadingCache(name: name, capacity: capacity)
        self.disk = try DiskCache(name: name, directory: directory, maxBytes: maxBytes)
        self.remote = remote
    }

    /// Creates a tiered cache with a new memory tier over a remote tier, and no disk tier.
    ///
    /// - Parameters:
    ///   - name: The cache's name, e.g. `sessions`; it labels the samples of both tiers.
    ///   - capacity: The most entries the memory tier holds. Must be greater than zero.
    ///   - remote: The remote tier, e.g. a `RedisCacheTier`.
    public init(name: String, capacity: Int, remote: some RemoteCacheTier<Value>) {
        self.memory = LoadingCache(name: name, capacity: capacity)
        self.disk = nil
        self.remote = remote
    }

    /// The cache's name, used as the `cache` label of its samples.
    public var name: String {
        self.memory.name
    }

    // MARK: - Lookup

    /// Returns the value for `key` from memory, else from disk, else from `loader`.
    ///
    /// Cost on a memory hit: one memory lookup. On a miss: one ``SingleFlight`` join and, for the caller
    /// that starts the load, one remote read (one round trip, bounded by the tier's deadline) and one
    /// disk read (file read, checksum, JSON decode, one `stat` of the source file), then either one
    /// memory store (remote or disk hit) or the loader's cost plus one disk write (`fsync` included), one
    /// remote write and one memory store. Cancelling a waiting caller does not cancel a shared load.
    ///
    /// - Parameters:
    ///   - key: The key, at most ``DiskCache/maximumKeyLength`` UTF-8 bytes to reach the disk tier; a
    ///     longer key is still cached in memory, and its disk write is counted as a failure.
    ///   - source: The path of a file the value is derived from; a disk entry written with it is
    ///     invalidated when the file's modification time or size changes. `nil` for values that depend on
    ///     no file.
    ///   - loader: Produces the value when neither tier has it; called at most once per key at a time.
    /// - Returns: The value from memory, disk or the loader.
    /// - Throws: The loader's error, which every caller waiting on that load receives.
    public func value(
        forKey key: String,
        source: String? = nil,
        loader: @escaping @Sendable (String) async throws -> Value
    ) async throws -> Value {
        try await self.memory.value(forKey: key) { key in
            try await self.load(key: key, source: source, loader: loader)
        }
    }

    /// Reads the remote tier and the disk tier, or runs `loader` and writes its value to both; counts
    /// the tier that served.
    private func load(
        key: String,
        source: String?,
        loader: @Sendable (String) async throws -> Value
    ) async throws -> Value {
        if let remote = self.remote, let value = await remote.value(forKey: key) {
            self.counters.withLockedValue { $0.remoteHits += 1 }
            return value
        }
        if let value = self.disk?.value(forKey: key) {
            self.counters.withLockedValue { $0.diskHits += 1 }
            return value
        }
        self.counters.withLockedValue { $0.loaderCalls += 1 }
        let value = try await loader(key)
        if let disk = self.disk {
            do {
                try disk.setValue(value, forKey: key, source: source.map { URL(fileURLWithPath: $0) })
            } catch {
                self.counters.withLockedValue { $0.diskWriteFailures += 1 }
            }
        }
        await self.remote?.setValue(value, forKey: key)
        return value
    }

    // MARK: - Removing

    /// Removes the value for `key` from every tier, so the next lookup calls the loader.
    ///
    /// A load in flight for `key` is not cancelled and still stores its value. A remote tier that is
    /// down drops the removal (and counts it), so its copy may serve again until it expires. Cost: one
    /// memory removal, one file deletion and one remote round trip.
    public func removeValue(forKey key: String) async {
        self.memory.cache.removeValue(forKey: key)
        self.disk?.removeValue(forKey: key)
        await self.remote?.removeValue(forKey: key)
    }

    // MARK: - Statistics

    /// The number of callers waiting for the load in flight for `key`, or 0 when none is in flight.
    ///
    /// Meant for diagnostics and tests: the answer may be stale as soon as it is returned. Cost: one lock.
    public func waitingCallerCount(forKey key: String) -> Int {
        self.memory.waitingCallerCount(forKey: key)
    }

    /// The statistics of every tier and the number of lookups each tier served.
    ///
    /// Cost: four locks (memory, loads, disk, tier counters) and no file I/O.
    public var stats: TieredCacheStats {
        let memory = self.memory.cache.stats
        let loads = self.memory.loadStats
        let disk = self.disk?.stats ?? DiskCacheStats.none
        let counters = self.counters.withLockedValue { $0 }
        var stats = TieredCacheStats(
            memory: memory,
            disk: disk,
            loads: loads,
            diskHits: counters.diskHits,
            loaderCalls: counters.loaderCalls,
            diskWriteFailures: counters.diskWriteFailures
        )
        stats.remoteHits = counters.remoteHits
        return stats
    }
}

// MARK: - Counters

/// The counts of loads a ``TieredCache`` served from disk or from the loader; read under one mutex.
struct TierCounters {
    var remoteHits = 0
    var diskHits = 0
    var loaderCalls = 0
    var diskWriteFailures = 0
}

// MARK: - Statistics

/// The statistics of a ``TieredCache`` at one moment: each tier's own, and which tier served lookups.
///
/// Every lookup is either a memory hit or a memory miss. Each run of a load (shared by all callers that
/// missed on the same key meanwhile) is exactly one remote hit, one disk hit or one loader call, so
/// `memory.misses == remoteHits + diskHits + loaderCalls + callers that joined a load`, once no load is
/// in flight.
public struct TieredCacheStats: Sendable, Hashable {
    /// The memory tier's counters and sizes.
    public var memory: CacheStats
    /// The disk tier's counters and sizes; all zero for a cache without a disk tier.
    public var disk: DiskCacheStats
    /// The memory tier's load counters: one load per disk hit or loader call.
    public var loads: LoadStats
    /// Loads served by the remote tier, whose value was then promoted to memory.
    public var remoteHits = 0
    /// Loads served by a valid disk entry, which was then promoted to memory.
    public var diskHits: Int
    /// Loads that ran the caller's loader, successfully or not.
    public var loaderCalls: Int
    /// Loaded values that could not be written to disk (key too long, entry too large, source file
    /// unreadable, or an I/O error); they were still returned and kept in memory.
    public var diskWriteFailures: Int

    /// Creates stats from each tier's statistics and the tier counts.
    public init(
        memory: CacheStats,
        disk: DiskCacheStats,
        loads: LoadStats,
        diskHits: Int,
        loaderCalls: Int,
        diskWriteFailures: Int
    ) {
        self.memory = memory
        self.disk = disk
        self.loads = loads
        self.diskHits = diskHits
        self.loaderCalls = loaderCalls
        self.diskWriteFailures = diskWriteFailures
    }

    /// Lookups served from memory: the memory tier's hits.
    public var memoryHits: Int {
        self.memory.hits
    }
}

// MARK: - SampleSource

extension TieredCache: SampleSource {
    /// The memory tier's samples, the remote tier's, the disk tier's, then the tier samples.
    ///
    /// The memory samples are those of ``LoadingCache/collectSamples()`` (labelled `cache=<name>`), the
    /// remote samples those of ``RemoteCacheTier/samples(cache:)`` (labelled `tier="redis"` for Redis),
    /// the disk samples those of ``DiskCache/collectSamples()`` (labelled `cache=<name>,tier="disk"`).
    /// Then `cache_tier_hits_total{cache,tier}` with `tier` `"memory"`, the remote tier's, `"disk"` and
    /// `"loader"` (counters; the loader's counts loader calls; a tier the cache lacks is left out), and
    /// `cache_write_failures_total{cache,tier="disk"}` (counter) with a disk tier. Cost: that of the
    /// tiers' samples plus one lock and at most five samples; no file I/O.
    public func collectSamples() -> [Sample] {
        let stats = self.stats
        var tiers: [(tier: LabelValue.CacheTier, value: Int)] = [(.memory, stats.memoryHits)]
        if let remote = self.remote {
            tiers.append((remote.tier, stats.remoteHits))
        }
        if self.disk != nil {
            tiers.append((.disk, stats.diskHits))
        }
        tiers.append((.loader, stats.loaderCalls))
        let tierSamples = tiers.map {
            Sample(
                name: MetricName.cacheTierHits,
                labels: [LabelName.cache: self.name, LabelName.tier: $0.tier.rawValue],
                kind: .counter,
                value: Double($0.value)
            )
        }
        var samples = self.memory.collectSamples() + (self.remote?.samples(cache: self.name) ?? [])
        if let disk = self.disk {
            samples += disk.collectSamples()
        }
        samples += tierSamples
        if self.disk != nil {
            samples.append(
                Sample(
                    name: MetricName.cacheWriteFailures,
                    labels: [LabelName.cache: self.name, LabelName.tier: LabelValue.CacheTier.disk.rawValue],
                    kind: .counter,
                    value: Double(stats.diskWriteFailures)
                )
            )
        }
        return samples
    }
}
