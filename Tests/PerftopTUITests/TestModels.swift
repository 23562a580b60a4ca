import Foundation
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
                hitRateHistory: TestModels.history([0, 0.5, 1])
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
                depthHistory: TestModels.history([0, 6, 12])
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
                p95History: TestModels.history([0.003, 0.0034])
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
                p95History: TestModels.history([0.02, 0.03, 0.0452])
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
                    residentHistory: TestModels.history([500 * 1_048_576, 512 * 1_048_576])
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

    /// Tracker targets with the optional fields, in tracker order: p95 (met, high, due 2026-12-01),
    /// hits (met, low, no due date), rss (missed, no priority, due 2026-11-30), alloc (at risk,
    /// medium, due 2026-12-15).
    static let tracker = DashboardModel(
        timestamp: 1_700_000_000,
        interval: 1,
        sources: [SourceStatus(name: "agent", state: .ok)],
        tracker: [
            TrackerTargetView(
                name: "p95",
                goal: "p95 < 50ms",
                current: "45.2ms",
                status: "met",
                priority: "high",
                priorityRank: 0,
                owner: "ana",
                due: "2026-12-01",
                change: "-32%",
                trend: .improving
            ),
            TrackerTargetView(
                name: "hits",
                goal: ">= 95%",
                current: "93.4%",
                status: "met",
                priority: "low",
                priorityRank: 2
            ),
            TrackerTargetView(
                name: "rss",
                goal: "< 400MiB",
                current: "512MiB",
                status: "missed",
                due: "2026-11-30",
                trend: .worsening
            ),
            TrackerTargetView(
                name: "alloc",
                goal: "< 10k/s",
                current: "9.80k/s",
                status: "at risk",
                priority: "medium",
                priorityRank: 1,
                due: "2026-12-15",
                trend: .flat
            ),
        ]
    )

    /// The golden-screen model: ``full`` with a minute of history in every graph (fixed, smooth
    /// shapes), evictions by cause, running tasks, memory growth, a scrolled-free tracker with
    /// every column, and a second cache.
    static let golden: DashboardModel = {
        var model = Self.full
        let wave = { (count: Int, base: Double, amplitude: Double, period: Double) in
            (0..<count).map { base + amplitude * sin(Double($0) * 2 * Double.pi / period) }
        }
        model.caches[0].hitRateHistory = TestModels.history(wave(60, 0.85, 0.1, 20))
        model.caches[0].evictionsByCause = [
            EvictionRate(cause: "expired", perSecond: 0.7),
            EvictionRate(cause: "size", perSecond: 2.5),
        ]
        model.caches[1] = CacheView(
            source: "agent",
            name: "sessions",
            hitRate: 0.42,
            lifetimeHitRate: 0.5,
            requestsPerSecond: 80,
            evictionsPerSecond: 0,
            evictionsByCause: [EvictionRate(cause: "size", perSecond: 0)],
            entries: 100,
            capacity: 100,
            hitRateHistory: TestModels.history(wave(60, 0.45, 0.2, 30))
        )
        model.processors[0].depthHistory = TestModels.history((0..<60).map { Double(($0 * 7) % 40) })
        model.processors[0].inFlightHistory = TestModels.history((0..<60).map { Double(min(8, ($0 * 3) % 11)) })
        model.latencies[0].p95History = TestModels.history(wave(60, 0.0034, 0.001, 15))
        model.latencies[1].p95History = TestModels.history(wave(60, 0.0452, 0.02, 40))
        model.memory.processes[0].residentHistory = TestModels.history(
            (0..<60).map { (500 + Double($0) * 0.2) * 1_048_576 }
        )
        model.memory.processes[0].residentGrowthBytesPerSecond = 0.2 * 1_048_576
        model.tracker = Self.tracker.tracker
        return model
    }()

    /// Peaks for the golden model, as the app would have them after seeing a higher value of each.
    static let goldenContext: PaneContext = {
        var peaks = Peaks()
        var high = Self.golden
        high.processors[0].queueDepth = 40
        high.latencies[0].p95 = 0.0051
        high.latencies[1].p95 = 0.0702
        high.memory.processes[0].residentBytes = 530 * 1_048_576
        peaks.observe(high)
        peaks.observe(Self.golden)
        return PaneContext(peaks: peaks)
    }()

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

    /// `values` as a history read one second apart, the newest at the models' time (1_700_000_000).
    static func history(_ values: [Double], endingAt time: Double = 1_700_000_000) -> PointHistory {
        PointHistory(
            values.enumerated().map {
                SeriesStore.Point(time: time - Double(values.count - 1 - $0.offset), value: $0.element)
            }
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
        Self.render(pane, model, context: PaneContext(), width: width, height: height, glyphs: glyphs)
    }

    /// Renders a pane with its frame and a context (scroll offset, peaks, tracker order).
    static func render(
        _ pane: some Pane,
        _ model: DashboardModel,
        context: PaneContext,
        width: Int,
        height: Int,
        glyphs: Glyphs = .unicode
    ) -> CellGrid {
        var grid = CellGrid(rows: height, columns: width)
        grid.withCanvas(grid.bounds, glyphs: glyphs) { pane.drawFramed(model: model, context: context, into: &$0) }
        return grid
    }

    /// Renders the whole dashboard, header, panes and footer, at the given size.
    static func dashboard(_ model: DashboardModel, width: Int, height: Int, glyphs: Glyphs = .unicode) -> CellGrid {
        DashboardRenderer().render(model, size: TerminalSize(width: width, height: height), glyphs: glyphs)
    }
}
