import Foundation
import PerfKit
import Testing

@testable import PerftopCore

/// Records read back for `perftop replay`: what the recorder wrote comes back as the same rounds and
/// samples (kinds included); rotated files in any order; damaged lines and older records named.
@Suite("RecordReader")
struct RecordReaderTests {
    /// A round at `time` with two sources.
    static func round(at time: Double, hits: Double) -> Collector.Round {
        Collector.Round(
            time: time,
            results: [
                Poller.Result(
                    source: "agent:/run/a.sock",
                    samples: [
                        Sample(
                            name: MetricName.cacheHits,
                            labels: [LabelName.cache: "users"],
                            kind: .counter,
                            value: hits
                        ),
                        Sample(
                            name: MetricName.processorQueueDepth,
                            labels: [LabelName.processor: "jobs"],
                            kind: .gauge,
                            value: .nan
                        ),
                    ],
                    failure: nil
                ),
                Poller.Result(
                    source: "proc",
                    samples: [Sample(name: "node_load1", kind: .gauge, value: 0.5)],
                    failure: nil
                ),
            ],
            model: DashboardModel(
                timestamp: time,
                interval: 1,
                caches: [CacheView(source: "agent:/run/a.sock", name: "users", hitRate: 0.5)]
            )
        )
    }

    private static func write(_ text: String) throws -> String {
        let path =
            FileManager.default.temporaryDirectory.path + "/perftop-replay-\(UInt64.random(in: 0...UInt64.max)).jsonl"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("the recorder's rounds come back whole: sources, samples, kinds, NaN; the derived series are left out")
    func roundTrip() throws {
        let exporter = JSONLinesExporter()
        let path = try Self.write(
            exporter.rows(for: Self.round(at: 1_800_000_000.25, hits: 3))
                + exporter.rows(for: Self.round(at: 1_800_000_001.25, hits: 7))
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        let contents = try RecordReader.read([path])
        #expect(contents.damagedLines == 0)
        #expect(!contents.inferredKinds)
        #expect(contents.rounds.map(\.time) == [1_800_000_000.25, 1_800_000_001.25])
        let first = try #require(contents.rounds.first)
        #expect(first.sources.map(\.name) == ["agent:/run/a.sock", "proc"])
        let agent = first.sources[0].samples
        #expect(agent.count == 2, "perftop_cache_hit_ratio, derived, is not read back")
        #expect(
            agent[0] == Sample(name: MetricName.cacheHits, labels: [LabelName.cache: "users"], kind: .counter, value: 3)
        )
        #expect(agent[1].kind == .gauge && agent[1].value.isNaN)
    }

    @Test("rotated files in any order make one record, oldest round first")
    func rotatedFiles() throws {
        let exporter = JSONLinesExporter()
        let older = try Self.write(exporter.rows(for: Self.round(at: 1_800_000_000, hits: 1)))
        let newer = try Self.write(exporter.rows(for: Self.round(at: 1_800_000_005, hits: 2)))
        defer {
            try? FileManager.default.removeItem(atPath: older)
            try? FileManager.default.removeItem(atPath: newer)
        }
        #expect(try RecordReader.read([newer, older]).rounds.map(\.time) == [1_800_000_000, 1_800_000_005])
    }

    @Test("a damaged line is skipped and named with its file and line; the rest is read")
    func damagedLines() throws {
        let exporter = JSONLinesExporter()
        let text =
            exporter.rows(for: Self.round(at: 1_800_000_000, hits: 1))
            + #"{"timestamp":"2026-12-05T10:00:00.000Z","source":"a","metric":"m","type":"counter","labels":{},"val"#
            + "\n" + "not json at all\n"
            + #"{"timestamp":"yesterday","source":"a","metric":"m","labels":{},"value":1}"# + "\n"
            + #"{"timestamp":"2026-12-05T10:00:00.000Z","source":"a","metric":"m","type":"weird","labels":{},"value":1}"#
            + "\n" + exporter.rows(for: Self.round(at: 1_800_000_001, hits: 2))
        let path = try Self.write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let contents = try RecordReader.read([path])
        #expect(contents.rounds.count == 2)
        #expect(contents.damagedLines == 4)
        #expect(contents.firstDamage == "\(path):5: not a record line")
    }

    @Test("a sample over the live bounds (a label value past SampleLimits) is a damaged line")
    func sampleLimits() throws {
        let long = String(repeating: "x", count: SampleLimits().maximumLabelValueBytes + 1)
        let text =
            #"{"timestamp":"2026-12-05T10:00:00.000Z","source":"a","metric":"m","type":"gauge","labels":{"l":"\#(long)"},"value":1}"#
            + "\n"
            + #"{"timestamp":"2026-12-05T10:00:00.000Z","source":"a","metric":"n","type":"gauge","labels":{},"value":1}"#
            + "\n"
        let path = try Self.write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let contents = try RecordReader.read([path])
        #expect(contents.damagedLines == 1)
        #expect(contents.firstDamage?.hasPrefix("\(path):1: sample 'm': label 'l' longer than") == true)
        #expect(contents.rounds.first?.sources.first?.samples.map(\.name) == ["n"])
    }

    @Test("a line without type (an older perftop) gets a kind from its name, and the record says so")
    func olderRecords() throws {
        let text = """
            {"timestamp":"2026-12-05T10:00:00.000Z","source":"a","metric":"cache_hits_total","labels":{"cache":"c"},"value":1}
            {"timestamp":"2026-12-05T10:00:00.000Z","source":"a","metric":"op_seconds_count","labels":{},"value":4}
            {"timestamp":"2026-12-05T10:00:00.000Z","source":"a","metric":"node_load1","labels":{},"value":"+Inf"}

            """
        let path = try Self.write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let contents = try RecordReader.read([path])
        #expect(contents.inferredKinds)
        let samples = try #require(contents.rounds.first?.sources.first?.samples)
        #expect(samples.map(\.kind) == [.counter, .counter, .gauge])
        #expect(samples[2].value == .infinity)
        #expect(contents.rounds.first?.time == 1_796_464_800)
    }

    @Test("a missing file, and a file without a single round, are one-line errors")
    func unreadable() throws {
        #expect(throws: RecordReader.Failure(description: "/nonexistent/r.jsonl: no such file or directory")) {
            try RecordReader.read(["/nonexistent/r.jsonl"])
        }
        let path = try Self.write("garbage\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(
            throws: RecordReader.Failure(description: "\(path): no round could be read (\(path):1: not a record line)")
        ) {
            try RecordReader.read([path])
        }
    }
}
