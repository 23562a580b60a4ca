import PerfKit
import Testing

@testable import PerftopCore

/// The fleet pane's rows: one per source from the views the other panes show, and the fleet's own.
@Suite("Fleet rows")
struct FleetRowTests {
    @Test("a source's hit ratio is its hits over its lookups across caches, not the mean of the caches' ratios")
    func hitRateOfASource() {
        let row = FleetRow(
            source: "a",
            state: .ok,
            caches: [
                CacheView(source: "a", name: "small", hitRate: 0.9, requestsPerSecond: 100),
                CacheView(source: "a", name: "large", hitRate: 0.5, requestsPerSecond: 900),
                CacheView(source: "a", name: "idle", hitRate: nil, requestsPerSecond: 0),
            ],
            processors: [
                ProcessorView(source: "a", name: "jobs", queueDepth: 4, rejectedPerSecond: 1),
                ProcessorView(source: "a", name: "mail", queueDepth: 3, rejectedPerSecond: nil),
            ],
            latencies: [
                LatencyView(source: "a", name: "lookup", distribution: "", p95: 0.002),
                LatencyView(source: "a", name: "render", distribution: "", p95: 0.040),
                LatencyView(source: "a", name: "new", distribution: "", p95: nil),
            ],
            process: ProcessMemoryView(source: "a", residentBytes: 1_000),
            heapGrowthBytesPerSecond: -5,
            cpuPercent: 12
        )
        #expect(abs((row.hitRate ?? 0) - 0.54) < 1e-12, "(0.9 × 100 + 0.5 × 900) / 1000")
        #expect(row.requestsPerSecond == 1_000)
        #expect(row.worstP95 == 0.040)
        #expect(row.worstP95Name == "render")
        #expect(row.queueDepth == 7)
        #expect(row.rejectedPerSecond == 1)
        #expect(row.residentBytes == 1_000)
        #expect(row.heapGrowthBytesPerSecond == -5)
        #expect(row.cpuPercent == 12)
    }

    @Test("the fleet's row: Σhits / Σlookups, the worst p95 and its name, sums, and the worst state")
    func total() {
        let rows = [
            FleetRow(source: "a", state: .ok, hitRate: 1.0, requestsPerSecond: 10, worstP95: 0.01, worstP95Name: "x"),
            FleetRow(
                source: "b",
                state: .stale(age: 3, reason: "timeout"),
                hitRate: 0.0,
                requestsPerSecond: 990,
                worstP95: 0.5,
                worstP95Name: "y",
                queueDepth: 2,
                residentBytes: 5,
                cpuPercent: 50
            ),
            FleetRow(source: "c", state: .pending),
        ]
        let fleet = FleetRow.total(of: rows)
        #expect(fleet.source == "fleet")
        #expect(fleet.hitRate == 0.01, "10 hits of 1000 lookups, where a mean of ratios would say 50%")
        #expect(fleet.requestsPerSecond == 1_000)
        #expect(fleet.worstP95 == 0.5)
        #expect(fleet.worstP95Name == "y")
        #expect(fleet.queueDepth == 2)
        #expect(fleet.residentBytes == 5)
        #expect(fleet.cpuPercent == 50)
        #expect(fleet.rejectedPerSecond == nil, "no source reports refusals")
        #expect(fleet.state == .stale(age: 3, reason: "timeout"))
        #expect(FleetRow.total(of: []).hitRate == nil)
    }

    @Test("the model has a row per source in the sources' order, from its series, and one for a silent source")
    func fromTheStore() {
        var store = SeriesStore(retention: 10)
        let cache = [LabelName.cache: "users"]
        for (time, scale) in [(100.0, 0.0), (101.0, 1.0)] {
            store.record(
                source: "agent:/run/a.sock",
                samples: [
                    .counter(MetricName.cacheHits, 300 * scale, cache),
                    .counter(MetricName.cacheMisses, 100 * scale, cache),
                    .counter(MetricName.processCPUSeconds, 10 + 0.25 * scale),
                    .gauge(MetricName.processResidentMemory, 4_096),
                    .gauge(MetricName.processHeapInUse, 1_000 + 500 * scale),
                ],
                at: time
            )
        }
        let sources = [
            SourceStatus(name: "proc", state: .pending),
            SourceStatus(name: "agent:/run/a.sock", state: .ok, displayName: "demo[7]"),
        ]
        let model = DashboardModel(store: store, sources: sources, timestamp: 101, interval: 1)
        #expect(model.fleet.map(\.source) == ["proc", "agent:/run/a.sock"])
        #expect(model.fleet[0] == FleetRow(source: "proc", state: .pending))
        let agent = model.fleet[1]
        #expect(agent.hitRate == 0.75)
        #expect(agent.requestsPerSecond == 400)
        #expect(agent.cpuPercent == 25)
        #expect(agent.residentBytes == 4_096)
        #expect(agent.heapGrowthBytesPerSecond == 500)
        #expect(model.label(of: "agent:/run/a.sock") == "demo[7]")
    }

    @Test("one source alone keeps its rows and the machine's figures and drops every other source's")
    func onlyOneSource() {
        var model = DashboardModel(
            timestamp: 0,
            interval: 1,
            sources: [SourceStatus(name: "a", state: .ok), SourceStatus(name: "b", state: .ok)],
            caches: [CacheView(source: "a", name: "x"), CacheView(source: "b", name: "y")],
            processors: [ProcessorView(source: "b", name: "jobs")],
            latencies: [LatencyView(source: "a", name: "op", distribution: "")],
            fleet: [FleetRow(source: "a", state: .ok), FleetRow(source: "b", state: .ok)]
        )
        model.memory.systemCPUBusyPercent = 40
        model.memory.processes = [ProcessMemoryView(source: "a"), ProcessMemoryView(source: "b")]
        let alone = model.only(source: "b")
        #expect(alone.sources.map(\.name) == ["b"])
        #expect(alone.caches.map(\.name) == ["y"])
        #expect(alone.processors.map(\.name) == ["jobs"])
        #expect(alone.latencies.isEmpty)
        #expect(alone.memory.processes.map(\.source) == ["b"])
        #expect(alone.memory.systemCPUBusyPercent == 40)
        #expect(alone.fleet.map(\.source) == ["b"])
    }
}
