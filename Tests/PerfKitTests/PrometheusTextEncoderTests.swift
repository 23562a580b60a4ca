import Testing

@testable import PerfKit

@Suite struct PrometheusTextEncoderTests {
    private let encoder = PrometheusTextEncoder()

    @Test func writesNothingForNoSamples() {
        #expect(self.encoder.encode([]) == "")
    }

    @Test func groupsSortsAndTypesFamilies() {
        let samples = [
            Sample(name: "cache_misses_total", labels: ["cache": "users"], kind: .counter, value: 3),
            Sample(name: "cache_hits_total", labels: ["cache": "users"], kind: .counter, value: 11),
            Sample(name: "cache_entries", labels: ["cache": "users"], kind: .gauge, value: 600),
            Sample(name: "cache_hits_total", labels: ["cache": "orders"], kind: .counter, value: 0),
            Sample(name: "temperature", kind: .untyped, value: -2.5),
        ]
        #expect(
            self.encoder.encode(samples) == """
                # TYPE cache_entries gauge
                cache_entries{cache="users"} 600
                # TYPE cache_hits_total counter
                cache_hits_total{cache="users"} 11
                cache_hits_total{cache="orders"} 0
                # TYPE cache_misses_total counter
                cache_misses_total{cache="users"} 3
                # TYPE temperature untyped
                temperature -2.5

                """
        )
    }

    @Test func writesASummaryAsOneFamily() {
        let labels = ["processor": "jobs"]
        let samples = [
            Sample(
                name: "processor_wait_seconds",
                labels: ["processor": "jobs", "quantile": "0.5"],
                kind: .summary,
                value: 0.001
            ),
            Sample(
                name: "processor_wait_seconds",
                labels: ["processor": "jobs", "quantile": "0.95"],
                kind: .summary,
                value: 0.25
            ),
            Sample(name: "processor_wait_seconds_sum", labels: labels, kind: .summary, value: 12.5),
            Sample(name: "processor_wait_seconds_count", labels: labels, kind: .summary, value: 100),
            Sample(name: "idle_seconds_sum", kind: .summary, value: 0),
            Sample(name: "idle_seconds_count", kind: .summary, value: 0),
        ]
        #expect(
            self.encoder.encode(samples) == """
                # TYPE idle_seconds summary
                idle_seconds_sum 0
                idle_seconds_count 0
                # TYPE processor_wait_seconds summary
                processor_wait_seconds{processor="jobs",quantile="0.5"} 0.001
                processor_wait_seconds{processor="jobs",quantile="0.95"} 0.25
                processor_wait_seconds_sum{processor="jobs"} 12.5
                processor_wait_seconds_count{processor="jobs"} 100

                """
        )
    }

    @Test func writesAHistogramAsOneFamilyWithBucketNames() {
        let samples = [
            Sample(name: "request_seconds_bucket", labels: ["le": "0.1"], kind: .histogram, value: 2),
            Sample(name: "request_seconds", labels: ["le": "+Inf"], kind: .histogram, value: 5),
            Sample(name: "request_seconds_sum", kind: .histogram, value: 1.75),
            Sample(name: "request_seconds_count", kind: .histogram, value: 5),
        ]
        #expect(
            self.encoder.encode(samples) == """
                # TYPE request_seconds histogram
                request_seconds_bucket{le="0.1"} 2
                request_seconds_bucket{le="+Inf"} 5
                request_seconds_sum 1.75
                request_seconds_count 5

                """
        )
    }

    @Test func escapesLabelValues() {
        let sample = Sample(
            name: "m",
            labels: ["path": #"C:\dir"#, "quote": #"say "hi""#, "lines": "a\nb", "crlf": "c\r\nd"],
            kind: .gauge,
            value: 1
        )
        #expect(
            self.encoder.encode([sample]) == """
                # TYPE m gauge
                m{crlf="c\r\\nd",lines="a\\nb",path="C:\\\\dir",quote="say \\"hi\\""} 1

                """
        )
    }

    @Test(
        arguments: [
            (Double.nan, "NaN"),
            (Double.infinity, "+Inf"),
            (-Double.infinity, "-Inf"),
            (0, "0"),
            (-0.0, "0"),
            (42, "42"),
            (-7, "-7"),
            (0.25, "0.25"),
            (1e-05, "1e-05"),
            (9_007_199_254_740_991, "9007199254740991"),
            (1e20, "1e+20"),
            (0.1 + 0.2, "0.30000000000000004"),
        ]
    )
    func spellsValuesAsPrometheusDoes(value: Double, text: String) {
        #expect(PrometheusTextEncoder.format(value) == text)
        #expect(self.encoder.encode([Sample(name: "v", kind: .gauge, value: value)]) == "# TYPE v gauge\nv \(text)\n")
    }

    @Test func makesNamesValid() {
        let samples = [
            Sample(name: "http.requests", labels: ["route-name": "/a", "2nd": "x"], kind: .counter, value: 1),
            Sample(name: "9lives", kind: .gauge, value: 9),
        ]
        #expect(
            self.encoder.encode(samples) == """
                # TYPE _9lives gauge
                _9lives 9
                # TYPE http_requests counter
                http_requests{_2nd="x",route_name="/a"} 1

                """
        )
    }

    @Test func skipsRepeatedSeriesAndConflictingTypes() {
        let samples = [
            Sample(name: "jobs_total", labels: ["q": "a"], kind: .counter, value: 1),
            Sample(name: "jobs_total", labels: ["q": "a"], kind: .counter, value: 2),
            Sample(name: "jobs_total", labels: ["q": "b"], kind: .gauge, value: 3),
            Sample(name: "jobs_total", labels: ["q": "c"], kind: .counter, value: 4),
        ]
        #expect(
            self.encoder.encode(samples) == """
                # TYPE jobs_total counter
                jobs_total{q="a"} 1
                jobs_total{q="c"} 4

                """
        )
    }

    @Test func writesEachTypeLineOnce() {
        let samples = (0..<50).flatMap { index in
            [
                Sample(name: "b_total", labels: ["i": "\(index)"], kind: .counter, value: Double(index)),
                Sample(name: "a", labels: ["i": "\(index)"], kind: .gauge, value: Double(index)),
            ]
        }
        let lines = self.encoder.encode(samples).split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("# TYPE") } == ["# TYPE a gauge", "# TYPE b_total counter"])
        #expect(lines.count == 102)
        #expect(lines[1] == #"a{i="0"} 0"#)
        #expect(lines[51] == "# TYPE b_total counter")
    }

    @Test func encodesARegistryOfRealSources() {
        let registry = MetricsRegistry()
        let cache = Cache<String, Int>(name: "users", capacity: 4)
        cache.setValue(1, forKey: "a")
        _ = cache.value(forKey: "a")
        registry.register(cache)
        let text = self.encoder.encode(registry.collectSamples())
        #expect(text.contains("# TYPE cache_hits_total counter\ncache_hits_total{cache=\"users\"} 1\n"))
        #expect(text.contains("# TYPE cache_entries gauge\ncache_entries{cache=\"users\"} 1\n"))
    }
}
