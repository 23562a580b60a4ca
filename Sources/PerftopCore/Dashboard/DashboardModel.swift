import PerfKit

/// Everything the dashboard shows at one moment, derived from the series store.
///
/// This is the view model the panes draw: plain values, already computed (rates, hit ratios,
/// percentiles) from real samples. An absent value (`nil`) or an empty list means no source
/// provided the data; panes say so instead of inventing a number. Rates, ratios and growth are over
/// ``window`` (the last interval); histories are the retained window's, each point with its time, so
/// a graph places it where it was read even after the interval changed.
public struct DashboardModel: Sendable, Equatable {
    /// The window of every rate, ratio and growth in the views: the last interval.
    public static let window = Window.lastInterval

    /// When the model was built, in seconds since 1970-01-01 UTC.
    public var timestamp: Double
    /// The collection interval, in seconds.
    public var interval: Double
    /// Every configured source and its state.
    public var sources: [SourceStatus] {
        didSet { self.sourceLabels = Self.labels(of: self.sources) }
    }
    /// ``label(of:)`` of every source, by name; made again whenever ``sources`` is set, so that
    /// naming a source costs one lookup.
    public private(set) var sourceLabels: [String: String]
    /// One row per cache seen in any source.
    public var caches: [CacheView]
    /// One row per processor seen in any source.
    public var processors: [ProcessorView]
    /// One row per latency distribution seen in any source.
    public var latencies: [LatencyView]
    /// Memory of the system and of the watched processes.
    public var memory: MemoryView
    /// Allocation churn of the watched processes.
    public var churn: [ChurnView]
    /// The statements of each database source (PostgreSQL); empty when none is watched.
    public var queries: [QueriesView]
    /// One row per source, in the sources' order, for the fleet pane.
    public var fleet: [FleetRow]
    /// The optimization tracker's targets; empty when no tracker is loaded.
    public var tracker: [TrackerTargetView]
    /// The advisor's findings over the collected series, most severe first; empty when it has none.
    public var advice: [Advice]
    /// The custom panes of the config's `[[pane]]` tables, in their order; empty when it has none.
    public var customPanes: [CustomPaneView] = []
    /// What perftop itself costs.
    public var selfCost: SelfCost
    /// Where a replay is, for a model a ``ReplayPlayer`` made; nil when live.
    public var replay: ReplayStatus? = nil
    /// The latest alerts of the tracker's triggers, oldest first (at most
    /// ``TriggerEngine/maximumRecentAlerts``); a consumer acts on those with a ``TriggerAlert/sequence``
    /// above the last it saw. Empty without triggers, and in a replay.
    public var alerts: [TriggerAlert] = []
    /// The live series a tracker target can be bound to (the tracker pane's `b`), in the order of
    /// ``BindableSeries/catalog(of:)``; empty when no tracker is loaded.
    public var bindableSeries: [BindableSeries] = []

    /// Creates a model.
    public init(
        timestamp: Double,
        interval: Double,
        sources: [SourceStatus] = [],
        caches: [CacheView] = [],
        processors: [ProcessorView] = [],
        latencies: [LatencyView] = [],
        memory: MemoryView = MemoryView(),
        churn: [ChurnView] = [],
        queries: [QueriesView] = [],
        fleet: [FleetRow] = [],
        tracker: [TrackerTargetView] = [],
        advice: [Advice] = [],
        selfCost: SelfCost = SelfCost()
    ) {
        self.timestamp = timestamp
        self.interval = interval
        self.sources = sources
        self.sourceLabels = Self.labels(of: sources)
        self.caches = caches
        self.processors = processors
        self.latencies = latencies
        self.memory = memory
        self.churn = churn
        self.queries = queries
        self.fleet = fleet
        self.tracker = tracker
        self.advice = advice
        self.selfCost = selfCost
    }

    /// How the screen names `source` (a view's `source`): what the source calls itself
    /// (``SourceStatus/label``), else its name; escaped (``SafeText``), so it can be drawn as it is.
    /// Cost: one lookup in ``sourceLabels`` (a frame names sources a hundred times and more).
    public func label(of source: String) -> String {
        self.sourceLabels[source] ?? SafeText.escaped(source)
    }

    private static func labels(of sources: [SourceStatus]) -> [String: String] {
        Dictionary(sources.map { ($0.name, SafeText.escaped($0.label)) }, uniquingKeysWith: { first, _ in first })
    }
}

