import Foundation
import Testing

@testable import PerftopCore

@Suite("Tracker files")
struct TrackerFileTests {
    static let example = """
        # perftop tracker
        title = "Demo service"
        margin = 0.05

        [[target]]
        name = "embed p95"
        metric = 'operation_seconds{op="embed"}'
        statistic = "p95"
        goal = "< 50ms"
        baseline = 0.072
        baseline_captured = 2026-11-23T21:05:51Z
        priority = "High"
        owner = "ana"
        due = 2024-07-15
        status = "🟡 In Progress"
        notes = "Implement embedding cache"

        [[target]]
        name = "embeddings hit ratio"
        metric = 'cache_hits_total{cache="embeddings"}'
        statistic = "hit ratio"
        goal = ">= 70%"

        [[target]]
        name = "Memory Usage Optimization"
        goal = "30% memory reduction"
        due = "2024-11-15"
        columns = [
            ["Optimization Target", "Memory Usage Optimization"],
            ["Status", "🔴 Not Started"],
        ]
        """

    @Test("reads every field")
    func reading() throws {
        let tracker = try Tracker(toml: Self.example)
        #expect(tracker.title == "Demo service")
        #expect(tracker.margin == 0.05)
        #expect(tracker.targets.count == 3)
        let first = tracker.targets[0]
        #expect(first.name == "embed p95")
        #expect(
            first.metric == MetricSelector(name: "operation_seconds", matchers: [.init(label: "op", value: "embed")])
        )
        #expect(first.statistic == .p95)
        #expect(first.goal == .absolute(.lessThan, amount: 50, unit: .milliseconds))
        #expect(first.baseline == TrackerBaseline(value: 0.072, captured: 1_795_467_951))
        #expect(first.priority == .high)
        #expect(first.owner == "ana")
        #expect(first.due == TrackerDate(year: 2024, month: 7, day: 15))
        #expect(first.status == .inProgress)
        #expect(first.notes == "Implement embedding cache")
        #expect(first.tracked)
        #expect(tracker.targets[1].statistic == .hitRatio)
        let third = tracker.targets[2]
        #expect(third.goal == .relative(percent: -30))
        #expect(third.metric == nil)
        #expect(third.due == TrackerDate(year: 2024, month: 11, day: 15))
        #expect(
            third.columns == [
                TrackerColumn(name: "Optimization Target", value: "Memory Usage Optimization"),
                TrackerColumn(name: "Status", value: "🔴 Not Started"),
            ]
        )
    }

    @Test("read(write(x)) == x, and writing is stable")
    func roundTrip() throws {
        let tracker = try Tracker(toml: Self.example)
        let text = tracker.tomlText()
        let again = try Tracker(toml: text)
        #expect(again == tracker)
        #expect(again.tomlText() == text)
    }

    @Test("round-trips awkward strings and numbers")
    func awkwardValues() throws {
        let tracker = Tracker(
            title: "quotes \" and 'apostrophes' and \\ and\nnewlines\tand tabs \u{7}",
            margin: 0.1,
            targets: [
                TrackerTarget(
                    name: #"it's "quoted" \ here"#,
                    section: "Säction ✅",
                    tracked: false,
                    metric: MetricSelector(name: "x", matchers: [.init(label: "a", value: "q\"\\\n", negated: true)]),
                    statistic: .mean,
                    goal: .absolute(.atLeast, amount: 1.5e-7, unit: .percent),
                    baseline: TrackerBaseline(value: 1e-300, captured: 12.75),
                    priority: .other("P1"),
                    owner: "",
                    due: TrackerDate(year: 2028, month: 2, day: 29),
                    status: .other("waiting on review"),
                    notes: "multi\nline",
                    columns: [TrackerColumn(name: "|pipe|", value: "a, \"b\"")]
                ),
                TrackerTarget(name: "plain", baseline: TrackerBaseline(value: 123_456_789_012_345_680)),
            ]
        )
        let again = try Tracker(toml: tracker.tomlText())
        #expect(again == tracker)
        #expect(again.targets[0].baseline?.captured == 12)
    }

    @Test("writes key order and human-friendly values")
    func writing() throws {
        let tracker = try Tracker(toml: Self.example)
        let text = tracker.tomlText()
        #expect(
            text.contains(
                """
                [[target]]
                name = "embed p95"
                metric = 'operation_seconds{op="embed"}'
                statistic = "p95"
                goal = "< 50ms"
                baseline = 0.072
                baseline_captured = 2026-11-23T21:05:51Z
                priority = "high"
                owner = "ana"
                due = 2024-07-15
                status = "in progress"
                notes = "Implement embedding cache"
                """
            )
        )
        #expect(text.contains("statistic = \"hit ratio\"\ngoal = \">= 70%\"\n"))
        #expect(text.contains("columns = [\n    [\"Optimization Target\", \"Memory Usage Optimization\"],\n"))
    }

    @Test(
        "errors name the file and line",
        arguments: [
            ("[[target]]\nname = \"a\"\ngoal = \"< 50 mz\"\n", "t.toml:3: goal: column 6: unknown unit 'mz'"),
            (
                "[[target]]\nname = \"a\"\n\n[[target]]\nname = \"b\"\nmetric = \"x{y}\"\n",
                "t.toml:6: metric: column 4: expected '='"
            ),
            ("[[target]]\nname = \"a\"\nstatistic = \"p42\"\n", "t.toml:3: statistic: unknown statistic 'p42'"),
            ("[[target]]\nname = \"a\"\ngoals = \"< 1\"\n", "t.toml:3: unknown key 'goals'"),
            ("[[target]]\nname = \"a\"\ndue = \"July\"\n", "t.toml:3: expected due to be a date"),
            ("[[target]]\nname = \"a\"\ndue = 2023-02-29\n", "t.toml:3:"),
            ("[[target]]\nowner = \"a\"\n", "t.toml:1: a target needs a non-empty name"),
            ("[[target]]\nname = \"a\"\nbaseline = \"fast\"\n", "t.toml:3: expected baseline to be a number"),
            ("[[target]]\nname = \"a\"\nbaseline = -inf\n", "t.toml:3: baseline must be a finite number, got -inf"),
            ("[[target]]\nname = \"a\"\nbaseline = nan\n", "t.toml:3: baseline must be a finite number, got nan"),
            ("[[target]]\nname = \"a\"\ncolumns = [\"x\"]\n", "t.toml:3: expected columns to be a list"),
            ("margin = 2\n", "t.toml:1: expected margin to be a number"),
            (
                "[[target]]\nname = \"a\"\nmetric = \"cache_entries\"\nstatistic = \"hit ratio\"\n",
                "t.toml:3: hit ratio reads a hits counter",
            ),
            ("titel = \"x\"\n", "t.toml:1: unknown key 'titel'"),
            ("[[target]]\nname = \"a\"\ngoal = < 50ms\n", "t.toml:3: "),
            // Found by Fuzz/FuzzTrackerTOML: toml++ (inside TOMLKit) aborted the process on these.
            ("[\n", "t.toml:1: expected a key in the table header"),
            ("title = \"x\"\n\n[[ =\n", "t.toml:3: expected a key in the table header, found '='"),
            (
                "[[target]]\nname = \"a\"\nbaseline_captured = 2026-11-23T:\n",
                "t.toml:3: '2026-11-23T:' is not a TOML value"
            ),
        ]
    )
    func errors(text: String, prefix: String) {
        do {
            let tracker = try Tracker(toml: text, fileName: "t.toml")
            Issue.record("read \(tracker)")
        } catch {
            #expect("\(error)".hasPrefix(prefix), "\(error)")
            #expect(!"\(error)".contains("\n"))
        }
    }

    @Test("writes atomically and reads back from disk")
    func diskRoundTrip() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tracker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("tracker.toml").path
        let tracker = try Tracker(toml: Self.example)
        try tracker.write(path: path)
        try tracker.write(path: path)
        #expect(try Tracker.read(path: path) == tracker)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["tracker.toml"])
        #expect(throws: TrackerError("cannot read the file", file: path + ".missing")) {
            try Tracker.read(path: path + ".missing")
        }
    }

    @Test("a tracker path naming a stream that never ends fails at the size cap, not out of memory")
    func endlessFile() {
        #expect(throws: TrackerError("larger than \(FileError.maximumFileBytes) bytes", file: "/dev/zero")) {
            try Tracker.read(path: "/dev/zero")
        }
    }

    // Found by Fuzz/FuzzTrackerTOML: with "\r\n" line endings the whole file was one line, so an error named
    // the wrong line or none.
    @Test("a file with Windows line endings reads as, and fails on the same line as, the same file with Unix ones")
    func windowsLineEndings() throws {
        let windows = Self.example.replacing("\n", with: "\r\n")
        #expect(try Tracker(toml: windows) == (try Tracker(toml: Self.example)))
        do {
            _ = try Tracker(toml: "[[target]]\r\nname = \"a\"\r\ngoals = \"< 1\"\r\n", fileName: "t.toml")
            Issue.record("read a tracker with an unknown key")
        } catch {
            #expect("\(error)".hasPrefix("t.toml:3: unknown key 'goals'"), "\(error)")
        }
    }
}

@Suite("Tracker files: the documented example")
struct TrackerExampleFileTests {
    @Test("docs/tracker.md's example (copied to Fixtures/tracker/example.toml) reads and round-trips")
    func example() throws {
        let url = try #require(
            Bundle.module.url(forResource: "example", withExtension: "toml", subdirectory: "Fixtures/tracker")
        )
        let tracker = try Tracker.read(path: url.path)
        #expect(tracker.targets.count == 5)
        #expect(tracker.targets[3].baseline == TrackerBaseline(value: 734_003_200, captured: 1_795_165_200))
        #expect(tracker.targets[4].columns.count == 7)
        #expect(try Tracker(toml: tracker.tomlText()) == tracker)
    }
}
