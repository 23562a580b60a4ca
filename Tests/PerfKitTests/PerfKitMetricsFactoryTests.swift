import CoreMetrics
import PerfKit
import PerfKitTestKit
import Testing

/// These tests pass the factory explicitly to swift-metrics' types; they never bootstrap the
/// process-global `MetricsSystem`.
@Suite struct PerfKitMetricsFactoryTests {
    // MARK: - Handlers

    @Test func theSameLabelAndDimensionsReturnTheSameHandler() {
        let factory = PerfKitMetricsFactory()

        let first = factory.makeCounter(label: "requests", dimensions: [("method", "GET"), ("status", "200")])
        let again = factory.makeCounter(label: "requests", dimensions: [("status", "200"), ("method", "GET")])
        let other = factory.makeCounter(label: "requests", dimensions: [("method", "POST"), ("status", "200")])
        let timer = factory.makeTimer(label: "work", dimensions: [])

        #expect(first === again)
        #expect(first !== other)
        #expect(timer === factory.makeTimer(label: "work", dimensions: []))
        #expect(factory.seriesCount == 3)
    }

    @Test func countersCreatedPerRequestKeepCounting() {
        let factory = PerfKitMetricsFactory()

        for _ in 0..<3 {
            Counter(label: "http_requests_total", dimensions: [("method", "GET")], factory: factory).increment()
        }
        FloatingPointCounter(label: "http_requests_total", dimensions: [("method", "GET")], factory: factory)
            .increment(by: 0.5)
        Counter(label: "http_requests_total", dimensions: [("method", "GET")], factory: factory).increment(by: -4)

        let requests = samples(named: "http_requests_total", in: factory.collectSamples())
        #expect(
            requests[["method": "GET"]]
                == Sample(name: "http_requests_total", labels: ["method": "GET"], kind: .counter, value: 3.5)
        )
    }

    @Test func gaugesMetersAndNonAggregatingRecordersReportTheLastValue() {
        let factory = PerfKitMetricsFactory()

        Gauge(label: "queue_depth", factory: factory).record(7)
        let meter = Meter(label: "connections", factory: factory)
        meter.set(10)
        meter.increment(by: 2)
        meter.decrement(by: 5)

        let collected = factory.collectSamples()
        #expect(samples(named: "queue_depth", in: collected)[[:]]?.value == 7)
        #expect(samples(named: "queue_depth", in: collected)[[:]]?.kind == .gauge)
        #expect(samples(named: "connections", in: collected)[[:]]?.value == 7)
    }

    @Test func aggregatingRecordersReportCountSumMinMaxAndLast() {
        let factory = PerfKitMetricsFactory()
        let recorder = Recorder(label: "body_bytes", dimensions: [("route", "/a")], factory: factory)

        #expect(samples(named: "body_bytes_min", in: factory.collectSamples()).isEmpty)
        for value in [300, 100, 200] {
            recorder.record(value)
        }
        recorder.record(Double.nan)

        let collected = factory.collectSamples()
        let labels = ["route": "/a"]
        #expect(samples(named: "body_bytes_count", in: collected)[labels]?.value == 3)
        #expect(samples(named: "body_bytes_count", in: collected)[labels]?.kind == .summary)
        #expect(samples(named: "body_bytes_sum", in: collected)[labels]?.value == 600)
        #expect(samples(named: "body_bytes_min", in: collected)[labels]?.value == 100)
        #expect(samples(named: "body_bytes_max", in: collected)[labels]?.value == 300)
        #expect(samples(named: "body_bytes_last", in: collected)[labels]?.value == 200)
    }

    @Test func timersReportASummaryInSeconds() {
        let factory = PerfKitMetricsFactory()
        let timer = Timer(label: "hb_request_duration", dimensions: [("quantile", "x")], factory: factory)
        timer.recordMilliseconds(20)
        timer.recordMilliseconds(40)

        let collected = factory.collectSamples()
        let labels = ["exported_quantile": "x"]
        #expect(samples(named: "hb_request_duration_seconds_count", in: collected)[labels]?.value == 2)
        let sum = samples(named: "hb_request_duration_seconds_sum", in: collected)[labels]?.value ?? 0
        #expect(abs(sum - 0.06) < 1e-9)
        let quantiles = samples(named: "hb_request_duration_seconds", in: collected)
        let maximum = quantiles[["exported_quantile": "x", "quantile": "1"]]?.value ?? 0
        #expect(abs(maximum - 0.04) <= 0.04 * 0.01)
        #expect(quantiles.values.allSatisfy { $0.kind == .summary })
    }

    @Test(arguments: [
        ("http_request_duration_seconds", "http_request_duration_seconds"),
        ("hb_request_duration", "hb_request_duration_seconds"),
        ("db.query", "db_query_seconds"),
    ])
    func timerNamesEndInSeconds(label: String, name: String) {
        #expect(PerfKitMetricsFactory.timerName(forLabel: label) == name)
    }

    // MARK: - Names

    @Test(arguments: [
        ("http_requests_total", "http_requests_total"),
        ("my.app-requests", "my_app_requests"),
        ("ns:requests", "ns:requests"),
        ("2xx_responses", "_2xx_responses"),
        ("café", "caf_"),
        ("", "_"),
    ])
    func labelsAreSanitisedToPrometheusNames(label: String, name: String) {
        #expect(PerfKitMetricsFactory.metricName(forLabel: label) == name)
    }

    @Test(arguments: [
        ("method", "method"),
        ("http.method", "http_method"),
        ("a:b", "a_b"),
        ("__reserved", "_reserved"),
        ("1st", "_1st"),
    ])
    func dimensionsAreSanitisedToLabelNames(dimension: String, label: String) {
        #expect(PerfKitMetricsFactory.labelName(forDimension: dimension) == label)
    }

    @Test func labelsThatSanitiseAlikeShareASeries() {
        let factory = PerfKitMetricsFactory()

        let dotted = factory.makeCounter(label: "a.b", dimensions: [("x.y", "1")])
        let underscored = factory.makeCounter(label: "a_b", dimensions: [("x_y", "1")])

        #expect(dotted === underscored)
    }

    // MARK: - Destroying

    @Test func destroyRemovesTheSeriesAndANewOneStartsFromZero() {
        let factory = PerfKitMetricsFactory()
        let counter = Counter(label: "jobs", factory: factory)
        counter.increment(by: 5)
        let timer = Timer(label: "job", factory: factory)
        timer.recordSeconds(1)

        counter.destroy()
        timer.destroy()
        counter.destroy()

        #expect(factory.seriesCount == 0)
        #expect(samples(named: "jobs", in: factory.collectSamples()).isEmpty)
        Counter(label: "jobs", factory: factory).increment()
        #expect(samples(named: "jobs", in: factory.collectSamples())[[:]]?.value == 1)
    }

    @Test func destroyingAStaleHandlerKeepsTheNewSeries() {
        let factory = PerfKitMetricsFactory()
        let stale = factory.makeCounter(label: "jobs", dimensions: [])
        factory.destroyCounter(stale)
        let fresh = factory.makeCounter(label: "jobs", dimensions: [])

        factory.destroyCounter(stale)

        #expect(factory.seriesCount == 1)
        #expect(fresh === factory.makeCounter(label: "jobs", dimensions: []))
    }

    // MARK: - Bounds

    @Test func seriesBeyondTheLimitAreDroppedAndCounted() {
        let factory = PerfKitMetricsFactory(maximumSeries: 3, maximumTimers: 1)
        for index in 0..<5 {
            Counter(label: "requests", dimensions: [("id", "\(index)")], factory: factory).increment()
        }
        let timer = factory.makeTimer(label: "late", dimensions: [])

        let collected = factory.collectSamples()
        #expect(samples(named: "requests", in: collected).count == 3)
        #expect(timer === NOOPMetricsHandler.instance)
        #expect(samples(named: "perfkit_metrics_series", in: collected)[[:]]?.value == 3)
        let dropped = samples(named: "perfkit_metrics_dropped_series_total", in: collected)
        #expect(dropped[["reason": "limit"]]?.value == 3)
        #expect(dropped[["reason": "conflict"]]?.value == 0)
    }

    @Test func timersHaveTheirOwnLimit() {
        let factory = PerfKitMetricsFactory(maximumSeries: 10, maximumTimers: 1)
        let first = factory.makeTimer(label: "a", dimensions: [])
        let second = factory.makeTimer(label: "b", dimensions: [])
        factory.destroyTimer(first)
        let third = factory.makeTimer(label: "c", dimensions: [])

        #expect(second === NOOPMetricsHandler.instance)
        #expect(third !== NOOPMetricsHandler.instance)
        #expect(factory.makeCounter(label: "d", dimensions: []) !== NOOPMetricsHandler.instance)
    }

    @Test func aSeriesOfAnotherTypeIsAConflict() {
        let factory = PerfKitMetricsFactory()
        Counter(label: "load", factory: factory).increment()

        let gauge = factory.makeRecorder(label: "load", dimensions: [], aggregate: false)
        let meter = factory.makeMeter(label: "level", dimensions: [])

        #expect(gauge === NOOPMetricsHandler.instance)
        #expect(meter === factory.makeRecorder(label: "level", dimensions: [], aggregate: false))
        let dropped = samples(named: "perfkit_metrics_dropped_series_total", in: factory.collectSamples())
        #expect(dropped[["reason": "conflict"]]?.value == 1)
    }

    // MARK: - Snapshot

    @Test func samplesAppearInTheAgentSnapshot() {
        let factory = PerfKitMetricsFactory()
        let registry = MetricsRegistry()
        registry.register(factory)
        Counter(label: "agent.tool_calls", dimensions: [("tool", "search")], factory: factory).increment(by: 2)
        Timer(label: "agent.step", factory: factory).recordMilliseconds(5)

        let snapshot = registry.snapshot(agent: "test")

        let calls = samples(named: "agent_tool_calls", in: snapshot.samples)
        #expect(calls[["tool": "search"]]?.value == 2)
        #expect(samples(named: "agent_step_seconds_count", in: snapshot.samples)[[:]]?.value == 1)
        #expect(snapshot.samples == factory.collectSamples())
    }

    @Test func concurrentUpdatesAreAllCounted() async {
        let factory = PerfKitMetricsFactory()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<1_000 {
                        Counter(label: "hits", factory: factory).increment()
                        Timer(label: "op", factory: factory).recordNanoseconds(1_000)
                    }
                }
            }
        }

        let collected = factory.collectSamples()
        #expect(samples(named: "hits", in: collected)[[:]]?.value == 4_000)
        #expect(samples(named: "op_seconds_count", in: collected)[[:]]?.value == 4_000)
    }
}
