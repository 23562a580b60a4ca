import PerftopCore

/// The optimization tracker `perftop demo` loads unless it is given one: targets on the demo
/// agent's caches, processor, operations and memory, chosen so that on a typical run some are met,
/// one is at risk, some are missed and two, imported from a markdown tracker, are unbound.
public enum DemoTracker {
    /// The tracker file's text, in the format of docs/tracker.md.
    public static let text = """
        # The tracker perftop demo shows; the format is described in docs/tracker.md.
        title = "perftop demo"

        [[target]]
        name = "embeddings cache hit ratio"
        metric = 'cache_hits_total{cache="embeddings"}'
        statistic = "hit ratio"
        goal = ">= 70%"
        priority = "high"
        owner = "cache team"
        due = 2026-12-15
        notes = "120 entries for a working set of several hundred documents"

        [[target]]
        name = "users cache hit ratio"
        metric = 'cache_hits_total{cache="users"}'
        statistic = "hit ratio"
        goal = ">= 60%"
        priority = "medium"
        owner = "cache team"
        due = 2027-01-15

        [[target]]
        name = "jobs wait p95"
        metric = 'processor_wait_seconds{processor="jobs"}'
        statistic = "p95"
        goal = "< 5ms"
        priority = "high"
        owner = "platform"
        due = 2026-12-01
        notes = "bursts queue behind 4 workers"

        [[target]]
        name = "embedding compute p95"
        metric = 'operation_seconds{op="embeddings.compute"}'
        statistic = "p95"
        goal = "< 1ms"
        priority = "medium"
        owner = "ml"
        due = 2027-02-01

        [[target]]
        name = "jobs throughput"
        metric = 'processor_tasks_total{processor="jobs",outcome="succeeded"}'
        statistic = "rate"
        goal = "> 10/s"
        priority = "low"
        owner = "platform"

        [[target]]
        name = "demo memory"
        metric = 'process_resident_memory_bytes'
        goal = "< 512MiB"
        priority = "low"

        [[target]]
        name = "VectorSearchResolver p95"
        section = "Performance Benchmarks"
        goal = "< 50ms"
        priority = "high"
        notes = "imported from the seed tracker: no metric yet, so unbound"

        [[target]]
        name = "Memory Usage Optimization"
        section = "Performance Optimization Status"
        goal = "-30% vs baseline"
        priority = "high"
        due = 2024-11-15
        status = "not started"
        notes = "imported from the seed tracker: no metric yet, so unbound"

        """

    /// The demo tracker, parsed.
    public static var tracker: Tracker {
        // The text is a constant checked by DemoTrackerTests; a failure here is a programming error.
        try! Tracker(toml: Self.text, fileName: "demo tracker")
    }
}
