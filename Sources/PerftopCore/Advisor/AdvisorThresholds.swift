/// Every number the advisor's rules compare against, with documented defaults, and which rules run.
///
/// A plain value so it can be tuned in code or loaded from a tracker file; `AdvisorThresholds()`
/// holds the defaults (docs/tracker.md, "Advisor", lists them). Rates and ratios are taken over the whole window
/// the ``SeriesStore`` retains (its retention times the collection interval); a rule stays silent
/// until a series holds its minimum number of points. A churn threshold of 0 or less turns that
/// measure off.
public struct AdvisorThresholds: Sendable, Equatable {
    /// The rules that run; every rule by default.
    public var enabledRules: Set<AdvisorRule>

    // MARK: - Caches

    /// The hit ratio (0 to 1) under which a cache rule may fire, for caches without an entry in
    /// ``cacheHitRatioTargets``. Default 0.70.
    public var cacheHitRatio: Double
    /// Hit-ratio targets (0 to 1) by cache name, e.g. from a tracker's `cache_hit_ratio` goals; they
    /// replace ``cacheHitRatio`` for those caches, in every source. Default none.
    public var cacheHitRatioTargets: [String: Double]
    /// The size evictions per second (`cache_evictions_total{cause="size"}` over the window) at or
    /// above which a cache under its target gets `cache-capacity`. Default 1/s.
    public var cacheSizeEvictionsPerSecond: Double
    /// The expiry evictions per second (`cause="expired"` over the window) at or above which a cache
    /// under its target, and under ``cacheSizeEvictionsPerSecond``, gets `cache-expiry`. Default 1/s.
    public var cacheExpiredEvictionsPerSecond: Double
    /// The points the hit and miss counters must hold before a cache rule may fire. Default 5.
    public var cacheMinimumPoints: Int

    // MARK: - Processors

    /// The growth of `processor_oldest_queued_seconds` (least-squares slope, seconds per second) at
    /// or above which a processor may be saturated. Default 0.1 s/s.
    public var processorAgeGrowth: Double
    /// The R² the oldest-age fit must reach, so a noisy age is not read as growth. Default 0.5.
    public var processorAgeGrowthRSquared: Double
    /// The share of the window's polls (0 to 1) in which `processor_in_flight` must be at
    /// `processor_concurrency_limit`. Default 0.8.
    public var processorAtLimitShare: Double
    /// The points the oldest-age series must hold before `processor-saturated` may fire. Default 10.
    public var processorMinimumPoints: Int
    /// The rejected and dropped tasks per second (`processor_tasks_total{outcome="rejected"|"dropped"}`
    /// over the window) at or above which `processor-rejecting` fires. Default 0.1/s.
    public var processorRejectionsPerSecond: Double
    /// The points the task counters must hold before `processor-rejecting` may fire. Default 5.
    public var processorRejectionMinimumPoints: Int

    // MARK: - Memory

    /// The growth of `process_resident_memory_bytes` (least-squares slope, bytes per minute) at or
    /// above which memory is suspected to leak. Default 1 MiB/min (1 048 576 bytes).
    public var leakBytesPerMinute: Double
    /// The R² the resident-memory fit must reach: steady growth, not a sawtooth or noise. Default 0.9.
    public var leakRSquared: Double
    /// The points the resident-memory series must hold. Default 10.
    public var leakMinimumPoints: Int
    /// The time the resident-memory points must span, in seconds, so warm-up is not read as a leak.
    /// Default 60 s.
    public var leakMinimumWindow: Double

    // MARK: - Churn

    /// Allocations per second (`allocs_total`, `go_memstats_mallocs_total` over the window) at or
    /// above which churn dominates. Default 1 000 000/s.
    public var churnAllocationsPerSecond: Double
    /// Bytes allocated per second (`alloc_bytes_total`, `go_memstats_alloc_bytes_total`,
    /// `jvm_gc_memory_allocated_bytes_total` over the window) at or above which churn dominates.
    /// Default 1 GiB/s.
    public var churnAllocatedBytesPerSecond: Double
    /// The share of wall time (0 to 1) spent in GC pauses (the rate of `go_gc_duration_seconds_sum`
    /// or `jvm_gc_pause_seconds_sum` over the window) at or above which churn dominates. Default 0.05.
    public var churnGCPauseShare: Double
    /// The points a churn counter must hold before it counts. Default 5.
    public var churnMinimumPoints: Int

