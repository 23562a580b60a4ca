/// The metric names of docs/metrics.md, defined once: PerfKit's sources export them, and perftop's
/// feeds, panes, tracker, advisor and exports read them by these constants, never by a retyped
/// string, so renaming one here renames it everywhere. A test checks that docs/metrics.md names
/// exactly these.
public enum MetricName {
    // MARK: - Caches (label `cache`)

    /// Lookups that found a value (counter).
    public static let cacheHits = "cache_hits_total"
    /// Lookups that did not (counter).
    public static let cacheMisses = "cache_misses_total"
    /// Entries removed, by ``LabelName/cause`` (``CacheEvictionCause``) (counter).
    public static let cacheEvictions = "cache_evictions_total"
    /// Entries held now (gauge).
    public static let cacheEntries = "cache_entries"
    /// The entry bound (gauge); absent for a cache bounded by weight alone.
    public static let cacheCapacity = "cache_capacity"
    /// The total weight held (gauge).
    public static let cacheWeight = "cache_weight"
    /// Loads run by a `LoadingCache`, by ``LabelName/outcome`` `success` or `failure` (counter).
    public static let cacheLoads = "cache_loads_total"
    /// Time spent in loads (counter, seconds).
    public static let cacheLoadSeconds = "cache_load_seconds_total"
    /// Background reloads started by refresh-ahead (counter).
    public static let cacheRefreshes = "cache_refreshes_total"
    /// Lookups of a `TieredCache` served by a ``LabelName/tier`` (counter).
    public static let cacheTierHits = "cache_tier_hits_total"
    /// Writes to a `TieredCache`'s lower tier that failed (counter).
    public static let cacheWriteFailures = "cache_write_failures_total"
    /// Whether a `TieredCache`'s remote ``LabelName/tier`` (Redis) is in use: 1 while its circuit breaker
    /// is closed, 0 while it is open or half-open and calls fall through to the other tiers (gauge).
    public static let cacheTierUp = "cache_tier_up"
    /// Reads and writes of a `TieredCache` that skipped a remote ``LabelName/tier`` because it was down,
    /// slow or failed, and went to the other tiers instead (counter).
    public static let cacheTierFallbacks = "cache_tier_fallbacks_total"
    /// Calls to a remote ``LabelName/tier`` that failed: a timeout, a refused or broken connection, an
    /// error reply or a value the codec could not read (counter).
    public static let cacheTierErrors = "cache_tier_errors_total"
    /// Lookups of an HTTP response cache answered by a stale entry the origin confirmed with
    /// `304 Not Modified`; they count in ``cacheHits`` too (counter).
    public static let cacheRevalidations = "cache_revalidations_total"
    /// Lookups of a `SemanticCache` served by a similar prompt rather than the same one; they count in
    /// ``cacheHits`` too (counter).
    public static let cacheSimilarHits = "cache_similar_hits_total"
    /// The similarity (cosine, 0 to 1) of the prompts of a `SemanticCache`'s similar hits (histogram,
    /// `le` buckets from 0.5 to 1).
    public static let cacheSimilarity = "cache_similarity"
    /// Entries a `DiskCache` wrote (counter).
    public static let cacheWrites = "cache_writes_total"
    /// Entries a `DiskCache` dropped because their source file changed (counter).
    public static let cacheInvalidations = "cache_invalidations_total"
    /// Entry files a `DiskCache` discarded as damaged (counter).
    public static let cacheCorruptEntries = "cache_corrupt_entries_total"
    /// Bytes a `DiskCache`, Redis or memcached holds (gauge).
    public static let cacheBytes = "cache_bytes"
    /// The byte bound of a `DiskCache`, Redis (`maxmemory`, when set) or memcached (gauge).
    public static let cacheCapacityBytes = "cache_capacity_bytes"

    // MARK: - Processors (label `processor`)

