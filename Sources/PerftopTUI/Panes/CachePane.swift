import PerftopCore

/// Hit rate and traffic of every cache: interval and lifetime hit rate, requests and evictions
/// per second, fill, and a hit-rate trend.
public struct CachePane: Pane {
    /// The pane's title.
    public let title = "Cache hit rate"

    /// Creates the pane.
    public init() {}

    /// Draws one row per cache, or why there are none.
    public func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {
        guard !model.caches.isEmpty else {
            NoData.draw(NoData.reason(model, missing: "cache_* metrics"), into: &canvas)
            return
        }
        let showSource = SourceColumn.isNeeded(model.caches.map(\.source))
        var columns: [Table.Column] = [
            Table.Column(title: "cache", minWidth: 6, alignment: .left, priority: 0),
            Table.Column(title: "hit", minWidth: 6, priority: 0),
            Table.Column(title: "life", minWidth: 6, priority: 3),
            Table.Column(title: "req/s", minWidth: 7, priority: 2),
            Table.Column(title: "evict/s", minWidth: 7, priority: 4),
            Table.Column(title: "entries", minWidth: 8, priority: 5),
            Table.Column(title: "trend", minWidth: 5, isFlexible: true, priority: 1),
        ]
        if showSource {
            columns.insert(Table.Column(title: "source", minWidth: 6, alignment: .left, priority: 6), at: 0)
        }
        let rows: [[Table.Content]] = model.caches.prefix(canvas.height).map { cache in
            var row: [Table.Content] = [
                .text(cache.name, .normal),
                .text(UnitFormat.percent(fraction: cache.hitRate), Self.hitRateStyle(cache.hitRate)),
                .text(UnitFormat.percent(fraction: cache.lifetimeHitRate), .normal),
                .text(UnitFormat.rate(cache.requestsPerSecond), .normal),
                .text(UnitFormat.rate(cache.evictionsPerSecond), .normal),
                .text(Self.fill(entries: cache.entries, capacity: cache.capacity), .normal),
                .sparkline(cache.hitRateHistory, .fixed(0...1)),
            ]
            if showSource {
                row.insert(.text(cache.source, .dim), at: 0)
            }
            return row
        }
        Table(columns: columns, rows: rows, totalRows: model.caches.count).draw(into: &canvas)
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
}
