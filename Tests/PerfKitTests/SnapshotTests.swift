import Foundation
import PerfKit
import Testing

@Suite struct SnapshotTests {
    private func line(_ text: String) -> Data {
        Data(text.utf8)
    }

    @Test func roundTripsThroughOneJSONLine() throws {
        let snapshot = Snapshot(
            agent: "demo",
            pid: 4242,
            timestamp: 1_700_000_000.25,
            samples: [
                Sample(name: "cache_hits_total", labels: ["cache": "users"], kind: .counter, value: 12),
                Sample(name: "queue", labels: ["a\"b": "c\\d\ne"], kind: .gauge, value: -0.5),
                Sample(name: "latency_seconds", labels: ["quantile": "0.95"], kind: .summary, value: 0.002),
                Sample(name: "latency_bucket", labels: ["le": "+Inf"], kind: .histogram, value: 9),
                Sample(name: "mystery", kind: .untyped, value: 1e300),
            ]
        )

        let data = try snapshot.jsonLine()

        #expect(!data.contains(UInt8(ascii: "\n")))
        #expect(try Snapshot.decode(jsonLine: data) == snapshot)
    }

    @Test func writesNaNAndInfinitiesAsStringsAndReadsThemBack() throws {
        let snapshot = Snapshot(
            agent: "a",
            pid: 1,
            timestamp: 0,
            samples: [
                Sample(name: "nan", kind: .gauge, value: .nan),
                Sample(name: "pos", kind: .gauge, value: .infinity),
                Sample(name: "neg", kind: .gauge, value: -.infinity),
            ]
        )

        let data = try snapshot.jsonLine()
        let text = String(decoding: data, as: UTF8.self)
        let decoded = try Snapshot.decode(jsonLine: data)

        #expect(text.contains(#""value":"NaN""#))
        #expect(text.contains(#""value":"+Inf""#))
        #expect(text.contains(#""value":"-Inf""#))
        #expect(decoded.samples.count == 3)
        #expect(decoded.samples[0].value.isNaN)
        #expect(decoded.samples[1].value == .infinity)
        #expect(decoded.samples[2].value == -.infinity)
    }

    @Test func readsALineFromTheDocumentedPythonAgent() throws {
        // Output of the minimal agent in docs/protocol.md (one sample left out): unsorted keys, NaN as a string.
        let text = """
            {"schema":"perftop.snapshot","version":1,"agent":"pyagent","pid":22690,"timestamp":1795450754.3089323,\
            "samples":[{"name":"cache_hits_total","labels":{"cache":"users"},"kind":"counter","value":0},\
            {"name":"queue_latency_seconds","labels":{"quantile":"0.95"},"kind":"summary","value":"NaN"}]}
            """
        let snapshot = try Snapshot.decode(jsonLine: self.line(text))
        #expect(snapshot.agent == "pyagent")
        #expect(snapshot.pid == 22690)
        #expect(snapshot.samples.count == 2)
        #expect(
            snapshot.samples[0]
                == Sample(name: "cache_hits_total", labels: ["cache": "users"], kind: .counter, value: 0)
        )
        #expect(snapshot.samples[1].kind == .summary)
        #expect(snapshot.samples[1].value.isNaN)
    }

    @Test func refusesAnotherSchema() {
        let text = #"{"schema":"perftop.error","version":1,"error":"nope"}"#
        #expect(throws: SnapshotDecodingError.wrongSchema("perftop.error")) {
            try Snapshot.decode(jsonLine: self.line(text))
        }
    }

    @Test func refusesAnUnknownVersion() {
        let text = #"{"schema":"perftop.snapshot","version":2,"agent":"a","pid":1,"timestamp":0,"samples":[]}"#
        #expect(throws: SnapshotDecodingError.unsupportedVersion(2)) {
            try Snapshot.decode(jsonLine: self.line(text))
        }
    }

    @Test(
        arguments: [
            "not json",
            "[1,2]",
            #"{"version":1}"#,
            #"{"schema":"perftop.snapshot"}"#,
            #"{"schema":"perftop.snapshot","version":1,"agent":"a","pid":1,"timestamp":0}"#,
            #"{"schema":"perftop.snapshot","version":1,"agent":"a","pid":"x","timestamp":0,"samples":[]}"#,
            #"{"schema":"perftop.snapshot","version":1,"agent":"a","pid":1,"timestamp":0,"samples":[{"name":"x"}]}"#,
            #"{"schema":"perftop.snapshot","version":1,"agent":"a","pid":1,"timestamp":0,"samples":[{"name":"x","labels":{},"kind":"meter","value":1}]}"#,
        ]
    )
    func refusesMalformedLines(text: String) {
        #expect {
            try Snapshot.decode(jsonLine: self.line(text))
        } throws: { error in
            guard case SnapshotDecodingError.malformed = error else {
                return false
            }
            return true
        }
    }
}
