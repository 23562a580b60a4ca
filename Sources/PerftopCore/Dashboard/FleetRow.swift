/// One source's row of the fleet pane: its state and the headline figures of its panes, over the
/// model's window (the last interval), so that a hundred services can be compared on one screen.
///
/// Each figure comes from the views the other panes show, summed or combined the way the figure
/// allows (docs/fleet.md): a hit ratio is Σhits / Σrequests, never a mean of ratios.
public struct FleetRow: Sendable, Equatable {
    /// The source's name (the store's key; ``DashboardModel/label(of:)`` names it on screen).
    public var source: String
    /// The source's state.
    public var state: SourceState
    /// Hits over lookups of all the source's caches: Σ(hit ratio × lookups/s) / Σ lookups/s; nil
    /// without a cache that had lookups.
    public var hitRate: Double?
    /// Cache lookups per second, summed over the source's caches.
    public var requestsPerSecond: Double?
    /// The highest p95 among the source's latency distributions, in seconds.
    public var worstP95: Double?
    /// The distribution ``worstP95`` is the p95 of, e.g. `users.lookup`.
    public var worstP95Name: String?
    /// Tasks waiting in the source's processors, summed.
    public var queueDepth: Double?
    /// Tasks the source's processors refused per second (rejected or dropped), summed.
    public var rejectedPerSecond: Double?
    /// The process's resident memory, in bytes.
    public var residentBytes: Double?
    /// How fast the process's heap grew, in bytes per second (negative when it shrank).
    public var heapGrowthBytesPerSecond: Double?
    /// The process's CPU use, in percent of one core.
    public var cpuPercent: Double?

    /// Creates a row with the figures given; the rest are nil.
    public init(
        source: String,
        state: SourceState,
        hitRate: Double? = nil,
        requestsPerSecond: Double? = nil,
        worstP95: Double? = nil,
        worstP95Name: String? = nil,
        queueDepth: Double? = nil,
        rejectedPerSecond: Double? = nil,
        residentBytes: Double? = nil,
        heapGrowthBytesPerSecond: Double? = nil,
        cpuPercent: Double? = nil
    ) {
        self.source = source
        self.state = state
        self.hitRate = hitRate
        self.requestsPerSecond = requestsPerSecond
        self.worstP95 = worstP95
        self.worstP95Name = worstP95Name
        self.queueDepth = queueDepth
        self.rejectedPerSecond = rejectedPerSecond
        self.residentBytes = residentBytes
        self.heapGrowthBytesPerSecond = heapGrowthBytesPerSecond
        self.cpuPercent = cpuPercent
    }

    /// The row of `source` from the views of that source alone.
    ///
    /// - Parameters:
    ///   - source: the source.
    ///   - state: its state.
    ///   - caches: its caches.
    ///   - processors: its processors.
    ///   - latencies: its latency distributions.
    ///   - process: its process memory.
    ///   - heapGrowthBytesPerSecond: its heap's growth.
    ///   - cpuPercent: its CPU use.
    public init(
        source: String,
        state: SourceState,
        caches: some Collection<CacheView>,
        processors: some Collection<ProcessorView>,
        latencies: some Collection<LatencyView>,
        process: ProcessMemoryView?,
        heapGrowthBytesPerSecond: Double?,
        cpuPercent: Double?
    ) {
        let (hitRate, lookups) = Self.combinedHitRate(caches.map { ($0.hitRate, $0.requestsPerSecond) })
        let worst = latencies.filter { $0.p95 != nil }.max { ($0.p95 ?? 0) < ($1.p95 ?? 0) }
        self.init(
            source: source,
            state: state,
            hitRate: hitRate,
            requestsPerSecond: lookups,
            worstP95: worst?.p95,
            worstP95Name: worst?.name,
            queueDepth: Self.sum(processors.map(\.queueDepth)),
            rejectedPerSecond: Self.sum(processors.map(\.rejectedPerSecond)),
            residentBytes: process?.residentBytes,
            heapGrowthBytesPerSecond: heapGrowthBytesPerSecond,
            cpuPercent: cpuPercent
        )
    }

    /// The fleet's own row over `rows`, named `fleet`: hit ratio as Σhits / Σlookups, the highest p95
    /// (p95s cannot be added; the worst source's is the fleet's bound), every other figure summed.
    /// Its state is the worst of the rows' (down before stale before pending before ok).
    public static func total(of rows: [FleetRow]) -> FleetRow {
        let (hitRate, lookups) = Self.combinedHitRate(rows.map { ($0.hitRate, $0.requestsPerSecond) })
        let worst = rows.filter { $0.worstP95 != nil }.max { ($0.worstP95 ?? 0) < ($1.worstP95 ?? 0) }
        return FleetRow(
            source: "fleet",
            state: rows.map(\.state).max { $0.severity < $1.severity } ?? .ok,
            hitRate: hitRate,
            requestsPerSecond: lookups,
            worstP95: worst?.worstP95,
            worstP95Name: worst?.worstP95Name,
            queueDepth: Self.sum(rows.map(\.queueDepth)),
            rejectedPerSecond: Self.sum(rows.map(\.rejectedPerSecond)),
            residentBytes: Self.sum(rows.map(\.residentBytes)),
            heapGrowthBytesPerSecond: Self.sum(rows.map(\.heapGrowthBytesPerSecond)),
            cpuPercent: Self.sum(rows.map(\.cpuPercent))
        )
    }

    /// Σ(ratio × lookups) / Σ lookups over the pairs with both, and Σ lookups; a ratio without
    /// lookups (or lookups without a ratio) adds nothing to either.
    static func combinedHitRate(_ pairs: [(hitRate: Double?, lookups: Double?)]) -> (Double?, Double?) {
        var hits = 0.0
        var lookups = 0.0
        var any = false
        for pair in pairs {
            guard let rate = pair.hitRate, let count = pair.lookups, rate.isFinite, count.isFinite else {
                continue
            }
            hits += rate * count
            lookups += count
            any = true
        }
        guard any else {
            return (nil, nil)
        }
        return (lookups > 0 ? hits / lookups : nil, lookups)
    }

    /// The sum of the values given; nil when there are none.
    static func sum(_ values: [Double?]) -> Double? {
        let present = values.compactMap { $0 }.filter(\.isFinite)
        return present.isEmpty ? nil : present.reduce(0, +)
    }
}

extension SourceState {
    /// How bad the state is, to find a fleet's worst and sort by it: ok 0, pending 1, stale 2, down 3.
    public var severity: Int {
        switch self {
        case .ok: 0
        case .pending: 1
        case .stale: 2
        case .down: 3
        }
    }
}
