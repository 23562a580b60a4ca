import PerfKit
import Testing

@testable import PerftopCore

/// The processor, latency-summary and allocation names PerfKit agents report, pushed through a real store.
@Suite("DashboardModel from PerfKit processor, latency and allocation samples")
struct DashboardModelPerfKitTests {
    private func summary(_ name: String, _ labels: [String: String], p95: Double?, count: Double) -> [Sample] {
        var samples: [Sample] = []
        if let p95 {
            for (quantile, value) in [("0.5", p95 / 2), ("0.95", p95), ("0.99", p95 * 2), ("1", p95 * 4)] {
                var quantileLabels = labels
                quantileLabels["quantile"] = quantile
                samples.append(Sample(name: name, labels: quantileLabels, kind: .summary, value: value))
            }
        }
        samples.append(Sample(name: name + "_sum", labels: labels, kind: .summary, value: count * 0.01))
        samples.append(Sample(name: name + "_count", labels: labels, kind: .summary, value: count))
        return samples
    }

    private func processorSamples(tasks: Double, p95: Double?) -> [Sample] {
        let labels = ["processor": "jobs"]
        func outcome(_ outcome: String, _ value: Double) -> Sample {
            .counter("processor_tasks_total", value, ["processor": "jobs", "outcome": outcome])
        }
        return [
            .gauge("processor_queue_depth", tasks / 10, labels),
            .gauge("processor_in_flight", 4, labels),
            .gauge("processor_concurrency_limit", 4, labels),
            .gauge("processor_queue_capacity", 64, labels),
            .gauge("processor_oldest_queued_seconds", 0.25, labels),
            .counter("processor_submitted_total", tasks * 2, labels),
            .counter("processor_retries_total", tasks / 20, labels),
            outcome("succeeded", tasks), outcome("failed", tasks / 10), outcome("timed_out", tasks / 20),
            outcome("cancelled", tasks / 5), outcome("rejected", tasks / 4), outcome("dropped", tasks / 4),
        ]
            + self.summary("processor_wait_seconds", labels, p95: p95.map { $0 / 10 }, count: tasks)
            + self.summary("processor_service_seconds", labels, p95: p95, count: tasks)
    }

    @Test("a processor: depth against capacity, throughput, failures with timeouts, rejections with drops, retries")
    func processor() throws {
        let model = DashboardModel.recorded([
            (0, self.processorSamples(tasks: 100, p95: 0.2)), (2, self.processorSamples(tasks: 300, p95: 0.4)),
        ])
        let processor = try #require(model.processors.first)
        #expect(model.processors.count == 1)
        #expect(processor.queueDepth == 30)
        #expect(processor.queueCapacity == 64)
        #expect(processor.inFlight == 4)
        #expect(processor.concurrencyLimit == 4)
        #expect(processor.succeededPerSecond == 100)
        #expect(processor.failedPerSecond == 15)
        #expect(processor.rejectedPerSecond == 50)
        #expect(processor.retriesPerSecond == 5)
        #expect(processor.oldestQueuedSeconds == 0.25)
        #expect(processor.waitP95 == 0.04)
        #expect(processor.serviceP95 == 0.4)
        #expect(processor.depthHistory.map(\.value) == [10, 30])
    }

    @Test("a processor seen once has gauges but no rates yet, and no p95 without summaries")
    func firstPoll() throws {
        let samples = self.processorSamples(tasks: 100, p95: nil).filter { !$0.name.hasPrefix("processor_wait") }
        let processor = try #require(DashboardModel.recorded([(0, samples)]).processors.first)
        #expect(processor.queueDepth == 10)
        #expect(processor.succeededPerSecond == nil)
        #expect(processor.failedPerSecond == nil)
        #expect(processor.waitP95 == nil)
        #expect(processor.serviceP95 == nil)
    }

    @Test("latency rows: processors first with wait before service, then operations, then the rest")
    func latencyOrder() {
        let samples =
            self.summary("zeta_seconds", [:], p95: 1, count: 1)
            + self.summary("operation_seconds", ["op": "search"], p95: 1, count: 1)
            + self.summary("operation_seconds", ["op": "embed"], p95: 1, count: 1)
            + self.processorSamples(tasks: 1, p95: 1)
        let names = DashboardModel.recorded([(0, samples)]).latencies.map(\.name)
        #expect(names == ["jobs wait", "jobs service", "embed", "search", "zeta_seconds"])
    }

