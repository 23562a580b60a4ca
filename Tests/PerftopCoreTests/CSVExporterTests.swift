import Foundation
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

    @Test(
        "text from outside never reaches a cell as a control sequence or a formula",
        arguments: [
            ("\u{1B}]52;c;cm0gLXJmIH4=\u{7}", "\\u{1B}]52;c;cm0gLXJmIH4=\\u{7}"),
            ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "\\u{9}x"),
            ("a\u{9B}b\u{202E}c", "a\\u{9B}b\\u{202E}c"),
            ("users", "users"),
        ]
    )
    func textFields(field: String, expected: String) {
        #expect(CSVExporter.text(field) == expected)
    }

    @Test("a round with a hostile label and metric name writes neither raw")
    func hostileRound() {
        let samples = [
            Sample(name: "=HYPERLINK(\"x\")", kind: .gauge, value: -3),
            Sample(name: "m", labels: ["l": "\u{1B}]52;c;eA==\u{7}\u{9B}"], kind: .gauge, value: 1),
        ]
        let round = Collector.Round(
            time: 0,
            results: [Poller.Result(source: "@agent", samples: samples, failure: nil)],
            model: DashboardModel(timestamp: 0, interval: 1)
        )
        let rows = CSVExporter().rows(for: round)
        #expect(!rows.unicodeScalars.contains { $0 != "\n" && SafeText.isUnsafe($0) })
        let lines = rows.split(separator: "\n")
        #expect(lines.first?.hasSuffix(",'@agent,\"'=HYPERLINK(\"\"x\"\")\",,-3") == true, "\(lines)")
        #expect(lines.dropFirst().first?.contains("\\u{1B}]52;c;eA==\\u{7}\\u{9B}") == true)
    }

    @Test("numbers: integers without a fraction, Prometheus spellings for NaN and infinities")
    func numbers() {
        #expect(ExportText.number(42) == "42")
        #expect(ExportText.number(-3) == "-3")
        #expect(ExportText.number(0.25) == "0.25")
        #expect(ExportText.number(.nan) == "NaN")
        #expect(ExportText.number(.infinity) == "+Inf")
        #expect(ExportText.number(-.infinity) == "-Inf")
    }

    @Test("timestamps are ISO 8601 UTC with milliseconds")
    func timestamps() {
        #expect(ExportText.timestamp(0) == "1970-01-01T00:00:00.000Z")
        #expect(ExportText.timestamp(1_795_000_000.5) == "2026-11-18T11:06:40.500Z")
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
                Poller.Result(source: "agent", samples: samples, failure: nil),
                Poller.Result(source: "down", samples: nil, failure: "connection refused"),
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
