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
                queueCapacity: 100,
                inFlight: 8,
                concurrencyLimit: 8,
                succeededPerSecond: 250,
                failedPerSecond: 0.5,
                rejectedPerSecond: 2,
                retriesPerSecond: 0.25,
                oldestQueuedSeconds: 1.5,
                waitP95: 0.0034,
                serviceP95: 0.0452,
                depthHistory: [0, 6, 12]
            )
        ],
        latencies: [
            LatencyView(
                source: "agent",
                name: "jobs wait",
                distribution: "processor_wait_seconds{processor=\"jobs\"}",
                p50: 0.0012,
                p95: 0.0034,
                p99: 0.0051,
                max: 0.009,
                requestsPerSecond: 252,
                p95History: [0.003, 0.0034]
            ),
            LatencyView(
                source: "agent",
                name: "jobs service",
                distribution: "processor_service_seconds{processor=\"jobs\"}",
                p50: 0.0123,
                p95: 0.0452,
                p99: 0.101,
                max: 0.25,
                requestsPerSecond: 250,
                p95History: [0.02, 0.03, 0.0452]
            ),
            LatencyView(
                source: "agent",
                name: "embed",
                distribution: "operation_seconds{op=\"embed\"}",
                p50: 850e-9,
                requestsPerSecond: 0
            ),
        ],
        memory: MemoryView(
            systemTotalBytes: 16 * 1_073_741_824,
            systemAvailableBytes: 6 * 1_073_741_824,
            systemCPUBusyPercent: 23.1,
            processes: [
                ProcessMemoryView(
                    source: "agent",
                    residentBytes: 512 * 1_048_576,
                    heapInUseBytes: 120 * 1_048_576,
                    residentHistory: [500 * 1_048_576, 512 * 1_048_576]
                )
            ]
        ),
        churn: [
            ChurnView(
                source: "agent",
                origin: "glibc mallinfo2 + /proc minor faults",
                readouts: [
                    ChurnReadout(measure: "minor faults", value: 1200, unit: .perSecond),
                    ChurnReadout(measure: "heap in use", value: 120 * 1_048_576, unit: .bytes),
                    ChurnReadout(measure: "heap growth", value: 1_572_864, unit: .bytesPerSecond),
                ]
            )
        ],
        tracker: [
            TrackerTargetView(name: "jobs p95", goal: "p95 < 50ms", current: "45.2ms", status: "met"),
            TrackerTargetView(name: "embeddings hits", goal: ">= 95%", current: nil, status: "no data"),
        ],
        selfCost: SelfCost(collectSeconds: 0.0012, drawSeconds: 0.00035, cpuPercent: 0.8)
    )

    /// Exact allocator counters from one agent, and /proc minor faults from perftop itself.
    static let exactChurn = Self.churn(
        sources: ["proc", "agent"],
        [
            ChurnView(
                source: "agent",
                origin: "exact: malloc interposer",
                readouts: [
                    ChurnReadout(measure: "allocations", value: 12_300, unit: .perSecond),
                    ChurnReadout(measure: "frees", value: 12_100, unit: .perSecond),
                    ChurnReadout(measure: "allocated", value: 47_815_475, unit: .bytesPerSecond),
                    ChurnReadout(measure: "freed", value: 46_137_344, unit: .bytesPerSecond),
                ]
            ),
            ChurnView(
                source: "proc",
                origin: "/proc minor faults",
                readouts: [ChurnReadout(measure: "minor faults", value: 40, unit: .perSecond)]
            ),
        ]
    )

    /// One source that answers but reports nothing the panes know.
    static let empty = DashboardModel(
        timestamp: 1_700_000_000,
        interval: 1,
        sources: [SourceStatus(name: "proc", state: .ok)]
    )

    /// A model with only churn readouts, from sources that all answer.
    /// - Parameters:
    ///   - sources: The sources' names, in header order; each is ``SourceState/ok``.
    ///   - churn: The churn views, in pane order.
    static func churn(sources: [String], _ churn: [ChurnView]) -> DashboardModel {
        DashboardModel(
            timestamp: 1_700_000_000,
            interval: 1,
            sources: sources.map { SourceStatus(name: $0, state: .ok) },
            churn: churn
        )
    }

    // MARK: - Rendering

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

    /// Renders the whole dashboard, header, panes and footer, at the given size.
    static func dashboard(_ model: DashboardModel, width: Int, height: Int, glyphs: Glyphs = .unicode) -> CellGrid {
        DashboardRenderer().render(model, size: TerminalSize(width: width, height: height), glyphs: glyphs)
    }
}