    @Test("a distribution: p50/p95/p99, the window max, requests/s from _count and the p95 history")
    func latency() throws {
        let labels = ["op": "embed"]
        let model = DashboardModel.recorded([
            (0, self.summary("operation_seconds", labels, p95: 0.1, count: 10)),
            (1, self.summary("operation_seconds", labels, p95: 0.2, count: 30)),
            (2, self.summary("operation_seconds", labels, p95: 0.3, count: 70)),
        ])
        let latency = try #require(model.latencies.first)
        #expect(model.latencies.count == 1)
        #expect(latency.name == "embed")
        #expect(latency.distribution == "operation_seconds{op=\"embed\"}")
        #expect(latency.p50 == 0.15)
        #expect(latency.p95 == 0.3)
        #expect(latency.p99 == 0.6)
        #expect(latency.max == 1.2)
        #expect(latency.requestsPerSecond == 40)
        #expect(latency.p95History.map(\.value) == [0.1, 0.2, 0.3])
    }

    @Test("an idle window has no percentiles but still its request rate and its p95 history")
    func idleWindow() throws {
        let labels = ["op": "embed"]
        let model = DashboardModel.recorded([
            (0, self.summary("operation_seconds", labels, p95: 0.1, count: 10)),
            (1, self.summary("operation_seconds", labels, p95: nil, count: 10)),
        ])
        let latency = try #require(model.latencies.first)
        #expect(latency.p95 == nil)
        #expect(latency.max == nil)
        #expect(latency.requestsPerSecond == 0)
        #expect(latency.p95History.map(\.value) == [0.1])
    }

    private func allocationSamples(exact: Bool, scale: Double) -> [Sample] {
        var samples: [Sample] = [
            .counter("process_minor_faults_total", 1000 * scale),
            .gauge("process_heap_in_use_bytes", 4096 * scale),
            .gauge("process_heap_arena_bytes", 8192),
            .gauge("perfkit_allocation_counters_info", 1, ["source": exact ? "interposer" : "mallinfo2"]),
        ]
        if exact {
            samples += [
                .counter("allocs_total", 500 * scale),
                .counter("frees_total", 400 * scale),
                .counter("alloc_bytes_total", 65536 * scale),
                .counter("freed_bytes_total", 32768 * scale),
            ]
        }
        return samples
    }

