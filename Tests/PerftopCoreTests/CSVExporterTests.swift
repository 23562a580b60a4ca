import PerfKit
import Testing

@testable import PerftopCore

@Suite("CSVExporter")
struct CSVExporterTests {
    @Test(
        "fields with commas, quotes or line breaks are quoted per RFC 4180",
        arguments: [
            ("plain", "plain"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("", ""),
        ]
    )
    func quoting(field: String, expected: String) {
        #expect(CSVExporter.quoted(field) == expected)
    }

    @Test("numbers: integers without a fraction, Prometheus spellings for NaN and infinities")
    func numbers() {
        #expect(CSVExporter.number(42) == "42")
        #expect(CSVExporter.number(-3) == "-3")
        #expect(CSVExporter.number(0.25) == "0.25")
        #expect(CSVExporter.number(.nan) == "NaN")
        #expect(CSVExporter.number(.infinity) == "+Inf")
        #expect(CSVExporter.number(-.infinity) == "-Inf")
    }

    @Test("timestamps are ISO 8601 UTC with milliseconds")
    func timestamps() {
        #expect(CSVExporter.timestamp(0) == "1970-01-01T00:00:00.000Z")
        #expect(CSVExporter.timestamp(1_795_000_000.5) == "2026-11-18T11:06:40.500Z")
    }

    @Test("a round writes raw samples, then derived series, one row each")
    func roundRows() {
        let samples = [
            Sample(name: "cache_hits_total", labels: ["cache": "a,b"], kind: .counter, value: 3),
            Sample(name: "node_load1", kind: .gauge, value: 0.5),
        ]
        var model = DashboardModel(timestamp: 0, interval: 1)
        model.caches = [CacheView(source: "agent", name: "a,b", hitRate: 0.75)]
        let round = Collector.Round(
            time: 0,
            results: [
                Collector.FeedResult(source: "agent", samples: samples, failure: nil),
                Collector.FeedResult(source: "down", samples: nil, failure: "connection refused"),
            ],
            model: model
        )
        let rows = CSVExporter().rows(for: round).split(separator: "\n")
        #expect(
            rows == [
                #"1970-01-01T00:00:00.000Z,agent,cache_hits_total,"{cache=""a,b""}",3"#,
                "1970-01-01T00:00:00.000Z,agent,node_load1,,0.5",
                #"1970-01-01T00:00:00.000Z,agent,perftop_cache_hit_ratio,"{cache=""a,b""}",0.75"#,
            ]
        )
    }
}