// MARK: - Panes

/// One cache's hit rate and traffic.
public struct CacheView: Sendable, Equatable {
    /// The source the cache belongs to.
    public var source: String
    /// The cache's name (its `cache` label).
    public var name: String
    /// Hits / (hits + misses) over the last interval, from 0 to 1; nil without traffic in it.
    public var hitRate: Double?
    /// Lifetime hits / (hits + misses), from 0 to 1; nil before the first request.
    public var lifetimeHitRate: Double?
    /// Requests (hits + misses) per second over the last interval.
    public var requestsPerSecond: Double?
    /// Evictions per second over the last interval, all causes.
    public var evictionsPerSecond: Double?
    /// Evictions per second over the last interval by their `cause` label (e.g. `size`, `expired`),
    /// sorted by cause; empty when the source labels no cause.
    public var evictionsByCause: [EvictionRate]
    /// Entries held now.
    public var entries: Double?
    /// The entry capacity.
    public var capacity: Double?
    /// Recent interval hit rates over the retained window, oldest first, for a trend graph; derived
    /// from the cache's counters each time it is read (only the rows drawn pay for it).
    public var hitRateHistory: PointHistory {
        get { self.hitRateTrend.points }
        set { self.hitRateTrend = DerivedHistory(newValue) }
    }
    /// ``hitRateHistory``'s points as an array, derived each time it is read without packing them
    /// into a ``PointHistory``: what the cache pane's graphs read.
    public var hitRatePoints: [SeriesStore.Point] {
        self.hitRateTrend.array
    }
    /// The end of ``hitRatePoints`` from the newest point at or before `time` on (all of them when
    /// none is), for a graph that shows only what came after `time`: derived over the last
    /// `seconds` of the cache's counters first, and over the retained window only when those reach
    /// no point at or before `time`. Cost: O(points in the last `seconds`) when they do.
    public func hitRatePoints(reaching time: Double, within seconds: Double) -> [SeriesStore.Point] {
        self.hitRateTrend.array(reaching: time, within: seconds)
    }
    /// Where ``hitRateHistory`` comes from.
    var hitRateTrend: DerivedHistory
    /// For a semantic cache, the share of its hits that were similar prompts rather than the same
    /// one, over the window; nil for other caches or without hits.
    public var similarShareOfHits: Double? = nil
    /// For a semantic cache, the mean cosine similarity of its similar hits over the window.
    public var meanSimilarity: Double? = nil
    /// The remote tiers (e.g. `redis`) of a tiered cache whose `cache_tier_up` reads 0 now: their circuit
    /// breaker is open and lookups fall through to the other tiers. Empty when every tier is up.
    public var downTiers: [String] = []

    /// Creates a cache view.
    public init(
        source: String,
        name: String,
        hitRate: Double? = nil,
        lifetimeHitRate: Double? = nil,
        requestsPerSecond: Double? = nil,
        evictionsPerSecond: Double? = nil,
        evictionsByCause: [EvictionRate] = [],
        entries: Double? = nil,
        capacity: Double? = nil,
        hitRateHistory: PointHistory = []
    ) {
        self.source = source
        self.name = name
        self.hitRate = hitRate
        self.lifetimeHitRate = lifetimeHitRate
        self.requestsPerSecond = requestsPerSecond
        self.evictionsPerSecond = evictionsPerSecond
        self.evictionsByCause = evictionsByCause
        self.entries = entries
        self.capacity = capacity
        self.hitRateTrend = DerivedHistory(hitRateHistory)
    }
}

/// The eviction rate of one cause of one cache.
public struct EvictionRate: Sendable, Equatable {
    /// The cause, as the `cause` label says it: `size`, `expired`, `weight`, `explicit`, …
    public var cause: String
    /// Evictions of this cause per second over the last interval; nil before the second poll.
    public var perSecond: Double?

    /// Creates an eviction rate.
    public init(cause: String, perSecond: Double?) {
        self.cause = cause
        self.perSecond = perSecond
    }
}