    /// Tasks waiting for a slot (gauge).
    public static let processorQueueDepth = "processor_queue_depth"
    /// Tasks running (gauge).
    public static let processorInFlight = "processor_in_flight"
    /// The slot count (gauge).
    public static let processorConcurrencyLimit = "processor_concurrency_limit"
    /// The most tasks that may wait, for a bounded queue (gauge).
    public static let processorQueueCapacity = "processor_queue_capacity"
    /// Submitters suspended until the queue has room (gauge).
    public static let processorBlockedSubmitters = "processor_blocked_submitters"
    /// The age of the oldest waiting task (gauge, seconds).
    public static let processorOldestQueuedSeconds = "processor_oldest_queued_seconds"
    /// Tasks submitted (counter).
    public static let processorSubmitted = "processor_submitted_total"
    /// Finished tasks, by ``LabelName/outcome`` (``ProcessorOutcome``) (counter).
    public static let processorTasks = "processor_tasks_total"
    /// Retries started (counter).
    public static let processorRetries = "processor_retries_total"
    /// Time waiting for a slot (summary).
    public static let processorWaitSeconds = "processor_wait_seconds"
    /// Time running (summary).
    public static let processorServiceSeconds = "processor_service_seconds"

    // MARK: - Latency

    /// Timed operations, by ``LabelName/operation`` (summary).
    public static let operationSeconds = "operation_seconds"
    /// The ending every latency distribution's name has.
    public static let secondsSuffix = "_seconds"
    /// The ending of a size in bytes, by Prometheus' conventions (`process_resident_memory_bytes`).
    public static let bytesSuffix = "_bytes"
    /// The ending of a fraction from 0 to 1, by Prometheus' conventions.
    public static let ratioSuffix = "_ratio"
    /// The ending of a summary's or histogram's observation count.
    public static let countSuffix = "_count"
    /// The ending of a summary's or histogram's observation total.
    public static let sumSuffix = "_sum"
    /// The ending of a histogram's cumulative buckets.
    public static let bucketSuffix = "_bucket"
    /// The ending of a maximum gauge beside a summary (Micrometer).
    public static let maxSuffix = "_max"
    /// The ending of a counter's name, by Prometheus' conventions.
    public static let totalSuffix = "_total"
    /// The ending of OpenMetrics' creation-time samples of counters, histograms and summaries.
    public static let createdSuffix = "_created"

    // MARK: - Process (Prometheus client names)

    /// Resident memory (gauge, bytes).
    public static let processResidentMemory = "process_resident_memory_bytes"
    /// Virtual memory (gauge, bytes).
    public static let processVirtualMemory = "process_virtual_memory_bytes"
    /// CPU time used (counter, seconds).
    public static let processCPUSeconds = "process_cpu_seconds_total"
    /// Minor page faults (counter): the stand-in for churn without allocation counters.
    public static let processMinorFaults = "process_minor_faults_total"
    /// Major page faults (counter).
    public static let processMajorFaults = "process_major_faults_total"
    /// Context switches, by ``LabelName/kind`` (counter).
    public static let processContextSwitches = "process_context_switches_total"
    /// Threads (gauge).
    public static let processThreads = "process_threads"
    /// Open file descriptors (gauge).
    public static let processOpenFileDescriptors = "process_open_fds"

    // MARK: - Heap and allocation churn (PerfKit)

    /// Bytes the allocator has handed out and not got back (gauge).
    public static let processHeapInUse = "process_heap_in_use_bytes"
    /// Bytes the allocator holds from the system in its arenas (gauge).
    public static let processHeapArena = "process_heap_arena_bytes"
    /// Bytes of blocks allocated with their own mmap (gauge).
    public static let processHeapMmapped = "process_heap_mmapped_bytes"
    /// Bytes free inside the arenas (gauge).
    public static let processHeapFree = "process_heap_free_bytes"
    /// Bytes live according to the malloc interposer (gauge).
    public static let processHeapLive = "process_heap_live_bytes"
    /// Calls to the allocator (counter, exact counters).
    public static let allocations = "allocs_total"
    /// Calls to free (counter, exact counters).
    public static let frees = "frees_total"
    /// Bytes allocated (counter, exact counters).
    public static let allocatedBytes = "alloc_bytes_total"
    /// Bytes freed (counter, exact counters).
    public static let freedBytes = "freed_bytes_total"
    /// Garbage collections (counter), from a Go expvar page.
    public static let gcCollections = "gc_collections_total"
    /// Time paused by garbage collection (counter, seconds), from a Go expvar page.
    public static let gcPauseSeconds = "gc_pause_seconds_total"
    /// Which allocation numbers an agent has, by ``LabelName/source`` `mallinfo2` or `interposer` (gauge, 1).
    public static let allocationCountersInfo = "perfkit_allocation_counters_info"
    /// Series a swift-metrics backend refused because it was at its bound (counter).
    public static let metricsDroppedSeries = "perfkit_metrics_dropped_series_total"
    /// Operation names `OperationTimings` refused because it was at its bound (counter).
    public static let droppedOperations = "perfkit_dropped_operations_total"

