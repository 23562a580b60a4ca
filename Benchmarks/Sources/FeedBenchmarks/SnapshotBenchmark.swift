import BenchmarkSupport
import Foundation
import PerfKit
import PerftopCore

/// Decode cost of an agent's snapshot line, as perftop reads one per agent per poll.
enum SnapshotBenchmark {
    /// A snapshot shaped like the demo agent's: two caches, a processor and twenty timed operations
    /// (summaries of four quantiles with `_sum` and `_count`), about 150 samples; `poll` changes
    /// every value, as the next poll of the same agent does.
    static func demoShapedLine(poll: Int = 0) throws -> Data {
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
        for index in samples.indices {
            samples[index].value += Double(poll)
        }
        return try Snapshot(agent: "demo", pid: 4242, timestamp: 1_800_000_000.25, samples: samples).jsonLine()
    }

    /// Decodes a line afresh, then the lines of successive polls (every value changed) after the
    /// identities of the line before, as an `AgentFeed` reads them.
    static func run() async throws {
        print("3. Agent snapshot line: decode (median of 15 runs of 1,000 lines)")
        print()
        let line = try Self.demoShapedLine()
        let polls = [Array(line), Array(try Self.demoShapedLine(poll: 1))]
        let samples = try Snapshot.decode(jsonLine: line).samples.count
        let afresh = await medianSeconds(repetitions: 15) {
            var decoded = 0
            for _ in 0..<1_000 {
                decoded += (try? Snapshot.decode(jsonLine: line).samples.count) ?? 0
            }
            return decoded
        }
        var identities = SnapshotIdentities()
        let afterPrevious = await medianSeconds(repetitions: 15) {
            var decoded = 0
            for poll in 0..<1_000 {
                decoded +=
                    (try? Snapshot.decode(jsonBytes: polls[poll % 2], identities: &identities).samples.count) ?? 0
            }
            return decoded
        }
        var table = TextTable(["decoded", "bytes", "samples", "per line", "per sample"])
        for (name, seconds) in [("afresh", afresh), ("after the previous poll's line", afterPrevious)] {
            table.append([
                name, String(line.count), String(samples), UnitFormat.seconds(seconds / 1_000),
                UnitFormat.seconds(seconds / 1_000 / Double(samples)),
            ])
        }
        print(table.render())
        print()
        try await Self.runRecording(line: line)
    }

    /// The store's side of the same poll: one decoded line's samples recorded for each of 100
    /// sources, a poll a second, into a store of the dashboard's retention (300 points), as the
    /// collector records a fleet. The store is filled first, so every append also drops a point.
    static func runRecording(line: Data) async throws {
        print(
            "3b. Recording a poll of that line into the store, 100 sources, 300 points each (median of 5 runs of 100 rounds)"
        )
        print()
        let samples = try Snapshot.decode(jsonLine: line).samples
        let sources = (0..<100).map { "agent:/tmp/fleet/agent-\($0).sock" }
        var store = SeriesStore(retention: 300)
        var time = 1_800_000_000.0
        for _ in 0..<300 {
            time += 1
            for source in sources {
                store.record(source: source, samples: samples, at: time)
            }
        }
        let seconds = await medianSeconds(repetitions: 5) {
            for _ in 0..<100 {
                time += 1
                for source in sources {
                    store.record(source: source, samples: samples, at: time)
                }
            }
            return store.pointCount
        }
        let recorded = Double(100 * sources.count * samples.count)
        var table = TextTable(["samples a round", "per round", "per sample"])
        table.append([
            String(sources.count * samples.count), UnitFormat.seconds(seconds / 100),
            UnitFormat.seconds(seconds / recorded),
        ])
        print(table.render())
    }
}
