import BenchmarkSupport
import Foundation
import PerftopCore

/// Parse cost of the formats an HTTP endpoint serves.
enum ParseBenchmark {
    /// Prometheus text of about `lines` lines shaped like a real exporter: a `# HELP` and `# TYPE` per
    /// family, counters and gauges with two or three labels, and histograms of 12 buckets.
    static func prometheusText(lines: Int) -> String {
        var text = ""
        var written = 0
        var family = 0
        while written < lines {
            switch family % 3 {
            case 0:
                let name = "http_requests_\(family)_total"
                text += "# HELP \(name) Requests handled.\n# TYPE \(name) counter\n"
                for index in 0..<20 {
                    text +=
                        "\(name){code=\"\(200 + index)\",method=\"GET\",handler=\"/api/v1/items\"} \(index * 1_234_567)\n"
                }
                written += 22
            case 1:
                let name = "node_memory_\(family)_bytes"
                text += "# HELP \(name) Memory field.\n# TYPE \(name) gauge\n"
                for index in 0..<20 {
                    text += "\(name){device=\"nvme0n\(index)\",mountpoint=\"/data/\(index)\"} 1.6675106816e+10\n"
                }
                written += 22
            default:
                let name = "rpc_\(family)_seconds"
                text += "# HELP \(name) RPC latency.\n# TYPE \(name) histogram\n"
                let bounds = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"]
                for (index, bound) in bounds.enumerated() {
                    text += "\(name)_bucket{service=\"search\",le=\"\(bound)\"} \(1000 * (index + 1))\n"
                }
                text += "\(name)_sum{service=\"search\"} 8123.25\n\(name)_count{service=\"search\"} 12000\n"
                written += 16
            }
            family += 1
        }
        return text
    }

    static func runPrometheus() async {
        print("1. Prometheus text: parse + histogram p50/p95/p99 estimates (median of 15 runs)")
        print()
        var table = TextTable(["lines", "bytes", "samples", "µs/parse", "ns/line = µs/1,000 lines", "MB/s"])
        for lines in [1_000, 10_000, 100_000] {
            let text = self.prometheusText(lines: lines)
            let bytes = Array(text.utf8)
            let lineCount = bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            let parser = PrometheusTextParser()
            var sampleCount = 0
            let seconds = await medianSeconds(repetitions: 15) {
                let samples = (try? parser.parse(bytes)) ?? []
                sampleCount = samples.count
                return samples.count + HistogramQuantiles.estimates(from: samples).count
            }
            table.append([
                "\(lineCount)", "\(bytes.count)", "\(sampleCount)", formatted(seconds * 1e6, digits: 0),
                formatted(seconds * 1e9 / Double(lineCount), digits: 0),
                formatted(Double(bytes.count) / seconds / 1e6, digits: 1),
            ])
        }
        print(table.render())
    }

    /// A Go expvar document (`/debug/vars`) with the full `memstats` object: about 800 numeric leaves.
    static func expvarDocument() -> Data {
        var memstats: [String: Any] = [:]
        let fields = [
            "Alloc", "TotalAlloc", "Sys", "Mallocs", "Frees", "HeapAlloc", "HeapSys", "HeapIdle", "HeapInuse", "NumGC",
            "PauseTotalNs", "NextGC", "LastGC",
        ]
        for field in fields {
            memstats[field] = 123_456_789
        }
        memstats["PauseNs"] = Array(repeating: 41_234, count: 256)
        memstats["PauseEnd"] = Array(repeating: 1_700_913_217_638_252_700, count: 256)
        memstats["BySize"] = (0..<68).map { ["Size": $0 * 8, "Mallocs": $0 * 1000, "Frees": $0 * 990] }
        let document: [String: Any] = ["cmdline": ["/srv/app"], "memstats": memstats, "goroutines": 42]
        return (try? JSONSerialization.data(withJSONObject: document)) ?? Data()
    }

    static func runJSON() async {
        print("2. JSON: flatten a Go expvar document (median of 15 runs)")
        print()
        let data = self.expvarDocument()
        let flattener = JSONMetricsFlattener()
        var sampleCount = 0
        let seconds = await medianSeconds(repetitions: 15) {
            let samples = (try? flattener.flatten(data)) ?? []
            sampleCount = samples.count
            return samples.count
        }
        var table = TextTable(["bytes", "samples", "µs/flatten", "ns/sample", "MB/s"])
        table.append([
            "\(data.count)", "\(sampleCount)", formatted(seconds * 1e6, digits: 0),
            formatted(seconds * 1e9 / Double(max(sampleCount, 1)), digits: 0),
            formatted(Double(data.count) / seconds / 1e6, digits: 1),
        ])
        print(table.render())
    }
}
