import PerfKit
import Testing

@testable import PerftopCore

@Suite("DashboardModel derived from the store")
struct DashboardModelTests {
    private func cacheSamples(hits: Double, misses: Double, evictions: Double = 0) -> [Sample] {
        let labels = ["cache": "users"]
        return [
            .counter("cache_hits_total", hits, labels),
            .counter("cache_misses_total", misses, labels),
            .counter("cache_evictions_total", evictions, ["cache": "users", "cause": "size"]),
            .gauge("cache_entries", 80, labels),
            .gauge("cache_capacity", 100, labels),
        ]
    }

    @Test("a cache's hit rate is over the last interval; the lifetime rate over all requests")
    func cacheHitRate() throws {
        let model = DashboardModel.recorded([
            (0, self.cacheSamples(hits: 100, misses: 100)),
            (2, self.cacheSamples(hits: 190, misses: 110, evictions: 4)),
        ])
        let cache = try #require(model.caches.first)
        #expect(model.caches.count == 1)
        #expect(cache.name == "users")
        #expect(cache.source == "agent")
        #expect(cache.hitRate == 0.9)
        #expect(cache.lifetimeHitRate == 190.0 / 300.0)
        #expect(cache.requestsPerSecond == 50)
        #expect(cache.evictionsPerSecond == 2)
        #expect(cache.entries == 80)
        #expect(cache.capacity == 100)
        #expect(cache.hitRateHistory.map(\.value) == [0.9])
        #expect(cache.hitRatePoints == Array(cache.hitRateHistory), "the graphs' array holds the same points")
    }

    @Test("a cache bounded only by weight has no entry capacity to show")
    func weightOnlyCapacity() throws {
        var samples = self.cacheSamples(hits: 1, misses: 1)
        samples.removeAll { $0.name == "cache_capacity" }
        samples.append(.gauge("cache_capacity", Double(Int.max), ["cache": "users"]))
        let cache = try #require(DashboardModel.recorded([(0, samples)]).caches.first)
        #expect(cache.capacity == nil)
        #expect(cache.entries == 80)
    }

    @Test("a cache without traffic in the interval has no interval hit rate")
    func idleCache() throws {
        let model = DashboardModel.recorded([
            (0, self.cacheSamples(hits: 10, misses: 10)),
            (1, self.cacheSamples(hits: 10, misses: 10)),
        ])
        let cache = try #require(model.caches.first)
        #expect(cache.hitRate == nil)
        #expect(cache.lifetimeHitRate == 0.5)
        #expect(cache.requestsPerSecond == 0)
    }

    @Test("processors: depth, in flight, throughput and failures")
    func processor() throws {
        func samples(succeeded: Double, failed: Double, depth: Double) -> [Sample] {
            let labels = ["processor": "jobs"]
            return [
                .gauge("processor_queue_depth", depth, labels),
                .gauge("processor_in_flight", 4, labels),
                .gauge("processor_concurrency_limit", 4, labels),
                .counter("processor_tasks_total", succeeded, ["processor": "jobs", "outcome": "succeeded"]),
                .counter("processor_tasks_total", failed, ["processor": "jobs", "outcome": "failed"]),
            ]
        }
        let model = DashboardModel.recorded([
            (0, samples(succeeded: 0, failed: 0, depth: 3)), (1, samples(succeeded: 40, failed: 2, depth: 7)),
        ])
        let processor = try #require(model.processors.first)
        #expect(processor.queueDepth == 7)
        #expect(processor.inFlight == 4)
        #expect(processor.concurrencyLimit == 4)
        #expect(processor.succeededPerSecond == 40)
        #expect(processor.failedPerSecond == 2)
        #expect(processor.depthHistory.map(\.value) == [3, 7])
    }

    @Test("CPU busy share and memory from node-exporter names")
    func systemMemoryAndCPU() {
        func samples(user: Double, idle: Double) -> [Sample] {
            [
                .counter("node_cpu_seconds_total", user, ["mode": "user"]),
                .counter("node_cpu_seconds_total", idle, ["mode": "idle"]),
                .counter("node_cpu_seconds_total", 0, ["cpu": "0", "mode": "idle"]),
                .gauge("node_memory_MemTotal_bytes", 8_000),
                .gauge("node_memory_MemAvailable_bytes", 6_000),
            ]
        }
        let model = DashboardModel.recorded(
            [(0, samples(user: 10, idle: 10)), (1, samples(user: 11, idle: 13))],
            source: "proc"
        )
        #expect(model.memory.systemCPUBusyPercent == 25)
        #expect(model.memory.systemTotalBytes == 8_000)
        #expect(model.memory.systemAvailableBytes == 6_000)
    }

