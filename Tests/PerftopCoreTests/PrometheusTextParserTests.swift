import Foundation
import PerfKit
import Testing

@testable import PerftopCore

@Suite struct PrometheusTextParserTests {
    /// The text of `Fixtures/http/NAME`.
    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/http"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    private static func parse(_ text: String, budget: PrometheusTextParser.Budget = .init()) throws -> [Sample] {
        try PrometheusTextParser(budget: budget).parse(text)
    }

    private static func error(parsing text: String, budget: PrometheusTextParser.Budget = .init()) -> String? {
        do {
            _ = try PrometheusTextParser(budget: budget).parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    private static func value(
        _ samples: [Sample],
        _ name: String,
        _ labels: [String: String] = [:]
    ) -> Sample? {
        samples.first { $0.name == name && $0.labels == labels }
    }

    // MARK: - Real exporters

    @Test func readsNodeExporterOutput() throws {
        let samples = try Self.parse(try Self.fixture("node_exporter.prom"))
        #expect(samples.count == 49)
        #expect(
            Self.value(samples, "node_cpu_seconds_total", ["cpu": "1", "mode": "idle"])
                == Sample(
                    name: "node_cpu_seconds_total",
                    labels: ["cpu": "1", "mode": "idle"],
                    kind: .counter,
                    value: 2.21502311e+06
                )
        )
        #expect(Self.value(samples, "node_memory_MemTotal_bytes")?.kind == .gauge)
        #expect(Self.value(samples, "node_memory_MemTotal_bytes")?.value == 1.6675106816e+10)
        let quoted = ["device": "//nas/share", "fstype": "cifs", "mountpoint": "/mnt/Backups \"weekly\""]
        #expect(Self.value(samples, "node_filesystem_avail_bytes", quoted)?.value == 9.12e+11)
        #expect(Self.value(samples, "node_textfile_mtime_seconds", ["file": #"C:\metrics\batch.prom"#]) != nil)
        #expect(
            Self.value(samples, "node_hwmon_temp_celsius", ["chip": "platform_coretemp_0", "sensor": "temp1"])?.value
                .isNaN == true
        )
        let uname = try #require(samples.first { $0.name == "node_uname_info" })
        #expect(uname.labels["version"] == "#45-Ubuntu SMP PREEMPT_DYNAMIC Fri Aug 30 12:02:04 UTC 2024")
        #expect(Self.value(samples, "go_gc_duration_seconds", ["quantile": "0.5"])?.kind == .summary)
        #expect(Self.value(samples, "go_gc_duration_seconds_count")?.kind == .summary)
    }

    @Test func readsGoClientOutput() throws {
        let samples = try Self.parse(try Self.fixture("go_client.prom"))
        #expect(samples.count == 38)
        #expect(Self.value(samples, "go_memstats_mallocs_total")?.kind == .counter)
        #expect(Self.value(samples, "go_memstats_mallocs_total")?.value == 1.198512003e+09)
        #expect(Self.value(samples, "go_memstats_alloc_bytes_total")?.kind == .counter)
        #expect(Self.value(samples, "go_memstats_alloc_bytes")?.kind == .gauge)
        #expect(Self.value(samples, "go_gc_duration_seconds", ["quantile": "1"])?.value == 0.004731)
        #expect(Self.value(samples, "go_gc_duration_seconds_sum")?.value == 0.98112)
        let labels = ["handler": "/api/v1/query", "method": "GET"]
        var infinity = labels
        infinity["le"] = "+Inf"
        #expect(
            Self.value(samples, "http_request_duration_seconds_bucket", infinity)
                == Sample(
                    name: "http_request_duration_seconds_bucket",
                    labels: infinity,
                    kind: .histogram,
                    value: 10000
                )
        )
        #expect(Self.value(samples, "http_request_duration_seconds_count", labels)?.kind == .histogram)
        #expect(Self.value(samples, "process_virtual_memory_max_bytes")?.value == 1.8446744073709552e+19)
    }

    @Test func readsPythonClientOutput() throws {
        let samples = try Self.parse(try Self.fixture("python_client.prom"))
        #expect(samples.count == 43)
        #expect(Self.value(samples, "python_gc_collections_total", ["generation": "0"])?.value == 187)
        let multiLine = ["model": "prompt \"v2\"\nmulti-line", "status": "ok"]
        #expect(Self.value(samples, "inference_requests_total", multiLine)?.value == 3)
        // prometheus_client writes `_created` as a separate gauge family in 0.0.4, so it stays a gauge.
        #expect(Self.value(samples, "inference_requests_created", multiLine)?.kind == .gauge)
        #expect(
            Self.value(samples, "request_latency_seconds_bucket", ["endpoint": "/v1/chat", "le": "1.0"])?.value == 200
        )
        #expect(Self.value(samples, "queue_wait_seconds_count")?.kind == .summary)
        #expect(Self.value(samples, "cache_hit_ratio")?.value.isNaN == true)
    }

    @Test func readsOpenMetrics() throws {
        let samples = try Self.parse(try Self.fixture("openmetrics.txt"))
        let names = Set(samples.map(\.name))
        #expect(
            !names.contains { $0.hasSuffix("_created") },
            "creation times of counters, histograms and summaries are dropped"
        )
        #expect(
            Self.value(samples, "acme_http_router_request_seconds_count", ["path": "/api/v2", "method": "POST"])?.kind
                == .summary
        )
        #expect(Self.value(samples, "process_cpu_seconds_total")?.kind == .counter)
        #expect(
            Self.value(samples, "jobs_total", ["queue": "emails"])
                == Sample(name: "jobs_total", labels: ["queue": "emails"], kind: .counter, value: 1027)
        )
        #expect(Self.value(samples, "rpc_duration_seconds_bucket", ["le": "0.1"])?.value == 60)
        #expect(Self.value(samples, "rpc_duration_seconds_count")?.kind == .histogram)
        #expect(Self.value(samples, "queue_depth_distribution_bucket", ["le": "+Inf"])?.kind == .gauge)
        #expect(Self.value(samples, "queue_depth_distribution_gsum")?.kind == .gauge)
        #expect(Self.value(samples, "build_info", ["version": "2.1.0", "revision": "a1b2c3d"])?.kind == .gauge)
        #expect(Self.value(samples, "feature", ["feature": "b"])?.value == 0)
        #expect(
            Self.value(samples, "temperature", ["room": #"server \ rack"#])
                == Sample(name: "temperature", labels: ["room": #"server \ rack"#], kind: .untyped, value: -.infinity)
        )
        #expect(Self.value(samples, "temperature", ["room": "outside"])?.value == .infinity)
        #expect(samples.count == 22)
    }

    // MARK: - Details

    @Test(arguments: [
        ("m NaN", Double.nan), ("m nan", .nan), ("m +Inf", .infinity), ("m -Inf", -.infinity), ("m Inf", .infinity),
        ("m 1e3", 1000), ("m -0.5", -0.5), ("m 12 1700000000000", 12), ("m\t7\t-5", 7), ("m{} 3", 3),
    ])
    func readsValuesAndTimestamps(line: String, expected: Double) throws {
        let sample = try #require(try Self.parse(line).first)
        #expect(sample.value == expected || (sample.value.isNaN && expected.isNaN))
        #expect(sample.kind == .untyped)
    }

    @Test func acceptsBlanksTrailingCommasAndCRLF() throws {
        let samples = try Self.parse("m { a = \"1\" , b=\"2\", } 5\r\n\r\n")
        #expect(samples == [Sample(name: "m", labels: ["a": "1", "b": "2"], kind: .untyped, value: 5)])
    }

    @Test func aTypeDeclaredLaterDoesNotChangeEarlierSamples() throws {
        let samples = try Self.parse("x_total 1\n# TYPE x counter\nx_total 2\n")
        #expect(samples.map(\.kind) == [.untyped, .counter])
    }

    // MARK: - Errors name the line

    @Test(arguments: [
        ("# TYPE a gauge\na 1\nb{x 1\n", "line 3: expected '=' after label name"),
        ("a 1\nb{x=1} 2\n", "line 2: expected '\"' to open the value of label 'x'"),
        ("a{x=\"1} 2\n", "line 1: unterminated value of label 'x'"),
        ("\n\na{x=\"\\t\"} 2\n", "line 3: invalid escape '\\t' in the value of label 'x'"),
        ("a{x=\"1\" y=\"2\"} 3", "line 1: expected ',' or '}' after the value of label 'x'"),
        ("a{x=\"1\",x=\"2\"} 3", "line 1: duplicate label 'x'"),
        ("a{x=\"1\"", "line 1: expected '}' to close the label set"),
        ("a{1=\"1\"} 2", "line 1: expected a label name"),
        ("a\n", "line 1: expected a value after 'a'"),
        ("a one\n", "line 1: invalid value 'one'"),
        ("a 1 noon\n", "line 1: invalid timestamp 'noon'"),
        ("a 1 2 3\n", "line 1: unexpected text after the timestamp"),
        ("9a 1\n", "line 1: expected a metric name"),
        ("# TYPE a histogramm\n", "line 1: unknown metric type 'histogramm'"),
        ("# TYPE\n", "line 1: expected a metric name after # TYPE"),
        ("# TYPE a\n", "line 1: expected a type after # TYPE 'a'"),
        ("a 1\n# EOF\nb 2\n", "line 3: text after # EOF"),
    ])
    func namesTheLineOfAnError(text: String, expected: String) {
        #expect(Self.error(parsing: text) == expected)
    }

    // Found by Fuzz/FuzzPrometheusText's check that a reason is one short line without control characters: the
    // parser quoted what it could not read whole, escape sequences and all, up to the 64 KiB line limit.
    @Test func quotesWhatItCannotReadCutAndWithoutControlCharacters() {
        let value = "\u{1B}]0;owned\u{07}" + String(repeating: "9", count: 10_000)
        #expect(Self.error(parsing: "a \(value)\n") == #"line 1: invalid value '\u{1B}]0;owned\u{7}9999…'"#)
        #expect(
            Self.error(parsing: "a{x=\"\\\u{1B}\"} 1\n")
                == #"line 1: invalid escape '\\u{1B}' in the value of label 'x'"#
        )
    }

    @Test func reportsGarbageAtItsLine() throws {
        let text = try Self.fixture("go_client.prom") + "<html><body>502 Bad Gateway</body></html>\n"
        #expect(Self.error(parsing: text) == "line 77: expected a metric name")
    }

    // MARK: - Budget

    @Test func failsBeyondTheSampleBudget() throws {
        let text = (0..<11).map { "m{i=\"\($0)\"} 1" }.joined(separator: "\n")
        let budget = PrometheusTextParser.Budget(maximumSamples: 10)
        #expect(Self.error(parsing: text, budget: budget) == "line 11: more than 10 samples (parse budget)")
        #expect(try Self.parse(text, budget: PrometheusTextParser.Budget(maximumSamples: 11)).count == 11)
    }

    @Test func failsOnALineBeyondTheLengthBudget() {
        let budget = PrometheusTextParser.Budget(maximumLineLength: 64)
        let long = "# HELP m " + String(repeating: "x", count: 100)
        #expect(
            Self.error(parsing: "m 1\n" + long + "\nm 2\n", budget: budget)
                == "line 2: longer than 64 bytes (parse budget)"
        )
    }

    @Test func droppedCreationTimesDoNotCountAgainstTheBudget() throws {
        let text = "# TYPE c counter\nc_total 1\nc_created 1700000000\n"
        #expect(try Self.parse(text, budget: PrometheusTextParser.Budget(maximumSamples: 1)).count == 1)
    }

    // MARK: - Histogram quantiles

    @Test func estimatesQuantilesLikePrometheus() throws {
        let buckets: [(upperBound: Double, count: Double)] = [(0.1, 50), (0.5, 90), (1, 100), (.infinity, 100)]
        #expect(HistogramQuantiles.quantile(0.5, buckets: buckets) == 0.1)
        // Rank 95 lies in (0.5, 1]: 5 of its 10 observations → halfway.
        #expect(HistogramQuantiles.quantile(0.95, buckets: buckets) == 0.75)
        #expect(HistogramQuantiles.quantile(0.25, buckets: buckets) == 0.05)
        #expect(
            HistogramQuantiles.quantile(0.95, buckets: [(1, 10), (.infinity, 100)]) == 1,
            "+Inf bucket: highest finite bound"
        )
        #expect(HistogramQuantiles.quantile(0.95, buckets: [(1, 0), (.infinity, 0)]) == nil, "no observations")
        #expect(HistogramQuantiles.quantile(0.95, buckets: [(1, 5), (2, 10)]) == nil, "no +Inf bucket")
        #expect(HistogramQuantiles.quantile(2, buckets: buckets) == .infinity)
        #expect(HistogramQuantiles.quantile(-1, buckets: buckets) == -.infinity)
    }

    @Test func marksEstimatesFromBuckets() throws {
        let samples = try Self.parse(try Self.fixture("go_client.prom"))
        let estimates = HistogramQuantiles.estimates(from: samples, quantiles: [0.95])
        let labels = ["handler": "/api/v1/query", "method": "GET", "quantile": "0.95", "estimate": "buckets"]
        let p95 = try #require(estimates.first)
        #expect(estimates.count == 1)
        #expect(p95.name == "http_request_duration_seconds")
        #expect(p95.labels == labels)
        #expect(p95.kind == .summary)
        // Rank 9,500 of 10,000 lies in (0.05, 0.1], which holds 8,411…9,502.
        #expect(abs(p95.value - (0.05 + 0.05 * (9500 - 8411) / (9502 - 8411))) < 1e-12)
    }
}