/// One processor's queue, outcomes and latency.
public struct ProcessorView: Sendable, Equatable {
    /// The source the processor belongs to.
    public var source: String
    /// The processor's name (its `processor` label).
    public var name: String
    /// Tasks waiting to start.
    public var queueDepth: Double?
    /// The most tasks that may wait; nil for an unbounded queue.
    public var queueCapacity: Double?
    /// Tasks running now.
    public var inFlight: Double?
    /// The concurrency limit.
    public var concurrencyLimit: Double?
    /// Tasks that succeeded per second over the last interval: the throughput.
    public var succeededPerSecond: Double?
    /// Tasks that failed or timed out per second over the last interval.
    public var failedPerSecond: Double?
    /// Tasks rejected (queue full) or dropped per second over the last interval.
    public var rejectedPerSecond: Double?
    /// Retries started per second over the last interval.
    public var retriesPerSecond: Double?
    /// The age of the oldest waiting task, in seconds.
    public var oldestQueuedSeconds: Double?
    /// The 95th percentile of the time tasks waited for a slot, in seconds.
    public var waitP95: Double?
    /// The 95th percentile of the time tasks ran, in seconds.
    public var serviceP95: Double?
    /// Recent queue depths, oldest first, for a trend graph.
    public var depthHistory: PointHistory
    /// Recent numbers of running tasks, oldest first, for a trend graph.
    public var inFlightHistory: PointHistory

    /// Creates a processor view.
    public init(
        source: String,
        name: String,
        queueDepth: Double? = nil,
        queueCapacity: Double? = nil,
        inFlight: Double? = nil,
        concurrencyLimit: Double? = nil,
        succeededPerSecond: Double? = nil,
        failedPerSecond: Double? = nil,
        rejectedPerSecond: Double? = nil,
        retriesPerSecond: Double? = nil,
        oldestQueuedSeconds: Double? = nil,
        waitP95: Double? = nil,
        serviceP95: Double? = nil,
        depthHistory: PointHistory = [],
        inFlightHistory: PointHistory = []
    ) {
        self.source = source
        self.name = name
        self.queueDepth = queueDepth
        self.queueCapacity = queueCapacity
        self.inFlight = inFlight
        self.concurrencyLimit = concurrencyLimit
        self.succeededPerSecond = succeededPerSecond
        self.failedPerSecond = failedPerSecond
        self.rejectedPerSecond = rejectedPerSecond
        self.retriesPerSecond = retriesPerSecond
        self.oldestQueuedSeconds = oldestQueuedSeconds
        self.waitP95 = waitP95
        self.serviceP95 = serviceP95
        self.depthHistory = depthHistory
        self.inFlightHistory = inFlightHistory
    }
}

/// One latency distribution: its percentiles and maximum over the source's window, its request
/// rate, and a p95 trend; all durations in seconds.
public struct LatencyView: Sendable, Equatable {
    /// The source the distribution belongs to.
    public var source: String
    /// The short name shown on screen, e.g. `jobs wait`, `jobs service` or `embed`.
    public var name: String
    /// The distribution's identity in Prometheus form, e.g. `processor_wait_seconds{processor="jobs"}`.
    public var distribution: String
    /// The median.
    public var p50: Double?
    /// The 95th percentile.
    public var p95: Double?
    /// The 99th percentile.
    public var p99: Double?
    /// The largest value in the window (quantile 1).
    public var max: Double?
    /// Measurements per second over the last interval, from the `_count` counter.
    public var requestsPerSecond: Double?
    /// Recent p95 values, oldest first, for a trend graph.
    public var p95History: PointHistory

    /// Creates a latency view.
    ///
    /// - Parameters:
    ///   - distribution: The Prometheus identity; `name` when nil.
    public init(
        source: String,
        name: String,
        distribution: String? = nil,
        p50: Double? = nil,
        p95: Double? = nil,
        p99: Double? = nil,
        max: Double? = nil,
        requestsPerSecond: Double? = nil,
        p95History: PointHistory = []
    ) {
        self.source = source
        self.name = name
        self.distribution = distribution ?? name
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.max = max
        self.requestsPerSecond = requestsPerSecond
        self.p95History = p95History
    }
}

/// Memory of the machine and of the watched processes.
public struct MemoryView: Sendable, Equatable {
    /// MemTotal of the machine, in bytes.
    public var systemTotalBytes: Double?
    /// MemAvailable of the machine, in bytes.
    public var systemAvailableBytes: Double?
    /// CPU busy share of the whole machine over the last interval, from 0 to 100.
    public var systemCPUBusyPercent: Double?
    /// CPU busy share of each core over the last interval, from 0 to 100, by core number; empty when
    /// no source reports per-core CPU time.
    public var perCoreBusyPercent: [Double]
    /// One row per watched process.
    public var processes: [ProcessMemoryView]

