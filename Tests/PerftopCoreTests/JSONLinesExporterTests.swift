import Foundation
import PerfKit
import Testing

@testable import PerftopCore

@Suite("JSONLinesExporter")
struct JSONLinesExporterTests {
    private func round(_ samples: [Sample], model: DashboardModel = DashboardModel(timestamp: 0, interval: 1))
        -> Collector.Round
    {
        Collector.Round(
            time: 1_795_000_000.5,
            results: [
                Poller.Result(source: "agent", samples: samples, failure: nil),
                Poller.Result(source: "down", samples: nil, failure: "connection refused"),
            ],
            model: model
        )
    }

    @Test("one object per sample, keys in a fixed order, labels as an object with sorted keys")
    func keyOrder() {
        let samples = [
            Sample(name: "cache_hits_total", labels: ["cache": "users", "tier": "disk"], kind: .counter, value: 3),
            Sample(name: "node_load1", kind: .gauge, value: 0.5),
        ]
        let lines = JSONLinesExporter().rows(for: self.round(samples)).split(separator: "\n")
        #expect(
            lines == [
                #"{"timestamp":"2026-11-18T11:06:40.500Z","source":"agent","metric":"cache_hits_total","type":"counter","labels":{"cache":"users","tier":"disk"},"value":3}"#,
                #"{"timestamp":"2026-11-18T11:06:40.500Z","source":"agent","metric":"node_load1","type":"gauge","labels":{},"value":0.5}"#,
            ]
        )
    }

    @Test("derived series follow the raw samples")
    func derived() {
        var model = DashboardModel(timestamp: 0, interval: 1)
        model.caches = [CacheView(source: "agent", name: "users", hitRate: 0.75)]
        let text = JSONLinesExporter().rows(for: self.round([Sample(name: "up", kind: .gauge, value: 1)], model: model))
        let metrics = text.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["metric"] as? String
        }
        #expect(metrics == ["up", "perftop_cache_hit_ratio"])
    }

    @Test("quotes, backslashes, line breaks and control characters are escaped; every line parses")
    func escaping() throws {
        let label = "a \"b\" \\ c\nd\u{1}é"
        let text = JSONLinesExporter().rows(
            for: self.round([Sample(name: "x", labels: ["l": label], kind: .gauge, value: 1)])
        )
        #expect(text.contains(#""l":"a \"b\" \\ c\nd\u0001é""#))
        #expect(text.hasSuffix("}\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((object["labels"] as? [String: String])?["l"] == label)
    }

    @Test(
        "values: JSON numbers, and NaN and infinities as Prometheus strings",
        arguments: [
            (42.0, "42"), (0.25, "0.25"), (-3, "-3"), (.nan, #""NaN""#), (.infinity, #""+Inf""#),
            (-.infinity, #""-Inf""#),
        ]
    )
    func values(value: Double, expected: String) {
        #expect(JSONLinesExporter.value(value) == expected)
    }

    @Test("no header, and a failed source writes nothing")
    func headerAndFailures() {
        #expect(JSONLinesExporter().header.isEmpty)
        #expect(JSONLinesExporter().rows(for: self.round([])).isEmpty)
    }

    @Test("DEL, C1, bidi and format characters are escaped, and a JSON reader gets the text back exactly")
    func unsafeScalars() throws {
        let value = "a\u{7F}b\u{9B}c\u{202E}d\u{2066}e\u{E0001}f\u{1B}g🔴"
        let literal = JSONLinesExporter.string(value)
        #expect(literal == "\"a\\u007fb\\u009bc\\u202ed\\u2066e\\udb40\\udc01f\\u001bg🔴\"")
        #expect(!literal.unicodeScalars.contains(where: SafeText.isUnsafe))
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
        #expect(decoded == [value])
    }

    @Test("an encoder's pretty JSON keeps its layout and loses its unsafe scalars")
    func encodedReports() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        let text = String(decoding: try encoder.encode(["name": "x\u{9B}y\u{202E}"]), as: UTF8.self)
        let escaped = JSONLinesExporter.escapingUnsafeScalars(text)
        #expect(escaped.contains("\n"))
        #expect(!escaped.unicodeScalars.contains { $0.value >= 0x20 && SafeText.isUnsafe($0) })
        let decoded = try JSONSerialization.jsonObject(with: Data(escaped.utf8)) as? [String: String]
        #expect(decoded == ["name": "x\u{9B}y\u{202E}"])
    }
}
