/// The advisor's rules, by their stable ids (`cache-capacity`, …); what each one checks is set by
/// ``AdvisorThresholds`` and documented in docs/tracker.md ("Advisor").
///
/// The declaration order is the order advice of equal severity is listed in.
public enum AdvisorRule: String, Sendable, Equatable, Hashable, Comparable, CaseIterable {
    /// A cache under its hit-rate target that evicts by size: raise capacity.
    case cacheCapacity = "cache-capacity"
    /// A cache under its hit-rate target whose entries expire before they are reused: a longer TTL
    /// may help, if the data may be that stale.
    case cacheExpiry = "cache-expiry"
    /// A processor whose oldest queued task keeps getting older while every slot is busy: add
    /// concurrency or shed load.
    case processorSaturated = "processor-saturated"
    /// A processor that rejects or drops tasks because its queue is full.
    case processorRejecting = "processor-rejecting"
    /// A process whose resident memory grows steadily over the window: a suspected leak.
    case memoryLeak = "memory-leak"
    /// A process whose allocation rate, allocated bytes or GC pause time is above its threshold.
    case churnDominating = "churn-dominating"
    /// A Redis server evicting keys because its memory is at `maxmemory`: raise it or set TTLs.
    case redisMaxMemory = "redis-maxmemory"
    /// A PostgreSQL server whose buffer cache misses too often: `shared_buffers` may be too small.
    case databaseBufferCache = "database-buffer-cache"
    /// A large table read mostly by sequential scans: an index candidate.
    case databaseSequentialScans = "database-sequential-scans"
    /// One statement taking most of the server's statement time: the one to optimize first.
    case databaseDominantStatement = "database-dominant-statement"

    /// How urgent the rule's advice is: work failing or waiting without bound is ``AdviceSeverity/critical``,
    /// measured waste or growth a ``AdviceSeverity/warning``, a possible gain ``AdviceSeverity/info``.
    public var severity: AdviceSeverity {
        switch self {
        case .processorSaturated, .processorRejecting: .critical
        case .cacheCapacity, .memoryLeak, .churnDominating, .redisMaxMemory, .databaseBufferCache: .warning
        case .cacheExpiry, .databaseSequentialScans, .databaseDominantStatement: .info
        }
    }

    /// Orders by declaration.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.order < rhs.order
    }

    /// The position in the declaration.
    private var order: Int {
        Self.allCases.firstIndex(of: self) ?? 0
    }
}
