import BenchmarkSupport
import Foundation
import PerftopCore

/// Measures what sources cost perftop: parsing Prometheus text (per 1,000 lines) with histogram
/// estimates, flattening a Go expvar document, decoding an agent's snapshot line, and a full
/// collector round over 10 live sources, one poll of a real Redis, memcached and PostgreSQL, and a
/// Prometheus API answer of a hundred targets.
///
/// Run with `swift run -c release --package-path Benchmarks FeedBenchmarks [SECTION…]`, where a
/// section is `prometheus`, `json`, `snapshot`, `poll-cycle`, `servers` or `prometheus-answer` (a
/// Prometheus API answer of a hundred targets); all run when none is named
/// (`servers` needs Debian's redis-server, memcached and postgresql, and skips what is missing). The inputs are generated with a
/// fixed shape, so only the timings depend on the machine.
@main
struct FeedBenchmarks {
    /// The parts of the benchmark, selectable by name on the command line.
    enum Section: String, CaseIterable {
        case prometheus
        case json
        case snapshot
        case pollCycle = "poll-cycle"
        case servers
        case prometheusAnswer = "prometheus-answer"
    }

    static func main() async throws {
        let sections = selectedSections(of: "FeedBenchmarks", Section.self)
        let clock = ContinuousClock()
        let start = clock.now
        print("perftop feed benchmarks")
        if sections.contains(.prometheus) {
            print()
            await ParseBenchmark.runPrometheus()
        }
        if sections.contains(.json) {
            print()
            await ParseBenchmark.runJSON()
        }
        if sections.contains(.snapshot) {
            print()
            try await SnapshotBenchmark.run()
        }
        if sections.contains(.pollCycle) {
            print()
            try await PollCycleBenchmark.run()
        }
        if sections.contains(.servers) {
            print()
            try await ServerPollBenchmark.run()
        }
        if sections.contains(.prometheusAnswer) {
            print()
            await PrometheusAnswerBenchmark.run()
        }
        print()
        print("Total time: \(clock.now - start)")
    }
}
