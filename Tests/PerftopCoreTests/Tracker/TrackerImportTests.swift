import Foundation
import Testing

@testable import PerftopCore

@Suite("Tracker markdown import")
struct TrackerImportTests {
    private func seed() throws -> (path: String, text: String) {
        let url = try #require(
            Bundle.module.url(forResource: "seed-tracker", withExtension: "md", subdirectory: "Fixtures/tracker")
        )
        return (url.path, try String(contentsOf: url, encoding: .utf8))
    }

    /// The seed's table rows split naively on `|`: header rows and separators left out.
    private func rawRows(_ text: String) -> [[String]] {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [[String]] = []
        for (index, line) in lines.enumerated() where line.hasPrefix("|") && !line.hasPrefix("|-") {
            if index + 1 < lines.count, lines[index + 1].hasPrefix("|-") {
                continue
            }
            rows.append(
                line.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
            )
        }
        return rows
    }

    @Test("the seed imports with every row of every table, in order, under its section")
    func rowsAndSections() throws {
        let tracker = try MarkdownTrackerImporter().importFile(path: try self.seed().path)
        #expect(tracker.title == "Performance Optimization Tracker")
        var counts: [String: Int] = [:]
        for target in tracker.targets {
            counts[target.section ?? "", default: 0] += 1
        }
        #expect(
            counts == [
                "Performance Optimization Status": 10, "Performance Benchmarks": 8,
                "Caching Strategy Implementation": 6, "Memory Profiling Targets": 5, "Progress Tracking": 1,
                "Performance Testing Infrastructure": 5, "Known Performance Bottlenecks": 5,
            ]
        )
        #expect(tracker.targets.count == 40)
        let untracked = Set(tracker.targets.filter { !$0.tracked }.compactMap(\.section))
        #expect(untracked == ["Progress Tracking", "Known Performance Bottlenecks"])
        #expect(tracker.targets.allSatisfy { $0.metric == nil })
    }

    @Test("every column and cell is kept; with repair off, byte for byte")
    func columns() throws {
        let (path, text) = try self.seed()
        let raw = self.rawRows(text)
        let asWritten = try MarkdownTrackerImporter(repairsEncoding: false).importFile(path: path)
        #expect(asWritten.targets.map { $0.columns.map(\.value) } == raw)
        let repaired = try MarkdownTrackerImporter().importFile(path: path)
        #expect(repaired.targets.map { $0.columns.map(\.value) } == raw.map { $0.map(Mojibake.repair) })
        let first = repaired.targets[0]
        #expect(
            first.columns.map(\.name) == [
                "Optimization Target", "Status", "Priority", "Assigned To", "Target Completion",
                "Expected Improvement", "Notes",
            ]
        )
        #expect(first.column("status") == "🔴 Not Started")
        #expect(asWritten.targets[0].column("Status") == "ðŸ”´ Not Started")
    }

    @Test("fills name, status, priority, due, goal, statistic and notes from known columns")
    func fields() throws {
        let tracker = try MarkdownTrackerImporter().importFile(path: try self.seed().path)
        let caching = tracker.targets[0]
        #expect(caching.name == "VectorSearchResolver Caching")
        #expect(caching.status == .notStarted)
        #expect(caching.priority == .high)
        #expect(caching.owner == nil)
        #expect(caching.due == TrackerDate(year: 2024, month: 7, day: 15))
        #expect(caching.goal == .relative(percent: -60))
        #expect(caching.notes == "Implement embedding cache")
        #expect(tracker.targets[9].goal == .relative(percent: 25))
        let search = tracker.targets[10]
        #expect(search.name == "VectorSearchResolver: Vector Search (1K vectors)")
        #expect(search.goal == .absolute(.lessThan, amount: 50, unit: .milliseconds))
        #expect(search.statistic == .p95)
        #expect(tracker.targets[11].statistic == .mean)
        #expect(tracker.targets[14].goal == .relative(percent: -25))
        #expect(tracker.targets[14].statistic == nil)
        let memory = tracker.targets[24]
        #expect(memory.section == "Memory Profiling Targets")
        #expect(memory.goal == .relative(percent: -30))
        #expect(memory.status == .notStarted)
        #expect(tracker.targets.filter { $0.status != nil }.allSatisfy { $0.status == .notStarted })
    }

    @Test("the imported tracker writes TOML that reads back equal")
    func roundTrip() throws {
        let tracker = try MarkdownTrackerImporter().importFile(path: try self.seed().path)
        let text = tracker.tomlText()
        #expect(try Tracker(toml: text, fileName: "seed.toml") == tracker)
        #expect(text.contains("🔴 Not Started"))
        let asWritten = try MarkdownTrackerImporter(repairsEncoding: false).importFile(path: try self.seed().path)
        #expect(try Tracker(toml: asWritten.tomlText()) == asWritten)
    }

    @Test(
        "reads status words and emoji, including their mis-encoded forms",
        arguments: [
            ("ðŸ”´ Not Started", TrackerWorkStatus.notStarted),
            ("ðŸŸ¡ In Progress", .inProgress),
            ("ðŸŸ¢ Completed", .completed),
            ("âœ…", .completed),
            ("ðŸŸ¡", .inProgress),
            ("â\u{9D}Œ", .blocked),
            ("âŒ blocked", .blocked),
            ("âŒ", .blocked),
            ("❌", .blocked),
            ("✅ Done", .completed),
            ("Done", .completed),
            ("blocked", .blocked),
            ("in progress", .inProgress),
            ("waiting", .other("waiting")),
        ]
    )
    func statuses(text: String, status: TrackerWorkStatus) {
        #expect(TrackerWorkStatus(parsing: text) == status)
    }

    @Test("mojibake repair leaves correct text alone")
    func mojibake() {
        #expect(Mojibake.repair("ðŸ”´ Not Started") == "🔴 Not Started")
        #expect(Mojibake.repair("âœ… done") == "✅ done")
        // Repairs that would produce a control or format character are not made: "Â›" is the C1 CSI
        // and "â€®" the right-to-left override, each as Windows-1252 would show its UTF-8 bytes.
        #expect(Mojibake.repair("Â›31m") == "Â›31m")
        #expect(Mojibake.repair("evil â€®txt") == "evil â€®txt")
        #expect(Mojibake.repair("cafÃ©") == "café")
        #expect(Mojibake.repair("café ✅ 🔴 naïve — ok") == "café ✅ 🔴 naïve — ok")
        #expect(Mojibake.repair("plain") == "plain")
        #expect(TrackerWorkStatus(parsing: "-") == nil)
    }

    @Test("tables: ragged rows, escaped pipes, selectors in a metric column, headings as sections")
    func tables() {
        let markdown = """
            # Service goals

            Some text | not a table.

            ### Latency
            | Target | Metric | Statistic | Goal | Owner | Extra |
            |:---|---|---:|:-:|---|---|
            | embed \\| search | operation_seconds{op="embed"} | p99 | < 20 ms | ana |
            | cache | cache_hits_total{cache="users"} | hit ratio | >= 90% | - | x | y |
            """
        let tracker = MarkdownTrackerImporter().tracker(fromMarkdown: markdown)
        #expect(tracker.title == "Service goals")
        #expect(tracker.targets.count == 2)
        let first = tracker.targets[0]
        #expect(first.name == "embed | search")
        #expect(first.section == "Latency")
        #expect(
            first.metric == MetricSelector(name: "operation_seconds", matchers: [.init(label: "op", value: "embed")])
        )
        #expect(first.statistic == .p99)
        #expect(first.goal == .absolute(.lessThan, amount: 20, unit: .milliseconds))
        #expect(first.owner == "ana")
        #expect(first.columns.count == 6)
        #expect(first.columns.last == TrackerColumn(name: "Extra", value: ""))
        #expect(tracker.targets[1].owner == nil)
        #expect(tracker.targets[1].statistic == .hitRatio)
        #expect(tracker.targets[1].columns.last == TrackerColumn(name: "Column 7", value: "y"))
    }

    // Found by Fuzz/FuzzMarkdownImport: with "\r\n" line endings the document was one line, so no table was found.
    @Test("a document with Windows line endings imports as the same document with Unix ones")
    func windowsLineEndings() throws {
        let text = try self.seed().text
        let windows = MarkdownTrackerImporter().tracker(fromMarkdown: text.replacing("\n", with: "\r\n"))
        #expect(windows == MarkdownTrackerImporter().tracker(fromMarkdown: text))
        #expect(windows.targets.count == 40)
    }

    // Found by Fuzz/FuzzMarkdownImport: TOMLKit ends a string at a NUL, so an imported cell holding one lost the
    // rest of its text when the tracker was saved and read back.
    @Test("a NUL in a cell becomes U+FFFD, so the saved tracker reads back whole")
    func nulCharacters() throws {
        let tracker = MarkdownTrackerImporter().tracker(
            fromMarkdown: "| Target | Goal |\n|---|---|\n| a\u{0}b | < 1ms |\n"
        )
        #expect(tracker.targets.map(\.name) == ["a\u{FFFD}b"])
        #expect(try Tracker(toml: tracker.tomlText()) == tracker)
    }

    // Found by Fuzz/FuzzMarkdownImport: the importer bound a hit ratio to a series that is not a hits counter,
    // a target the tracker file refuses, so the imported tracker was saved as a file that could not be read.
    @Test("a row whose statistic cannot read its metric binds to no metric, and the saved tracker reads back")
    func statisticThatCannotReadTheMetric() throws {
        let tracker = MarkdownTrackerImporter().tracker(
            fromMarkdown: """
                | Target | Metric | Statistic | Goal |
                |---|---|---|---|
                | users | cache_entries{cache="users"} | hit ratio | >= 70% |
                | hits | cache_hits_total{cache="users"} | hit ratio | >= 70% |
                """
        )
        #expect(tracker.targets.map(\.metric?.name) == [nil, "cache_hits_total"])
        #expect(try Tracker(toml: tracker.tomlText()) == tracker)
    }

    // Found by reading the importer, confirmed with Fuzz/FuzzMarkdownImport (out of memory on 14 kB): every row was
    // padded to the widest row, so one row of thousands of cells cost memory in proportion to rows × cells.
    @Test("a row keeps the cells it has: one wide row does not make the others as wide")
    func rowsKeepTheirOwnWidth() throws {
        let wide = "| " + (1...3_000).map(String.init).joined(separator: " | ") + " |"
        let rows = String(repeating: "| a |\n", count: 1_000)
        let tracker = MarkdownTrackerImporter().tracker(fromMarkdown: "| Target | Goal |\n|---|---|\n\(wide)\n\(rows)")
        #expect(tracker.targets.count == 1_001)
        #expect(tracker.targets[0].columns.count == 3_000)
        #expect(tracker.targets[0].columns.last == TrackerColumn(name: "Column 3000", value: "3000"))
        #expect(tracker.targets.dropFirst().allSatisfy { $0.columns == [TrackerColumn(name: "Target", value: "a")] })
        #expect(try Tracker(toml: tracker.tomlText()) == tracker)
    }
}
