import PerftopCore

/// Hit rate and traffic of every cache: interval and lifetime hit rate, requests and evictions
/// per second (and per cause, in a column shown when a source labels causes), fill, and a hit-rate trend.
///
/// In a tall pane the rows left below the table hold one graph per cache: its hit rate over time
/// (0–100 %) under a gauge of its fill (entries of capacity).
public struct CachePane: Pane {
    /// The pane's title.
    public let title = "Cache hit rate"
    /// The pane's place in the layout, its toggle key and its config name.
    public let id = DashboardSettings.PaneID.builtIn(.caches)

    /// Creates the pane.
    public init() {}

    /// Draws one row per cache from the scroll offset, then graphs where there is room; or why there
    /// are no caches.
    public func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {
        guard !model.caches.isEmpty else {
            NoData.draw(NoData.reason(model, missing: "cache_* metrics"), into: &canvas)
            return
        }
        let caches = model.caches
        let graphRows = GraphStack.graphRows(height: canvas.height, tableRows: caches.count + 1)
        let tableHeight = canvas.height - (graphRows > 0 ? graphRows + 1 : 0)
        let visible = Table.visibleRows(total: caches.count, offset: context.scrollOffset, height: tableHeight)
        let showSource = SourceColumn.isNeeded(caches.map(\.source))
        var columns: [Table.Column] = [
            Table.Column(title: "cache", minWidth: 10, alignment: .left, priority: 0),
            Table.Column(title: "hit", minWidth: 6, priority: 0),
            Table.Column(title: "life", minWidth: 6, priority: 3),
            Table.Column(title: "req/s", minWidth: 7, priority: 2),
            Table.Column(title: "evict/s", minWidth: 7, priority: 4),
            Table.Column(title: "entries", minWidth: 8, priority: 5),
            Table.Column(title: "trend", minWidth: 5, isFlexible: true, priority: 1),
        ]
        let showCauses = caches.contains { !$0.evictionsByCause.isEmpty }
        if showCauses {
            columns.insert(Table.Column(title: "by cause", minWidth: 16, alignment: .left, priority: 7), at: 6)
        }
        if showSource {
            columns.insert(SourceColumn.column(labels: caches[visible].lazy.map { model.label(of: $0.source) }), at: 0)
        }
        let rows: [[Table.Content]] = caches[visible].map { cache in
            var row: [Table.Content] = [
                cache.downTiers.isEmpty
                    ? .text(cache.name, .normal) : .text(cache.name + " " + Self.down(cache.downTiers), .critical),
                .text(UnitFormat.percent(fraction: cache.hitRate), Self.hitRateStyle(cache.hitRate)),
                .text(UnitFormat.percent(fraction: cache.lifetimeHitRate), .normal),
                .text(UnitFormat.rate(cache.requestsPerSecond), .normal),
                .text(UnitFormat.rate(cache.evictionsPerSecond), .normal),
                .text(Self.fill(entries: cache.entries, capacity: cache.capacity), .normal),
                .sparkline(model.hitRateSlots(cache, count: canvas.width), .fixed(0...1)),
            ]
            if showCauses {
                row.insert(.text(Self.causes(cache.evictionsByCause), .dim), at: 6)
            }
            if showSource {
                row.insert(.text(model.label(of: cache.source), .dim), at: 0)
            }
            return row
        }
        let table = Table(columns: columns, rows: rows, totalRows: caches.count, firstRow: visible.lowerBound)
        canvas.withRegion(Rect(row: 0, column: 0, height: tableHeight, width: canvas.width)) { table.draw(into: &$0) }
        guard graphRows > 0 else {
            return
        }
        let graphs = GraphStack(
            entries: caches.map { self.graphEntry($0, showSource: showSource, model: model) },
            cursor: context.cursor
        )
        canvas.withRegion(Rect(row: tableHeight + 1, column: 0, height: graphRows, width: canvas.width)) {
            graphs.draw(from: context.scrollOffset, into: &$0)
        }
    }

    /// One cache's graph: `embeddings hit rate` with the current rate and evictions by cause, a
    /// fill gauge, and the hit rate over time.
    private func graphEntry(_ cache: CacheView, showSource: Bool, model: DashboardModel) -> GraphStack.Entry {
        let name = showSource ? model.label(of: cache.source) + " " + cache.name : cache.name
        var detail = UnitFormat.percent(fraction: cache.hitRate)
        if !cache.evictionsByCause.isEmpty {
            detail = "evict " + Self.causes(cache.evictionsByCause) + "  " + detail
        }
        if let share = cache.similarShareOfHits {
            let similarity = cache.meanSimilarity.map { " at " + UnitFormat.fixed($0, decimals: 2) } ?? ""
            detail = "similar " + UnitFormat.percent(fraction: share) + similarity + "  " + detail
        }
        if !cache.downTiers.isEmpty {
            detail = Self.down(cache.downTiers) + "  " + detail
        }
        let fraction = cache.entries.flatMap { entries in cache.capacity.map { $0 > 0 ? entries / $0 : 0 } }
        let fillText =
            (fraction.map { UnitFormat.percent(fraction: $0) + " " } ?? "")
            + Self.fill(entries: cache.entries, capacity: cache.capacity)
        return GraphStack.Entry(
            title: name + " hit rate",
            detail: detail,
            gauge: GraphStack.GaugeLine(label: "fill", fraction: fraction, text: fillText),
            graph: LineGraph(
                values: model.slots(cache.hitRatePoints),
                interval: model.interval,
                scale: .fixed(0...1),
                format: { UnitFormat.percent(fraction: $0) }
            )
        )
    }

    /// `redis down`: the remote tiers whose circuit breaker is open.
    static func down(_ tiers: [String]) -> String {
        tiers.joined(separator: ",") + " down"
    }

    /// Green from 80 %, yellow from 50 %, red below; plain without a value.
    static func hitRateStyle(_ hitRate: Double?) -> Style {
        guard let hitRate, hitRate.isFinite else {
            return .dim
        }
        if hitRate >= 0.8 {
            return .good
        }
        return hitRate >= 0.5 ? .warning : .critical
    }

    /// `entries/capacity`, or only what is known.
    static func fill(entries: Double?, capacity: Double?) -> String {
        guard let capacity else {
            return UnitFormat.count(entries)
        }
        return UnitFormat.count(entries) + "/" + UnitFormat.count(capacity)
    }

    /// Evictions per second by cause, busiest first: `size 2.50/s expired 0.70/s`; a dash when the
    /// source labels no cause.
    static func causes(_ rates: [EvictionRate]) -> String {
        guard !rates.isEmpty else {
            return UnitFormat.missing
        }
        return rates.sorted { ($0.perSecond ?? -1, $1.cause) > ($1.perSecond ?? -1, $0.cause) }
            .map { $0.cause + " " + UnitFormat.rate($0.perSecond) }
            .joined(separator: " ")
    }
}