    @Test("CPU busy share per core, ordered by core number, and exported per core")
    func perCoreCPU() {
        func samples(_ busy: [String: Double], idle: Double) -> [Sample] {
            busy.flatMap { core, user in
                [("user", user), ("idle", idle)].map { mode, seconds in
                    .counter("node_cpu_seconds_total", seconds, ["cpu": core, "mode": mode])
                }
            }
        }
        let model = DashboardModel.recorded(
            [(0, samples(["0": 0, "1": 0, "10": 0], idle: 0)), (1, samples(["0": 1, "1": 3, "10": 0], idle: 1))],
            source: "proc"
        )
        #expect(model.memory.perCoreBusyPercent == [50, 75, 0])
        let derived = model.derivedSamples().filter { $0.sample.name == "perftop_cpu_busy_percent" }
        #expect(derived.contains { $0.sample.labels == ["cpu": "1"] && $0.sample.value == 75 })
    }

    @Test("a source without CPU time leaves the machine's CPU figures from another source alone")
    func cpuFromOneSourceAmongSeveral() {
        var store = SeriesStore(retention: 10)
        for (time, idle) in [(0.0, 0.0), (1.0, 3.0)] {
            let modes = [("user", time), ("idle", idle)]
            let cpu = modes.flatMap { mode, seconds -> [Sample] in
                [
                    .counter("node_cpu_seconds_total", seconds, ["mode": mode]),
                    .counter("node_cpu_seconds_total", seconds, ["cpu": "0", "mode": mode]),
                ]
            }
            store.record(source: "proc", samples: cpu, at: time)
            store.record(source: "zzz-agent", samples: self.cacheSamples(hits: time, misses: 0), at: time)
        }
        let model = DashboardModel(store: store, sources: [], timestamp: 1, interval: 1)
        #expect(model.memory.systemCPUBusyPercent == 25)
        #expect(model.memory.perCoreBusyPercent == [25])
    }

    @Test("churn falls back to minor faults and says so")
    func churnFallback() throws {
        let faults = { (value: Double) -> [Sample] in [.counter("process_minor_faults_total", value)] }
        let model = DashboardModel.recorded([(0, faults(100)), (1, faults(150))])
        let churn = try #require(model.churn.first)
        #expect(churn.origin == "/proc minor faults")
        #expect(churn.readouts == [ChurnReadout(measure: "minor faults", value: 50, unit: .perSecond)])
    }

    @Test("summary quantiles become p50/p95/p99 per distribution")
    func latency() throws {
        let samples = [0.5, 0.95, 0.99].map { quantile in
            Sample(
                name: "processor_service_seconds",
                labels: ["processor": "jobs", "quantile": "\(quantile)"],
                kind: .summary,
                value: quantile / 10
            )
        }
        let model = DashboardModel.recorded([(0, samples)])
        let latency = try #require(model.latencies.first)
        #expect(latency.name == "jobs service")
        #expect(latency.distribution == "processor_service_seconds{processor=\"jobs\"}")
        #expect(latency.p50 == 0.05)
        #expect(latency.p95 == 0.095)
        #expect(latency.p99 == 0.099)
    }

    @Test("nothing reported means empty panes, not invented values")
    func empty() {
        let model = DashboardModel.recorded([(0, [])])
        #expect(model.caches.isEmpty)
        #expect(model.processors.isEmpty)
        #expect(model.latencies.isEmpty)
        #expect(model.churn.isEmpty)
        #expect(model.memory == MemoryView())
    }

    @Test("a source is named by what it calls itself, escaped, also after the sources change")
    func sourceLabels() {
        var model = DashboardModel(
            timestamp: 0,
            interval: 1,
            sources: [SourceStatus(name: "agent:/run/a.sock", state: .ok, displayName: "demo[7]")]
        )
        #expect(model.label(of: "agent:/run/a.sock") == "demo[7]")
        #expect(model.label(of: "other\u{1B}[2J") == SafeText.escaped("other\u{1B}[2J"), "unknown: its name, escaped")
        model.sources = [SourceStatus(name: "agent:/run/a.sock", state: .ok, displayName: "demo\u{7}[8]")]
        #expect(model.label(of: "agent:/run/a.sock") == SafeText.escaped("demo\u{7}[8]"))
        #expect(model.label(of: "agent:/run/a.sock") != "demo\u{7}[8]", "no control character is left in a label")
        #expect(model.sourceLabels == ["agent:/run/a.sock": SafeText.escaped("demo\u{7}[8]")])
    }
}