    // MARK: - Other runtimes' names that perftop reads

    /// Go: garbage collection pauses (summary).
    public static let goGCDurationSeconds = "go_gc_duration_seconds"
    /// Go: bytes allocated (counter).
    public static let goAllocatedBytes = "go_memstats_alloc_bytes_total"
    /// Go: allocations (counter).
    public static let goMallocs = "go_memstats_mallocs_total"
    /// Go: frees (counter).
    public static let goFrees = "go_memstats_frees_total"
    /// Go: heap in use (gauge, bytes).
    public static let goHeapAllocated = "go_memstats_heap_alloc_bytes"
    /// JVM (Micrometer): garbage collection pauses (summary or histogram).
    public static let jvmGCPauseSeconds = "jvm_gc_pause_seconds"
    /// JVM (Micrometer): bytes allocated (counter).
    public static let jvmGCAllocatedBytes = "jvm_gc_memory_allocated_bytes_total"
    /// JVM (Micrometer): memory used, by ``LabelName/area`` (gauge, bytes).
    public static let jvmMemoryUsed = "jvm_memory_used_bytes"
    /// Python (prometheus_client): collections, by generation (counter).
    public static let pythonGCCollections = "python_gc_collections_total"
    /// Python (prometheus_client): objects collected, by generation (counter).
    public static let pythonGCObjectsCollected = "python_gc_objects_collected_total"

    // MARK: - Servers perftop reads directly (one source per server)
    /// Redis: clients connected (gauge).
    public static let redisConnectedClients = "redis_connected_clients"
    /// Redis: clients blocked in a blocking command (gauge).
    public static let redisBlockedClients = "redis_blocked_clients"
    /// Redis: commands the server processed (counter).
    public static let redisCommandsProcessed = "redis_commands_processed_total"
    /// Redis: the `maxmemory` setting, 0 when unbounded (gauge, bytes).
    public static let redisMaxMemory = "redis_memory_max_bytes"
    /// Redis: time per command, by ``LabelName/command`` (summary: `INFO latencystats` quantiles, with
    /// `_count` and `_sum` from `INFO commandstats`).
    public static let redisCommandSeconds = "redis_command_seconds"
    /// memcached: open client connections (gauge).
    public static let memcachedConnections = "memcached_current_connections"
    /// PostgreSQL: transactions committed, all databases (counter).
    public static let postgresCommits = "postgres_commits_total"
    /// PostgreSQL: transactions rolled back, all databases (counter).
    public static let postgresRollbacks = "postgres_rollbacks_total"
    /// PostgreSQL: server processes connected to a database (gauge).
    public static let postgresBackends = "postgres_backends"
    /// PostgreSQL: deadlocks detected (counter).
    public static let postgresDeadlocks = "postgres_deadlocks_total"
    /// PostgreSQL: 1 when `pg_stat_statements` can be read, 0 when it is not installed or not
    /// loaded (gauge).
    public static let postgresStatementsAvailable = "postgres_statements_available"
    /// PostgreSQL: time spent in every statement `pg_stat_statements` tracks (counter, seconds).
    public static let postgresStatementsSeconds = "postgres_statements_seconds_total"
    /// PostgreSQL: calls of one statement, by ``LabelName/statement`` and ``LabelName/query`` (counter).
    public static let postgresStatementCalls = "postgres_statement_calls_total"
    /// PostgreSQL: time spent in one statement (counter, seconds).
    public static let postgresStatementSeconds = "postgres_statement_seconds_total"
    /// PostgreSQL: the longest run of one statement since its statistics were reset (gauge, seconds).
    public static let postgresStatementMaxSeconds = "postgres_statement_max_seconds"
    /// PostgreSQL: rows one statement returned or changed (counter).
    public static let postgresStatementRows = "postgres_statement_rows_total"
    /// PostgreSQL: sequential scans of a table, by ``LabelName/table`` (counter).
    public static let postgresTableSequentialScans = "postgres_table_seq_scans_total"
    /// PostgreSQL: rows sequential scans of a table read (counter).
    public static let postgresTableSequentialRows = "postgres_table_seq_rows_read_total"
    /// PostgreSQL: index scans of a table (counter).
    public static let postgresTableIndexScans = "postgres_table_index_scans_total"
    /// PostgreSQL: estimated live rows of a table (gauge).
    public static let postgresTableLiveRows = "postgres_table_live_rows"
    // MARK: - The machine (node-exporter names)

