import Foundation
import PerfKit
import Testing

@testable import PerftopCore

@Suite struct JSONMetricsFlattenerTests {
    private static func flatten(_ json: String, _ flattener: JSONMetricsFlattener = .init()) throws -> [Sample] {
        try flattener.flatten(Data(json.utf8))
    }

    private static func error(flattening json: String, _ flattener: JSONMetricsFlattener = .init()) -> String? {
        do {
            _ = try flattener.flatten(Data(json.utf8))
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func flattensNumericLeavesToSanitisedDottedPaths() throws {
        let samples = try Self.flatten(
            #"{"requests":{"served":19234,"in-flight":3,"by code":{"200":19001}},"name":"api","ok":true,"off":false,"none":null,"lat":[0.5,1.5],"2xx":7}"#
        )
        #expect(
            samples.map { "\($0.name)=\($0.value)" } == [
                "_2xx=7.0", "lat_0=0.5", "lat_1=1.5", "off=0.0", "ok=1.0", "requests_by_code_200=19001.0",
                "requests_in_flight=3.0", "requests_served=19234.0",
            ]
        )
        #expect(samples.allSatisfy { $0.kind == .untyped && $0.labels.isEmpty })
    }

    @Test(arguments: [
        (["a", "b"], "a_b"), (["memstats", "PauseNs", "3"], "memstats_PauseNs_3"), (["0"], "_0"), ([], "value"),
        (["é-x", "y:z"], "__x_y:z"), ([""], "_"),
    ])
    func namesPaths(path: [String], expected: String) {
        #expect(JSONMetricsFlattener.metricName(path: path) == expected)
    }

    @Test func readsABareNumberAndIgnoresABareString() throws {
        #expect(try Self.flatten("42") == [Sample(name: "value", kind: .untyped, value: 42)])
        #expect(try Self.flatten(#""hello""#) == [])
    }

    @Test func keepsTheFirstOfTwoPathsWithTheSameName() throws {
        let samples = try Self.flatten(#"{"a.b":1,"a_b":2}"#)
        #expect(samples == [Sample(name: "a_b", kind: .untyped, value: 1)])
    }

    @Test func mapsGoExpvarMemstatsToTheChurnConventions() throws {
        let url = try #require(
            Bundle.module.url(forResource: "expvar", withExtension: "json", subdirectory: "Fixtures/http")
        )
        let samples = try JSONMetricsFlattener().flatten(try Data(contentsOf: url))
        let mapped = Dictionary(uniqueKeysWithValues: samples.filter { $0.kind != .untyped }.map { ($0.name, $0) })
        #expect(mapped["allocs_total"] == Sample(name: "allocs_total", kind: .counter, value: 11_826_441))
        #expect(mapped["frees_total"] == Sample(name: "frees_total", kind: .counter, value: 11_794_377))
        #expect(mapped["alloc_bytes_total"] == Sample(name: "alloc_bytes_total", kind: .counter, value: 982_377_104))
        #expect(
            mapped["process_heap_in_use_bytes"]
                == Sample(name: "process_heap_in_use_bytes", kind: .gauge, value: 7_241_872)
        )
        #expect(mapped["gc_collections_total"] == Sample(name: "gc_collections_total", kind: .counter, value: 291))
        #expect(mapped["gc_pause_seconds_total"]?.kind == .counter)
        #expect(abs((mapped["gc_pause_seconds_total"]?.value ?? 0) - 0.048211507) < 1e-15)
        #expect(mapped.count == 6)
        #expect(samples.contains(Sample(name: "memstats_BySize_1_Mallocs", kind: .untyped, value: 1_023_351)))
        #expect(samples.contains(Sample(name: "memstats_EnableGC", kind: .untyped, value: 1)))
        #expect(samples.contains(Sample(name: "requests_by_code_404", kind: .untyped, value: 233)))
        #expect(!samples.contains { $0.name.hasPrefix("cmdline") })
    }

