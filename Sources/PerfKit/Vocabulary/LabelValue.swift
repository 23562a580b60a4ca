/// The label values of the vocabulary that producers and consumers share, beside the value enums of
/// PerfKit's own types (``CacheEvictionCause`` for ``LabelName/cause``, ``ProcessorOutcome`` for a
/// processor's ``LabelName/outcome``).
public enum LabelValue {
    /// The tiers of a `TieredCache`, values of ``LabelName/tier``.
    public enum CacheTier: String, Sendable, CaseIterable {
        /// The in-memory `Cache`.
        case memory
        /// The `DiskCache`.
        case disk
        /// A Redis server (`RedisCacheTier`, in PerfKitRedis).
        case redis
        /// Neither tier had it: the loader ran.
        case loader
    }

    /// The caches of the servers perftop reads directly, values of ``LabelName/cache``.
    public enum ServerCache: String, Sendable, CaseIterable {
        /// A Redis server's keyspace.
        case redis
        /// A memcached server's items.
        case memcached
        /// A PostgreSQL server's buffer cache (`shared_buffers`).
        case postgres
    }
    /// How a `LoadingCache`'s load ended, values of ``LabelName/outcome`` on ``MetricName/cacheLoads``.
    public enum LoadOutcome: String, Sendable, CaseIterable {
        /// The loader returned a value.
        case success
        /// The loader threw.
        case failure
    }

    /// Which allocation numbers an agent has, values of ``LabelName/source`` on
    /// ``MetricName/allocationCountersInfo``.
    public enum AllocationCounters: String, Sendable, CaseIterable {
        /// glibc's `mallinfo2()`: heap figures, no allocation counts.
        case mallinfo2
        /// The malloc interposer (`PerfKitAllocationCounting`): exact counts.
        case interposer
    }

    /// The kinds of a context switch, values of ``LabelName/kind`` on ``MetricName/processContextSwitches``.
    public enum ContextSwitch: String, Sendable, CaseIterable {
        /// The process gave up the CPU (waiting for I/O or a lock).
        case voluntary
        /// The scheduler took the CPU away.
        case involuntary
    }

    /// The CPU modes of ``MetricName/nodeCPUSeconds``, values of ``LabelName/mode``, as /proc/stat orders them.
    public enum CPUMode: String, Sendable, CaseIterable {
        case user, nice, system, idle, iowait, irq, softirq, steal

        /// Whether time in this mode is the CPU not working: `idle` and `iowait`.
        public var isIdle: Bool {
            self == .idle || self == .iowait
        }
    }

    /// The quantiles a summary reports, values of ``LabelName/quantile``.
    public enum Quantile {
        /// The median.
        public static let p50 = "0.5"
        /// The 95th percentile.
        public static let p95 = "0.95"
        /// The 99th percentile.
        public static let p99 = "0.99"
        /// The maximum of the window.
        public static let maximum = "1"
    }

    /// The value of ``LabelName/estimate`` on quantiles estimated from histogram buckets.
    public static let estimatedFromBuckets = "buckets"
}
