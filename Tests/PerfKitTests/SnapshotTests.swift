import Foundation
import Testing

@testable import PerfKit

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
                Sample(name: "queue", labels: ["path": "c\\d\ne\"f"], kind: .gauge, value: -0.5),
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
            (error as? SnapshotDecodingError)?.kind == .malformed
        }
    }

    // MARK: - Names

    private func snapshotLine(name: String, labels: [String: String] = [:]) throws -> Data {
        let samples = [
            Sample(name: "cache_hits_total", kind: .counter, value: 1),
            Sample(name: name, labels: labels, kind: .gauge, value: 2),
        ]
        return try Snapshot(agent: "a", pid: 1, timestamp: 0, samples: samples).jsonLine()
    }

    private func reason(decoding line: Data) -> String? {
        do {
            _ = try Snapshot.decode(jsonLine: line)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func refusesASampleWhoseMetricNameIsAFormula() throws {
        // The name an agent's /perftop.json once carried into a CSV export.
        let line = try self.snapshotLine(name: #"=HYPERLINK("http://evil/x","click")"#)
        #expect(
            self.reason(decoding: line)
                == #"malformed snapshot: sample 1: invalid metric name '=HYPERLINK("http://evil…'"#
        )
    }

    @Test func refusesASampleWithAnInvalidLabelNameAndQuotesItSafely() throws {
        let line = try self.snapshotLine(name: "queue_depth", labels: ["ok": "1", "x\u{1B}[2J": "2"])
        #expect(self.reason(decoding: line) == #"malformed snapshot: sample 1: invalid label name 'x\u{1B}[2J'"#)
    }

    @Test(arguments: ["", "1st", "a-b", "a.b", "é", "a b", "a\n"])
    func refusesInvalidMetricNames(name: String) throws {
        let reason = try #require(self.reason(decoding: try self.snapshotLine(name: name)))
        #expect(reason.hasPrefix("malformed snapshot: sample 1: invalid metric name '"))
        #expect(!reason.contains("\n"))
    }

    @Test(arguments: ["", "1st", "a:b", "a-b", "é"])
    func refusesInvalidLabelNames(label: String) throws {
        let reason = try #require(self.reason(decoding: try self.snapshotLine(name: "x", labels: [label: "v"])))
        #expect(reason.hasPrefix("malformed snapshot: sample 1: invalid label name '"))
    }

    @Test func acceptsEveryNameTheRuleAllows() throws {
        let line = try self.snapshotLine(name: ":job:rate_5m", labels: ["_a1": "any \"value\" =x", "Z": ""])
        #expect(try Snapshot.decode(jsonLine: line).samples[1].name == ":job:rate_5m")
    }

    @Test func cutsAndCleansAnAgentSuppliedSchemaInTheReason() {
        let line = #"{"schema":"evil\u001b]0;title\u0007"# + String(repeating: "x", count: 1_000) + #"","version":1}"#
        #expect(
            self.reason(decoding: self.line(line)) == #"not a perftop snapshot (schema 'evil\u{1B}]0;title\u{7}…')"#
        )
    }

    @Test func namesWhereALineIsMalformedWithoutQuotingTheValueThere() {
        let text = """
            {"schema":"perftop.snapshot","version":1,"agent":"a","pid":1,"timestamp":0,\
            "samples":[{"name":"x","labels":{},"kind":"meter\\u001b[2J","value":1}]}
            """
        #expect(self.reason(decoding: self.line(text)) == "malformed snapshot: invalid value at samples.0.kind")
    }

    // MARK: - Reading the JSON

    private static let header = #"{"schema":"perftop.snapshot","version":1,"agent":"a","pid":1,"timestamp":0,"#

    @Test func readsEscapesUnknownKeysAndBlanksAsJSONAllows() throws {
        let text =
            Self.header + """
                 "extra": {"nested": [1, 2.5e3, true, null]},
                  "samples" : [ {"value": 2, "kind": "gauge", "labels": {"path": "a\\/b\\u00e9\\ud83d\\ude00\\t"},
                "name": "x"} ] }\r\n
                """
        let snapshot = try Snapshot.decode(jsonLine: self.line(text))
        #expect(snapshot.samples == [Sample(name: "x", labels: ["path": "a/bé😀\t"], kind: .gauge, value: 2)])
    }

    @Test(arguments: [
        (#""pid":1e2,"samples":[]}"#, "malformed snapshot: invalid value at pid"),
        (#""pid":4294967296,"samples":[]}"#, "malformed snapshot: invalid value at pid"),
        (#""samples":{}}"#, "malformed snapshot: wrong type at samples"),
        (
            #""samples":[{"name":"x","labels":{"a":1},"kind":"gauge","value":1}]}"#,
            "malformed snapshot: wrong type at samples.0.labels.a"
        ),
        (
            #""samples":[{"name":"x","labels":{},"kind":"gauge","value":"1"}]}"#,
            "malformed snapshot: wrong type at samples.0.value"
        ),
        (
            #""samples":[{"name":"x","labels":{},"kind":"gauge","value":null}]}"#,
            "malformed snapshot: null at samples.0.value"
        ),
        (
            #""samples":[{"name":"x","labels":{},"kind":"gauge"}]}"#,
            #"malformed snapshot: missing field 'value' at samples.0"#
        ),
        (#""samples":[1]}"#, "malformed snapshot: wrong type at samples.0"),
    ])
    func namesTheFieldThatIsWrong(rest: String, reason: String) {
        // The header's pid is overridden by a later "pid" key: the last of a repeated key counts.
        #expect(self.reason(decoding: self.line(Self.header + rest)) == reason)
    }

    @Test(arguments: [
        #"{"schema":"perftop.snapshot","version":1,"agent":"\ud800","pid":1,"timestamp":0,"samples":[]}"#,
        #"{"schema":"perftop.snapshot","version":1,"agent":"a","pid":01,"timestamp":0,"samples":[]}"#,
        #"{"schema":"perftop.snapshot","version":1,"agent":"a","pid":1,"timestamp":0,"samples":[]} x"#,
        #"{"schema":"perftop.snapshot","version":1,"agent":"a"# + "\u{7}" + #"","pid":1,"timestamp":0,"samples":[]}"#,
        #"{"schema":"perftop.snapshot","version":1,"x":"# + String(repeating: "[", count: 40)
            + String(repeating: "]", count: 40) + "}",
    ])
    func refusesWhatIsNotJSON(text: String) {
        #expect(self.reason(decoding: self.line(text)) == "malformed snapshot: not a JSON object")
    }

    // MARK: - The fast path

    /// What decoding `text` gives: the snapshot, or the error's description.
    private func outcome(_ text: String, readsSamplesDirectly: Bool) -> Result<Snapshot, Failure> {
        Result {
            try Snapshot.decode(jsonBytes: Array(self.line(text)), readsSamplesDirectly: readsSamplesDirectly)
        }.mapError { Failure(reason: "\($0)") }
    }

    private struct Failure: Error, Equatable {
        var reason: String
    }

    @Test(arguments: [
        #""samples":[{"name":"x","labels":{"a":"1","b":"2"},"kind":"counter","value":1.5e3}]}"#,
        #""samples":[ { "name" : "x" , "labels" : { } , "kind" : "gauge" , "value" : -0.25 } ] }"#,
        #""samples":[{"value":"+Inf","kind":"gauge","labels":{},"name":"x"},{"name":"y","labels":{},"kind":"gauge","value":"-Inf"}]}"#,
        #""samples":[{"name":"x","labels":{},"kind":"gauge","value":1,"extra":true}]}"#,
        #""samples":[{"name":"x","name":"y","labels":{},"kind":"gauge","value":1}]}"#,
        #""samples":[{"name":"x","labels":{"a":"1","a":"2"},"kind":"gauge","value":1}]}"#,
        #""samples":[{"name":"x","labels":{},"kind":"gauge","value":"1"}]}"#,
        #""samples":[{"name":"x","labels":{},"kind":"meter","value":1}]}"#,
        #""samples":[{"name":"x","labels":{},"kind":"gauge","value":null}]}"#,
        #""samples":[{"name":"1x","labels":{},"kind":"gauge","value":1}]}"#,
        #""samples":[{"name":"x\u0041","labels":{"p":"a\/b"},"kind":"gauge","value":1}]}"#,
        #""samples":[{"name":"x","labels":{},"kind":"gauge","value":1}],"samples":[1]}"#,
        #""samples":[1],"samples":[{"name":"x","labels":{},"kind":"gauge","value":1}]}"#,
        #""samples":[{"name":"x","labels":{},"kind":"gauge","value":01}]}"#,
        #""samples":[{"name":"x","labels":{},"kind":"gauge","value":1},]}"#,
        #""samples":[]}"#,
        #""samples":[{}]}"#,
    ])
    func readsSamplesStraightFromTheLineAsThroughItsValues(rest: String) {
        let text = Self.header + rest
        #expect(self.outcome(text, readsSamplesDirectly: true) == self.outcome(text, readsSamplesDirectly: false))
    }

    @Test(arguments: [
        "0", "-0", "7", "-42", "123456789012345", "-999999999999999", "1234567890123456",
        "9007199254740993", "12345678901234567890123", "1.5", "-0.25", "1e3", "2E-2", "0.1",
    ])
    func readsAValueAsDoubleReadsItsText(number: String) throws {
        let text = Self.header + #""samples":[{"name":"x","labels":{},"kind":"gauge","value":"# + number + "}]}"
        let value = try #require(try Snapshot.decode(jsonLine: self.line(text)).samples.first?.value)
        #expect(value.bitPattern == Double(number)?.bitPattern)
    }

    @Test func aLineAsJSONLineWritesItTakesTheFastPathAndAnUnknownFieldDoesNot() throws {
        let samples = [
            Sample(name: "cache_hits_total", labels: ["cache": "users"], kind: .counter, value: 12),
            Sample(name: "queue_depth", kind: .gauge, value: -.infinity),
        ]
        let line = try Snapshot(agent: "a", pid: 1, timestamp: 2.5, samples: samples).jsonLine()
        #expect(try SnapshotReader.valueAndSamples(of: Array(line)).1 == samples)

        let extra = Array(
            (Self.header + #""samples":[{"name":"x","labels":{},"kind":"gauge","value":1,"unit":"s"}]}"#).utf8
        )
        #expect(try SnapshotReader.valueAndSamples(of: extra).1 == nil)
    }

    @Test func readsTheDocumentedLinesTheSameWayOnBothPaths() throws {
        let samples = [
            Sample(name: "cache_hits_total", labels: ["cache": "users"], kind: .counter, value: 12),
            Sample(name: "queue_depth", kind: .gauge, value: .infinity),
            Sample(name: "op_seconds", labels: ["op": "a\"b\n", "quantile": "0.95"], kind: .summary, value: 0.001),
        ]
        let line = try Snapshot(agent: "a", pid: 1, timestamp: 2.5, samples: samples).jsonLine()
        let text = String(decoding: line, as: UTF8.self)
        #expect(self.outcome(text, readsSamplesDirectly: true) == self.outcome(text, readsSamplesDirectly: false))
        #expect(try Snapshot.decode(jsonLine: line).samples == samples)
    }

    // MARK: - The previous line's identities

    /// What decoding `text` gives after a line that left `identities`, and the identities it leaves.
    private func outcome(
        _ text: String,
        after identities: SnapshotIdentities
    ) -> (Result<Snapshot, Failure>, SnapshotIdentities) {
        var identities = identities
        let result = Result {
            try Snapshot.decode(jsonBytes: Array(text.utf8), identities: &identities)
        }.mapError { Failure(reason: "\($0)") }
        return (result, identities)
    }

    /// What `identities` hold, comparably: each entry's bytes up to its value and what they read as.
    private func kept(_ identities: SnapshotIdentities) -> [String] {
        identities.entries.map { entry in
            guard let entry else {
                return "none"
            }
            let bytes = String(decoding: identities.prefixes[entry.prefix], as: UTF8.self)
            return "\(bytes) \(entry.name) \(entry.labels.sorted { $0.key < $1.key }) \(entry.kind)"
        }
    }

    /// A decoded snapshot as the line it writes (NaN equal to itself), or the reason it failed.
    private func written(_ result: Result<Snapshot, Failure>) -> String {
        switch result {
        case .success(let snapshot): (try? snapshot.jsonLine()).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        case .failure(let failure): "error: \(failure.reason)"
        }
    }

    private static let repeated =
        #"{"kind":"counter","labels":{"cache":"users"},"name":"cache_hits_total","value":"#

    @Test(arguments: [
        // The same samples with new values, a value as a string, an infinity.
        #""samples":[REPEATED 7},{"kind":"gauge","labels":{},"name":"q","value":2}]}"#,
        #""samples":[REPEATED "NaN" },{"kind":"gauge","labels":{},"name":"q","value":"-Inf"}]}"#,
        // After the repeated bytes: a member the fast path refuses, a bad number, no brace, a null.
        #""samples":[REPEATED 7,"unit":"s"},{"kind":"gauge","labels":{},"name":"q","value":2}]}"#,
        #""samples":[REPEATED 07},{"kind":"gauge","labels":{},"name":"q","value":2}]}"#,
        #""samples":[REPEATED 7,{"kind":"gauge","labels":{},"name":"q","value":2}]}"#,
        #""samples":[REPEATED null},{"kind":"gauge","labels":{},"name":"q","value":2}]}"#,
        #""samples":[REPEATED "1"},{"kind":"gauge","labels":{},"name":"q","value":2}]}"#,
        // A sample inserted before, samples swapped, one with other labels, other spacing.
        #""samples":[{"kind":"gauge","labels":{},"name":"new","value":1},REPEATED 7}]}"#,
        #""samples":[{"kind":"gauge","labels":{},"name":"q","value":2},REPEATED 7}]}"#,
        #""samples":[{"kind":"counter","labels":{"cache":"orders"},"name":"cache_hits_total","value":1}]}"#,
        #""samples":[ REPEATED 7 } ]}"#,
        // The repeated bytes cut short by the end of the line, and a second samples member.
        #""samples":[{"kind":"counter","labels":{"cache":"users"},"name":"cache_hits_total""#,
        #""samples":[1],"samples":[REPEATED 3}]}"#,
        #""samples":[REPEATED 3}],"samples":[{"name":"1x","labels":{},"kind":"gauge","value":1}]}"#,
    ])
    func readsALineAfterItsPredecessorAsItReadsItAlone(rest: String) throws {
        let previous = Self.header + #""samples":[REPEATED 5},{"kind":"gauge","labels":{},"name":"q","value":1}]}"#
        let (first, identities) = self.outcome(previous.replacing("REPEATED ", with: Self.repeated), after: .init())
        #expect(throws: Never.self) { try first.get() }
        #expect(identities.entries.count == 2)

        let text = Self.header + rest.replacing("REPEATED ", with: Self.repeated)
        let (result, _) = self.outcome(text, after: identities)
        let (alone, _) = self.outcome(text, after: .init())
        #expect(self.written(result) == self.written(alone), "\(rest)")
    }

    @Test func keepsTheIdentitiesOfTheLastLineThatDecoded() throws {
        let samples = [
            Sample(name: "cache_hits_total", labels: ["cache": "users"], kind: .counter, value: 12),
            Sample(name: "queue_depth", kind: .gauge, value: 3),
        ]
        let line = try Snapshot(agent: "a", pid: 1, timestamp: 2.5, samples: samples).jsonLine()
        let (decoded, identities) = self.outcome(String(decoding: line, as: UTF8.self), after: .init())
        #expect(try decoded.get().samples == samples)
        #expect(identities.entries.map { $0?.name } == ["cache_hits_total", "queue_depth"])

        // A line that fails leaves them as they were; one read through its values (an unknown
        // member) keeps none.
        let (failed, afterFailure) = self.outcome(Self.header + #""samples":[{"name":"1x"}]}"#, after: identities)
        #expect(throws: Failure.self) { try failed.get() }
        #expect(afterFailure.entries.count == 2)
        let unknown = Self.header + #""samples":[{"name":"x","labels":{},"kind":"gauge","value":1,"unit":"s"}]}"#
        let (slow, afterSlow) = self.outcome(unknown, after: identities)
        #expect(try slow.get().samples.count == 1)
        #expect(afterSlow.entries.isEmpty)
    }

    @Test func readsAnyChangeToALineAsItReadsTheChangedLineAlone() throws {
        var generator = SplitMix64(seed: 0x1DE_7171E5)
        let samples = (0..<6).map { (index: Int) -> Sample in
            Sample(
                name: "metric_\(index % 3)",
                labels: index % 2 == 0 ? ["cache": "c\(index)"] : [:],
                kind: index % 3 == 0 ? .counter : .gauge,
                value: Double(index) * 1.5
            )
        }
        let base = Array(try Snapshot(agent: "a", pid: 1, timestamp: 0, samples: samples).jsonLine())
        let (_, identities) = self.outcome(String(decoding: base, as: UTF8.self), after: .init())
        #expect(identities.entries.compactMap { $0 }.count == samples.count)
        let alphabet = Array(#"{}[]",:0123456789.-eE nNaIf"#.utf8)
        for _ in 0..<2_000 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                let byte = alphabet.randomElement(using: &generator)!
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[index] = byte
                case 1: bytes.insert(byte, at: index)
                default: bytes.remove(at: index)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let (result, left) = self.outcome(text, after: identities)
            let (alone, leftAlone) = self.outcome(text, after: .init())
            #expect(self.written(result) == self.written(alone), "\(text)")
            if case .success = alone {
                #expect(self.kept(left) == self.kept(leftAlone), "\(text)")
            }
        }
    }

    @Test func aLineThatRepeatsEverySampleKeepsThePreviousIdentities() throws {
        let samples = [
            Sample(name: "cache_hits_total", labels: ["cache": "users"], kind: .counter, value: 12),
            Sample(name: "queue_depth", kind: .gauge, value: 3),
            Sample(name: "op_seconds", labels: ["op": "get", "quantile": "0.95"], kind: .summary, value: 0.5),
        ]
        let line = { (values: [Double]) in
            let changed = zip(samples, values).map { sample, value in
                Sample(name: sample.name, labels: sample.labels, kind: sample.kind, value: value)
            }
            return String(
                decoding: try Snapshot(agent: "a", pid: 1, timestamp: 0, samples: changed).jsonLine(),
                as: UTF8.self
            )
        }
        let (_, first) = self.outcome(try line([12, 3, 0.5]), after: .init())
        let next = try line([13, 40, 0.25])
        let (result, second) = self.outcome(next, after: first)
        let (alone, secondAlone) = self.outcome(next, after: .init())
        #expect(self.written(result) == self.written(alone))
        #expect(self.kept(second) == self.kept(secondAlone))
        // Not copied again: the same bytes, shared.
        let sameBytes = first.prefixes.withUnsafeBufferPointer { old in
            second.prefixes.withUnsafeBufferPointer { new in old.baseAddress == new.baseAddress }
        }
        #expect(sameBytes)

        // A line with one sample fewer, or one changed, keeps identities of its own, as read alone.
        for text in [
            Self.header + #""samples":["# + Self.repeated + "1}]}",
            try line([1, 2, 3]).replacing(#""name":"queue_depth""#, with: #""name":"queue_size""#),
        ] {
            let (result, left) = self.outcome(text, after: second)
            let (alone, leftAlone) = self.outcome(text, after: .init())
            #expect(self.written(result) == self.written(alone), "\(text)")
            #expect(self.kept(left) == self.kept(leftAlone), "\(text)")
        }
    }

    @Test func refusesInvalidUTF8() {
        var bytes = Array(#"{"schema":"perftop.snapshot","version":1,"agent":"#.utf8)
        bytes += [UInt8(ascii: "\""), 0xC3, 0x28, UInt8(ascii: "\""), UInt8(ascii: "}")]
        #expect(self.reason(decoding: Data(bytes)) == "malformed snapshot: not a JSON object")
    }
}