    @Test("mallinfo2: minor faults, heap in use and its growth, with the source named")
    func mallinfo2() throws {
        let model = DashboardModel.recorded([
            (0, self.allocationSamples(exact: false, scale: 1)), (2, self.allocationSamples(exact: false, scale: 3)),
        ])
        let churn = try #require(model.churn.first)
        #expect(churn.origin == "glibc mallinfo2 + /proc minor faults")
        #expect(
            churn.readouts == [
                ChurnReadout(measure: "minor faults", value: 1000, unit: .perSecond),
                ChurnReadout(measure: "heap in use", value: 12288, unit: .bytes),
                ChurnReadout(measure: "heap growth", value: 4096, unit: .bytesPerSecond),
            ]
        )
        #expect(model.memory.processes.first?.heapInUseBytes == 12288)
    }

    @Test("exact counters: allocations, frees and bytes per second replace minor faults")
    func exact() throws {
        let model = DashboardModel.recorded([
            (0, self.allocationSamples(exact: true, scale: 1)), (1, self.allocationSamples(exact: true, scale: 2)),
        ])
        let churn = try #require(model.churn.first)
        #expect(churn.origin == "exact: malloc interposer + heap gauge")
        #expect(
            churn.readouts.prefix(4) == [
                ChurnReadout(measure: "allocations", value: 500, unit: .perSecond),
                ChurnReadout(measure: "frees", value: 400, unit: .perSecond),
                ChurnReadout(measure: "allocated", value: 65536, unit: .bytesPerSecond),
                ChurnReadout(measure: "freed", value: 32768, unit: .bytesPerSecond),
            ]
        )
        #expect(!churn.readouts.contains { $0.measure == "minor faults" })
    }

    @Test("derived samples carry processor rates, latency p95 and churn for exports")
    func derivedSamples() {
        let model = DashboardModel.recorded([
            (0, self.processorSamples(tasks: 100, p95: 0.2) + self.allocationSamples(exact: true, scale: 1)),
            (1, self.processorSamples(tasks: 200, p95: 0.4) + self.allocationSamples(exact: true, scale: 2)),
        ])
        let derived = model.derivedValues
        #expect(derived["perftop_processor_succeeded_per_second{processor=\"jobs\"}"] == 100)
        #expect(derived["perftop_processor_failed_per_second{processor=\"jobs\"}"] == 15)
        #expect(derived["perftop_processor_rejected_per_second{processor=\"jobs\"}"] == 50)
        #expect(derived["perftop_processor_retries_per_second{processor=\"jobs\"}"] == 5)
        let service = #"distribution="processor_service_seconds{processor=\"jobs\"}""#
        #expect(derived["perftop_latency_p95_seconds{\(service)}"] == 0.4)
        #expect(derived["perftop_latency_requests_per_second{\(service)}"] == 100)
        #expect(derived["perftop_churn_per_second{measure=\"allocations\"}"] == 500)
        #expect(derived["perftop_churn_bytes_per_second{measure=\"allocated\"}"] == 65536)
    }

    @Test("a source whose last poll failed gets no derived samples; its last good values are not repeated")
    func noDerivedSamplesForAFailingSource() {
        var store = SeriesStore(retention: 10)
        for (time, tasks) in [(0.0, 100.0), (1.0, 200.0)] {
            store.record(source: "up", samples: self.processorSamples(tasks: tasks, p95: 0.2), at: time)
            store.record(source: "gone", samples: self.processorSamples(tasks: tasks, p95: 0.2), at: time)
        }
        let sources = [
            SourceStatus(name: "up", state: .ok),
            SourceStatus(name: "gone", state: .down(reason: "connection refused")),
        ]
        let model = DashboardModel(store: store, sources: sources, timestamp: 1, interval: 1)
        let derivedSources = Set(model.derivedSamples().map(\.source))
        #expect(derivedSources == ["up"])
        #expect(model.processors.contains { $0.source == "gone" }, "the screen still shows the last good values")
    }

    @Test("a semantic cache: hit rate over exact and similar hits, the similar share and their mean similarity")
    func semanticCache() async throws {
        let cache = SemanticCache<String>(name: "answers", capacity: 10, dimensions: 2, similarityThreshold: 0.9) {
            prompt in prompt.hasPrefix("near") ? [1, 0.2] : prompt.hasPrefix("far") ? [0, 1] : [1, 0]
        }
        try await cache.store("a", prompt: "stored")
        let before = cache.collectSamples()
        _ = try await cache.lookup("stored")
        _ = try await cache.lookup("near stored")
        _ = try await cache.lookup("far away")
        _ = try await cache.lookup("near again")
        let model = DashboardModel.recorded([(0, before), (1, cache.collectSamples())])
        let view = try #require(model.caches.first { $0.name == "answers" })
        #expect(view.hitRate == 0.75, "3 hits (1 exact, 2 similar) and 1 miss")
        #expect(abs((view.similarShareOfHits ?? 0) - 2.0 / 3) < 1e-9)
        let similarity = Double(Float(1 / (1 + 0.04).squareRoot()))
        #expect(abs((view.meanSimilarity ?? 0) - similarity) < 1e-6)
    }

    @Test("a tiered cache whose Redis tier is down: the view names the tier, and only that one")
    func downTier() throws {
        func samples(hits: Double, redisUp: Double) -> [Sample] {
            let cache = [LabelName.cache: "sessions"]
            let redis = [LabelName.cache: "sessions", LabelName.tier: LabelValue.CacheTier.redis.rawValue]
            let disk = [LabelName.cache: "sessions", LabelName.tier: LabelValue.CacheTier.disk.rawValue]
            return [
                Sample(name: MetricName.cacheHits, labels: cache, kind: .counter, value: hits),
                Sample(name: MetricName.cacheMisses, labels: cache, kind: .counter, value: hits / 3),
                Sample(name: MetricName.cacheTierUp, labels: redis, kind: .gauge, value: redisUp),
                Sample(name: MetricName.cacheTierUp, labels: disk, kind: .gauge, value: 1),
            ]
        }
        let up = DashboardModel.recorded([(0, samples(hits: 0, redisUp: 1)), (1, samples(hits: 30, redisUp: 1))])
        #expect(try #require(up.caches.first { $0.name == "sessions" }).downTiers == [])
        let down = DashboardModel.recorded([(0, samples(hits: 0, redisUp: 1)), (1, samples(hits: 30, redisUp: 0))])
        let view = try #require(down.caches.first { $0.name == "sessions" })
        #expect(view.downTiers == ["redis"])
        #expect(view.hitRate == 0.75, "the hit rate is still the cache's own")
    }
}