    /// Creates a memory view.
    public init(
        systemTotalBytes: Double? = nil,
        systemAvailableBytes: Double? = nil,
        systemCPUBusyPercent: Double? = nil,
        perCoreBusyPercent: [Double] = [],
        processes: [ProcessMemoryView] = []
    ) {
        self.systemTotalBytes = systemTotalBytes
        self.systemAvailableBytes = systemAvailableBytes
        self.systemCPUBusyPercent = systemCPUBusyPercent
        self.perCoreBusyPercent = perCoreBusyPercent
        self.processes = processes
    }
}

/// The resident memory and heap of one process.
public struct ProcessMemoryView: Sendable, Equatable {
    /// The source that reported it.
    public var source: String
    /// The resident set size, in bytes.
    public var residentBytes: Double?
    /// The allocator's bytes in use (`process_heap_in_use_bytes`); nil when the process does not report it.
    public var heapInUseBytes: Double?
    /// Recent resident sizes, oldest first, for a trend graph.
    public var residentHistory: PointHistory
    /// How fast the resident size grows, in bytes per second (negative when it shrinks): the slope
    /// of the least-squares line through every retained point of the resident series (the window
    /// the trend graph shows), so one spike moves it less than a first-to-last difference would.
    /// Nil with fewer than two points.
    public var residentGrowthBytesPerSecond: Double?
    /// The bound the process keeps its data under, in bytes: Redis' `maxmemory` when set; nil
    /// otherwise.
    public var heapLimitBytes: Double?

    /// Creates a process memory view.
    public init(
        source: String,
        residentBytes: Double? = nil,
        heapInUseBytes: Double? = nil,
        residentHistory: PointHistory = [],
        residentGrowthBytesPerSecond: Double? = nil,
        heapLimitBytes: Double? = nil
    ) {
        self.source = source
        self.residentBytes = residentBytes
        self.heapInUseBytes = heapInUseBytes
        self.residentHistory = residentHistory
        self.residentGrowthBytesPerSecond = residentGrowthBytesPerSecond
        self.heapLimitBytes = heapLimitBytes
    }
}

/// The allocation churn of one source: what it is measured from and one readout per measure.
public struct ChurnView: Sendable, Equatable {
    /// The source that reported it.
    public var source: String
    /// Where the numbers come from, e.g. `exact: malloc interposer`, `Go runtime (go_memstats)` or `/proc minor faults`.
    public var origin: String
    /// The readouts, most telling first.
    public var readouts: [ChurnReadout]

    /// Creates a churn view.
    public init(source: String, origin: String, readouts: [ChurnReadout]) {
        self.source = source
        self.origin = origin
        self.readouts = readouts
    }
}

/// One measured churn value, e.g. allocations per second or the heap in use.
public struct ChurnReadout: Sendable, Equatable {
    /// What a readout's value counts.
    public enum Unit: Sendable, Equatable {
        /// Events per second, e.g. allocations.
        case perSecond
        /// Bytes per second, e.g. bytes allocated; may be negative for a shrinking amount.
        case bytesPerSecond
        /// Bytes, e.g. the heap in use.
        case bytes
        /// Seconds, e.g. a GC pause.
        case seconds
    }

    /// What is counted, e.g. `allocations`, `allocated`, `minor faults`, `heap in use`, `GC collections` or `GC pause p95`.
    public var measure: String
    /// The value, over the last interval for rates; nil without enough points.
    public var value: Double?
    /// The unit of ``value``.
    public var unit: Unit

    /// Creates a readout.
    public init(measure: String, value: Double?, unit: Unit) {
        self.measure = measure
        self.value = value
        self.unit = unit
    }
}

/// What perftop itself spends to produce the dashboard.
public struct SelfCost: Sendable, Equatable {
    /// Time the last collection took across all sources, in seconds.
    public var collectSeconds: Double?
    /// Time the last frame took to lay out and draw, in seconds (filled in by the UI).
    public var drawSeconds: Double?
    /// perftop's own CPU use over the last interval, from 0 to 100 per core.
    public var cpuPercent: Double?

    /// Creates a self-cost record.
    public init(collectSeconds: Double? = nil, drawSeconds: Double? = nil, cpuPercent: Double? = nil) {
        self.collectSeconds = collectSeconds
        self.drawSeconds = drawSeconds
        self.cpuPercent = cpuPercent
    }
}
