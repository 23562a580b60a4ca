import PerfKit
import Testing

@testable import PerftopCore

@Suite("BindableSeries")
struct BindableSeriesTests {
    @Test("a summary or histogram is one entry by its base name; a series in several sources gets one per source")
    func catalog() {
        var store = SeriesStore(retention: 5)
        let agent: [Sample] = [
            Sample(name: "operation_seconds", labels: ["op": "lookup", "quantile": "0.5"], kind: .summary, value: 1),
            Sample(name: "operation_seconds", labels: ["op": "lookup", "quantile": "0.95"], kind: .summary, value: 2),
            Sample(name: "operation_seconds_sum", labels: ["op": "lookup"], kind: .summary, value: 10),
            Sample(name: "operation_seconds_count", labels: ["op": "lookup"], kind: .summary, value: 5),
            Sample(name: "http_seconds_bucket", labels: ["le": "0.1"], kind: .histogram, value: 3),
            Sample(name: "http_seconds_bucket", labels: ["le": "+Inf"], kind: .histogram, value: 4),
            Sample(
                name: "http_seconds",
                labels: ["quantile": "0.95", "estimate": "buckets"],
                kind: .summary,
                value: 0.09
            ),
            Sample(name: "cache_hits_total", labels: ["cache": "users"], kind: .counter, value: 7),
            Sample(name: "process_resident_memory_bytes", kind: .gauge, value: 1e6),
        ]
        store.record(source: "agent", samples: agent, at: 1)
        store.record(
            source: "proc",
            samples: [Sample(name: "process_resident_memory_bytes", kind: .gauge, value: 2e6)],
            at: 1
        )
        let catalog = BindableSeries.catalog(of: store)
        #expect(
            catalog.map { "\($0.selector) \($0.kind)" } == [
                #"cache_hits_total{cache="users"} counter"#,
                "http_seconds histogram",
                #"operation_seconds{op="lookup"} summary"#,
                #"process_resident_memory_bytes{source="agent"} gauge"#,
                #"process_resident_memory_bytes{source="proc"} gauge"#,
            ]
        )
    }

    @Test("the statistics offered, the default first: p95, hit ratio, rate, current")
    func statistics() throws {
        let hits = try MetricSelector(parsing: #"cache_hits_total{cache="users"}"#)
        let tasks = try MetricSelector(parsing: "processor_tasks_total")
        #expect(BindableSeries(selector: hits, kind: .counter).statistics == [.hitRatio, .rate, .current])
        #expect(BindableSeries(selector: tasks, kind: .counter).statistics.first == .rate)
        #expect(BindableSeries(selector: tasks, kind: .summary).statistics.first == .p95)
        #expect(BindableSeries(selector: tasks, kind: .histogram).statistics.first == .p95)
        #expect(BindableSeries(selector: tasks, kind: .gauge).statistics.first == .current)
        #expect(BindableSeries(selector: tasks, kind: .untyped).statistics.first == .current)
    }

    @Test("the catalog is bounded")
    func bounded() {
        var store = SeriesStore(retention: 2, maximumSeriesPerSource: 3_000)
        let samples = (0..<2_500).map { Sample(name: "g", labels: ["i": "\($0)"], kind: .gauge, value: 1) }
        store.record(source: "a", samples: samples, at: 1)
        #expect(BindableSeries.catalog(of: store).count == BindableSeries.maximumCount)
    }
}
