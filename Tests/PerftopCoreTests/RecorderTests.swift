import Foundation
import PerfKit
import Testing

@testable import PerftopCore

/// `--record FILE`: rounds appended as JSON lines, rotated by size, never split.
@Suite("Recorder")
struct RecorderTests {
    /// A round at `time` with one source's gauge.
    static func round(at time: Double, value: Double = 1) -> Collector.Round {
        Collector.Round(
            time: time,
            results: [
                Poller.Result(
                    source: "agent:/run/a.sock",
                    samples: [Sample(name: "queue_depth", labels: ["queue": "jobs"], kind: .gauge, value: value)],
                    failure: nil
                )
            ],
            model: DashboardModel(timestamp: time, interval: 1)
        )
    }

    private func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/perftop-record-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    private func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    @Test("rounds are appended in the JSON-lines export format, after what the file held; the file is 0600")
    func appends() throws {
        let directory = try self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/record.jsonl"
        let first = try Recorder(path: path)
        try first.record(Self.round(at: 1_800_000_000))
        first.close()
        let second = try Recorder(path: path)
        try second.record(Self.round(at: 1_800_000_001, value: 2))
        second.close()
        let exporter = JSONLinesExporter()
        let expected =
            exporter.rows(for: Self.round(at: 1_800_000_000))
            + exporter.rows(for: Self.round(at: 1_800_000_001, value: 2))
        #expect(self.read(path) == expected)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(throws: RecordError(path: path, reason: "the record was stopped by an earlier error")) {
            try second.record(Self.round(at: 1_800_000_002))
        }
    }

    @Test("past its size the file is rotated to FILE.1, FILE.2 …; the oldest beyond keep is deleted; rounds stay whole")
    func rotates() throws {
        let directory = try self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/record.jsonl"
        let roundBytes = JSONLinesExporter().rows(for: Self.round(at: 1_800_000_000)).utf8.count
        // Two rounds fit in a file, a third does not.
        let recorder = try Recorder(path: path, maximumBytes: 2 * roundBytes + 1, keep: 2)
        for index in 0..<7 {
            try recorder.record(Self.round(at: 1_800_000_000 + Double(index)))
        }
        recorder.close()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(files == ["record.jsonl", "record.jsonl.1", "record.jsonl.2"])
        let lines = { (name: String) in (self.read(directory + "/" + name) ?? "").split(separator: "\n") }
        #expect(lines("record.jsonl").count == 1, "round 6")
        #expect(lines("record.jsonl.1").count == 2, "rounds 4 and 5")
        #expect(lines("record.jsonl.2").count == 2, "rounds 2 and 3; rounds 0 and 1 were deleted")
        #expect(lines("record.jsonl.1").first?.contains("2027-01-15T08:00:04") == true)
        #expect(lines("record.jsonl.2").first?.contains("2027-01-15T08:00:02") == true)
        for name in files {
            #expect(self.read(directory + "/" + name)?.hasSuffix("}\n") == true)
        }
    }

    @Test("FILE.gz: each round is one gzip member, the file reads as the same lines, and replays")
    func compressed() throws {
        let directory = try self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/record.jsonl.gz"
        let recorder = try Recorder(path: path, compressed: true)
        try recorder.record(Self.round(at: 1_800_000_000))
        try recorder.record(Self.round(at: 1_800_000_001, value: 2))
        recorder.close()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let exporter = JSONLinesExporter()
        let expected =
            exporter.rows(for: Self.round(at: 1_800_000_000))
            + exporter.rows(for: Self.round(at: 1_800_000_001, value: 2))
        #expect(Gzip.decompress(bytes, limit: 1 << 20) == .init(bytes: Array(expected.utf8)))
        // A crash in the middle of the third round's write.
        let third = Gzip.compress(Array(exporter.rows(for: Self.round(at: 1_800_000_002, value: 3)).utf8))
        try Data(bytes + third.prefix(third.count / 2)).write(to: URL(fileURLWithPath: path))
        let contents = try RecordReader.read([path])
        #expect(contents.rounds.map(\.time) == [1_800_000_000, 1_800_000_001])
        #expect(contents.damagedLines == 1)
        #expect(contents.firstDamage?.hasPrefix("\(path): the last gzip member is cut short") == true)
    }

    @Test("keep 0 starts the file again")
    func keepNone() throws {
        let directory = try self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/record.jsonl"
        let recorder = try Recorder(path: path, maximumBytes: 1, keep: 0)
        for index in 0..<3 {
            try recorder.record(Self.round(at: 1_800_000_000 + Double(index)))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["record.jsonl"])
        #expect(self.read(path) == JSONLinesExporter().rows(for: Self.round(at: 1_800_000_002)))
    }

    @Test("a file that cannot be opened is one line naming it and the reason")
    func unwritable() {
        #expect(throws: RecordError(path: "/nonexistent/r.jsonl", reason: "no such file or directory")) {
            try Recorder(path: "/nonexistent/r.jsonl")
        }
    }

    @Test(
        "sizes read with decimal and binary units",
        arguments: [
            ("100MiB", 104_857_600), ("10MB", 10_000_000), ("512 KiB", 524_288), ("4096", 4096),
            ("1.5GiB", 1_610_612_736),
            ("2b", 2),
        ]
    )
    func sizes(text: String, bytes: Int) {
        #expect(Recorder.size(parsing: text) == bytes)
    }

    @Test("anything else is not a size", arguments: ["10ms", "-5", "", "MiB", "0", "0.5B", "1e400GiB", "10%"])
    func notSizes(text: String) {
        #expect(Recorder.size(parsing: text) == nil)
    }
}