    /// CPU time, by ``LabelName/mode`` and, per core, ``LabelName/cpu`` (counter, seconds).
    public static let nodeCPUSeconds = "node_cpu_seconds_total"
    /// Memory installed (gauge, bytes).
    public static let nodeMemoryTotal = "node_memory_MemTotal_bytes"
    /// Memory available for new work (gauge, bytes).
    public static let nodeMemoryAvailable = "node_memory_MemAvailable_bytes"
    /// Memory unused (gauge, bytes).
    public static let nodeMemoryFree = "node_memory_MemFree_bytes"
    /// Buffer memory (gauge, bytes).
    public static let nodeMemoryBuffers = "node_memory_Buffers_bytes"
    /// Page cache memory (gauge, bytes).
    public static let nodeMemoryCached = "node_memory_Cached_bytes"
    /// Swap installed (gauge, bytes).
    public static let nodeSwapTotal = "node_memory_SwapTotal_bytes"
    /// Swap unused (gauge, bytes).
    public static let nodeSwapFree = "node_memory_SwapFree_bytes"
    /// Load average over 1 minute (gauge).
    public static let nodeLoad1 = "node_load1"
    /// Load average over 5 minutes (gauge).
    public static let nodeLoad5 = "node_load5"
    /// Load average over 15 minutes (gauge).
    public static let nodeLoad15 = "node_load15"

    // MARK: - What perftop derives (exports)

    /// The machine's CPU busy share over the last interval, per core with ``LabelName/cpu`` (percent).
    public static let derivedCPUBusyPercent = "perftop_cpu_busy_percent"
    /// Memory available on the machine (bytes).
    public static let derivedMemoryAvailable = "perftop_memory_available_bytes"
    /// A cache's hit ratio over the last interval (0…1).
    public static let derivedCacheHitRatio = "perftop_cache_hit_ratio"
    /// A cache's requests per second over the last interval.
    public static let derivedCacheRequestsPerSecond = "perftop_cache_requests_per_second"
    /// A cache's evictions per second over the last interval.
    public static let derivedCacheEvictionsPerSecond = "perftop_cache_evictions_per_second"
    /// A processor's throughput: succeeded tasks per second.
    public static let derivedProcessorSucceededPerSecond = "perftop_processor_succeeded_per_second"
    /// A processor's failed and timed-out tasks per second.
    public static let derivedProcessorFailedPerSecond = "perftop_processor_failed_per_second"
    /// A processor's rejected and dropped tasks per second.
    public static let derivedProcessorRejectedPerSecond = "perftop_processor_rejected_per_second"
    /// A processor's retries per second.
    public static let derivedProcessorRetriesPerSecond = "perftop_processor_retries_per_second"
    /// A distribution's p95, by ``LabelName/distribution`` (seconds).
    public static let derivedLatencyP95 = "perftop_latency_p95_seconds"
    /// A distribution's p99, by ``LabelName/distribution`` (seconds).
    public static let derivedLatencyP99 = "perftop_latency_p99_seconds"
    /// A distribution's observations per second, by ``LabelName/distribution``.
    public static let derivedLatencyRequestsPerSecond = "perftop_latency_requests_per_second"
    /// A churn readout per second, by ``LabelName/measure``.
    public static let derivedChurnPerSecond = "perftop_churn_per_second"
    /// A churn readout in bytes per second, by ``LabelName/measure``.
    public static let derivedChurnBytesPerSecond = "perftop_churn_bytes_per_second"
    /// A churn readout in seconds (GC pauses), by ``LabelName/measure``.
    public static let derivedChurnSeconds = "perftop_churn_seconds"

    // MARK: - Pairs

    /// The misses counter a hit ratio pairs with a hits counter: ``cacheMisses`` for ``cacheHits``,
    /// and by the same convention `X_misses_total` for any `X_hits_total` (e.g. an exporter's
    /// `redis_keyspace_hits_total`); nil for a name that is not a hits counter.
    public static func missCounter(pairedWith hits: String) -> String? {
        if hits == Self.cacheHits {
            return Self.cacheMisses
        }
        guard hits.hasSuffix("_hits_total") else {
            return nil
        }
        return String(hits.dropLast("_hits_total".count)) + "_misses_total"
    }
}