    // MARK: - Servers

    /// The fill of Redis' `maxmemory` (`used_memory` ÷ `maxmemory`, 0 to 1) at or above which size
    /// evictions (at least ``cacheSizeEvictionsPerSecond``) get `redis-maxmemory`. Default 0.9.
    public var redisMaxMemoryFill: Double = 0.9
    /// The buffer cache hit ratio (0 to 1) under which a PostgreSQL server gets
    /// `database-buffer-cache`. Default 0.99, the usual target for an OLTP database.
    public var databaseBufferHitRatio: Double = 0.99
    /// The blocks read from outside the buffer cache per second, at or above which the buffer rule
    /// may fire, so an idle server is left alone. Default 10/s.
    public var databaseBlockReadsPerSecond: Double = 10
    /// The live rows from which a table read mostly by sequential scans gets
    /// `database-sequential-scans`. Default 10,000.
    public var databaseLargeTableRows: Double = 10_000
    /// The sequential scans per second at or above which that rule may fire. Default 0.1/s.
    public var databaseSequentialScansPerSecond: Double = 0.1
    /// The share of all statement time (0 to 1) above which one statement gets
    /// `database-dominant-statement`. Default 0.5.
    public var databaseStatementTimeShare: Double = 0.5
    /// The statement time per second (seconds per second) the server must spend for that rule to
    /// fire, so an idle server is left alone. Default 0.01 s/s.
    public var databaseStatementSecondsPerSecond: Double = 0.01
    /// The points a server's counters must hold before its rules may fire. Default 5.
    public var serverMinimumPoints: Int = 5

    /// Creates thresholds; every parameter defaults to the documented default.
    public init(
        enabledRules: Set<AdvisorRule> = Set(AdvisorRule.allCases),
        cacheHitRatio: Double = 0.70,
        cacheHitRatioTargets: [String: Double] = [:],
        cacheSizeEvictionsPerSecond: Double = 1,
        cacheExpiredEvictionsPerSecond: Double = 1,
        cacheMinimumPoints: Int = 5,
        processorAgeGrowth: Double = 0.1,
        processorAgeGrowthRSquared: Double = 0.5,
        processorAtLimitShare: Double = 0.8,
        processorMinimumPoints: Int = 10,
        processorRejectionsPerSecond: Double = 0.1,
        processorRejectionMinimumPoints: Int = 5,
        leakBytesPerMinute: Double = 1_048_576,
        leakRSquared: Double = 0.9,
        leakMinimumPoints: Int = 10,
        leakMinimumWindow: Double = 60,
        churnAllocationsPerSecond: Double = 1_000_000,
        churnAllocatedBytesPerSecond: Double = 1_073_741_824,
        churnGCPauseShare: Double = 0.05,
        churnMinimumPoints: Int = 5
    ) {
        self.enabledRules = enabledRules
        self.cacheHitRatio = cacheHitRatio
        self.cacheHitRatioTargets = cacheHitRatioTargets
        self.cacheSizeEvictionsPerSecond = cacheSizeEvictionsPerSecond
        self.cacheExpiredEvictionsPerSecond = cacheExpiredEvictionsPerSecond
        self.cacheMinimumPoints = cacheMinimumPoints
        self.processorAgeGrowth = processorAgeGrowth
        self.processorAgeGrowthRSquared = processorAgeGrowthRSquared
        self.processorAtLimitShare = processorAtLimitShare
        self.processorMinimumPoints = processorMinimumPoints
        self.processorRejectionsPerSecond = processorRejectionsPerSecond
        self.processorRejectionMinimumPoints = processorRejectionMinimumPoints
        self.leakBytesPerMinute = leakBytesPerMinute
        self.leakRSquared = leakRSquared
        self.leakMinimumPoints = leakMinimumPoints
        self.leakMinimumWindow = leakMinimumWindow
        self.churnAllocationsPerSecond = churnAllocationsPerSecond
        self.churnAllocatedBytesPerSecond = churnAllocatedBytesPerSecond
        self.churnGCPauseShare = churnGCPauseShare
        self.churnMinimumPoints = churnMinimumPoints
    }

    /// The hit-ratio target of the cache called `cache`: its entry in ``cacheHitRatioTargets``, else ``cacheHitRatio``.
    public func hitRatioTarget(cache: String) -> Double {
        self.cacheHitRatioTargets[cache] ?? self.cacheHitRatio
    }
}