    @Test func refusesInvalidJSON() {
        #expect(Self.error(flattening: #"{"a": 1,"#) == "invalid JSON")
        #expect(Self.error(flattening: "") == "invalid JSON")
    }

    @Test func boundsTheNumberOfSamples() throws {
        let json = "[" + (0..<11).map(String.init).joined(separator: ",") + "]"
        #expect(Self.error(flattening: json, JSONMetricsFlattener(maximumSamples: 10)) == "more than 10 numeric values")
        #expect(try Self.flatten(json, JSONMetricsFlattener(maximumSamples: 11)).count == 11)
    }

    @Test func boundsTheDepth() throws {
        let json = String(repeating: "[", count: 5) + "1" + String(repeating: "]", count: 5)
        #expect(Self.error(flattening: json, JSONMetricsFlattener(maximumDepth: 4)) == "nesting deeper than 4 levels")
        #expect(try Self.flatten(json, JSONMetricsFlattener(maximumDepth: 5)).map(\.name) == ["_0_0_0_0_0"])
    }

    @Test func appliesTheLimitsWhileReading() {
        // Both documents are cut short: the limit must fail them before the reader reaches the end.
        let wide = "[" + (0..<11).map(String.init).joined(separator: ",") + ","
        #expect(Self.error(flattening: wide, JSONMetricsFlattener(maximumSamples: 10)) == "more than 10 numeric values")
        let deep = String(repeating: "[", count: 100_000)
        #expect(Self.error(flattening: deep, JSONMetricsFlattener(maximumDepth: 32)) == "nesting deeper than 32 levels")
    }

    @Test func countsNeitherStringsNorNullsNorEmptyContainersAgainstTheLimit() throws {
        let json = #"{"a":"x","b":null,"c":{},"d":[],"e":[[],{}],"f":1}"#
        #expect(try Self.flatten(json, JSONMetricsFlattener(maximumSamples: 1)).map(\.name) == ["f"])
    }

    @Test func readsEscapesAndSurrogatePairsInKeys() throws {
        let samples = try Self.flatten(#"{"a\u0062\n":1,"\ud83d\ude00x":2,"q\"\\\/":3}"#)
        #expect(samples.map(\.name) == ["ab_", "q___", "_x"])
    }

    @Test func keepsTheFirstOfARepeatedKey() throws {
        #expect(try Self.flatten(#"{"a":1,"b":2,"a":3}"#).map(\.value) == [1, 2])
        #expect(try Self.flatten(#"{"a":[1,2],"a":[3,4,5]}"#).map(\.value) == [1, 2])
    }

    @Test func readsNumbersAsRFC8259WritesThem() throws {
        let json = #"[0,-0,12,-3.5,1e3,2E-2,1.5e+2,123456789012345678,0.1]"#
        let long = try #require(Double("123456789012345678"))
        #expect(try Self.flatten(json).map(\.value) == [0, 0, 12, -3.5, 1000, 0.02, 150, long, 0.1])
    }

    @Test(arguments: [
        "01", "1.", ".5", "-", "+1", "1e", "1e400", "NaN", "Infinity", "0x10", "[1,]", "{\"a\":1,}", "[1 2]",
        "{\"a\" 1}", "{a:1}", "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"",
        "\"\\ud800\\u0041\"", "\"a\u{01}b\"", "1 2", "[1]]",
    ])
    func refusesWhatRFC8259Does(json: String) {
        #expect(Self.error(flattening: json) == "invalid JSON")
    }

    @Test func refusesInvalidUTF8AndSkipsAByteOrderMark() throws {
        #expect(throws: JSONFlatteningError("invalid JSON")) {
            try JSONMetricsFlattener().flatten(Data([0x22, 0xC3, 0x28, 0x22]))
        }
        #expect(try JSONMetricsFlattener().flatten(Data([0xEF, 0xBB, 0xBF] + Array("7".utf8))).map(\.value) == [7])
    }
}
