import PerftopCore

@testable import PerftopTUI

/// Fixed models the pane and dashboard tests render.
enum TestModels {
    /// Every pane has data; three sources in three states.
    static let full = DashboardModel(
        timestamp: 1_700_000_000,
        interval: 1,
        sources: [
            SourceStatus(name: "proc", state: .ok),
            SourceStatus(name: "agent:/tmp/a.sock", state: .stale(age: 12.4, reason: "timeout")),
            SourceStatus(name: "http://db:9100", state: .down(reason: "connection refused")),
        ],
        caches: [
            CacheView(
                source: "agent",
                name: "embeddings",
                hitRate: 0.934,
                lifetimeHitRate: 0.91,
                requestsPerSecond: 1234.5,
                evictionsPerSecond: 3.2,
                entries: 812,
                capacity: 1024,
                hitRateHistory: [0, 0.5, 1]
            ),
            CacheView(source: "agent", name: "sessions"),
        ],
        processors: [
            ProcessorView(
                source: "agent",
                name: "jobs",
                queueDepth: 12,
                inFlight: 8,
                concurrencyLimit: 8,
                completedPerSecond: 250,
                failedPerSecond: 0.5,
                depthHistory: [0, 6, 12]
            )
        ],
        latencies: [
            LatencyView(source: "agent", name: "processor_service_seconds", p50: 0.0123, p95: 0.0452, p99: 0.101),
            LatencyView(source: "agent", name: "operation_seconds", p50: 850e-9, p95: nil, p99: nil),
        ],
        memory: MemoryView(
            systemTotalBytes: 16 * 1_073_741_824,
            systemAvailableBytes: 6 * 1_073_741_824,
            systemCPUBusyPercent: 23.1,
            processes: [
                ProcessMemoryView(
                    source: "agent",
                    residentBytes: 512 * 1_048_576,
                    residentHistory: [500 * 1_048_576, 512 * 1_048_576]
                )
            ]
        ),
        churn: [
            ChurnView(
                source: "proc",
                measure: "minor faults",
                origin: "/proc minor faults (no allocator counters)",
                perSecond: 1200
            )
        ],
        tracker: [
            TrackerTargetView(name: "jobs p95", goal: "p95 < 50ms", current: "45.2ms", status: "met"),
            TrackerTargetView(name: "embeddings hits", goal: ">= 95%", current: nil, status: "no data"),
        ],
        selfCost: SelfCost(collectSeconds: 0.0012, drawSeconds: 0.00035, cpuPercent: 0.8)
    )

    /// One source that answers but reports nothing the panes know.
    static let empty = DashboardModel(
        timestamp: 1_700_000_000,
        interval: 1,
        sources: [SourceStatus(name: "proc", state: .ok)]
    )

    /// Renders a pane with its frame into a grid of the given size.
    static func render(
        _ pane: some Pane,
        _ model: DashboardModel,
        width: Int,
        height: Int,
        glyphs: Glyphs = .unicode
    ) -> CellGrid {
        var grid = CellGrid(rows: height, columns: width)
        grid.withCanvas(grid.bounds, glyphs: glyphs) { pane.drawFramed(model: model, into: &$0) }
        return grid
    }
}
