import BenchmarkSupport
import Foundation
import PerfKit
import PerftopCore

/// Decode cost of an agent's snapshot line, as perftop reads one per agent per poll.
enum SnapshotBenchmark {
    /// A snapshot shaped like the demo agent's: two caches, a processor and twenty timed operations
    /// (summaries of four quantiles with `_sum` and `_count`), about 150 samples.
    static func demoShapedLine() throws -> Data {
        var samples: [Sample] = []
        for cache in ["embeddings", "users"] {
            for (name, value) in [
                (MetricName.cacheHits, 91_234.0), (MetricName.cacheMisses, 8_766), (MetricName.cacheEntries, 812),
                (MetricName.cacheCapacity, 1_024),
            ] {
                samples.append(Sample(name: name, labels: [LabelName.cache: cache], kind: .counter, value: value))
            }
            for cause in [CacheEvictionCause.size, .expired].map(\.rawValue) {
                samples.append(
                    Sample(
                        name: MetricName.cacheEvictions,
                        labels: [LabelName.cache: cache, LabelName.cause: cause],
                        kind: .counter,
                        value: 1_234
                    )
                )
            }
        }
        for outcome in ProcessorOutcome.allCases.map(\.rawValue) {
            samples.append(
                Sample(
                    name: MetricName.processorTasks,
                    labels: [LabelName.processor: "jobs", LabelName.outcome: outcome],
                    kind: .counter,
                    value: 45_678
                )
            )
        }
        for operation in 0..<20 {
            let labels = [LabelName.operation: "resolver.lookup.\(operation)"]
            for quantile in [
                LabelValue.Quantile.p50, LabelValue.Quantile.p95, LabelValue.Quantile.p99, LabelValue.Quantile.maximum,
            ] {
                var quantileLabels = labels
                quantileLabels[LabelName.quantile] = quantile
                samples.append(
                    Sample(name: MetricName.operationSeconds, labels: quantileLabels, kind: .summary, value: 0.001_234)
                )
            }
            samples.append(
                Sample(
                    name: MetricName.operationSeconds + MetricName.sumSuffix,
                    labels: labels,
                    kind: .summary,
                    value: 12.5
                )
            )
            samples.append(
                Sample(
                    name: MetricName.operationSeconds + MetricName.countSuffix,
                    labels: labels,
                    kind: .summary,
                    value: 10_000
                )
            )
        }
        return try Snapshot(agent: "demo", pid: 4242, timestamp: 1_800_000_000.25, samples: samples).jsonLine()
    }

    static func run() async throws {
        print("3. Agent snapshot line: decode (median of 15 runs of 1,000 lines)")
        print()
        let line = try Self.demoShapedLine()
        let samples = try Snapshot.decode(jsonLine: line).samples.count
        let seconds = await medianSeconds(repetitions: 15) {
            var decoded = 0
            for _ in 0..<1_000 {
                decoded += (try? Snapshot.decode(jsonLine: line).samples.count) ?? 0
            }
            return decoded
        }
        var table = TextTable(["bytes", "samples", "per line", "per sample"])
        table.append([
            String(line.count), String(samples), UnitFormat.seconds(seconds / 1_000),
            UnitFormat.seconds(seconds / 1_000 / Double(samples)),
        ])
        print(table.render())
    }
}
