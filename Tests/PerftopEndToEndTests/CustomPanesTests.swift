import Foundation
import Testing

/// Custom panes from config.toml in a real terminal (tmux), attached to a demo agent.
@Suite("custom panes in tmux", .serialized, .timeLimit(.minutes(2)))
struct CustomPanesTests {
    /// Two good panes, a bad one (its kind on line 18) and a layout of two columns, the good panes first.
    static let config = """
        panes = ["entries", "jobs", "caches"]

        [[pane]]
        name = "jobs"
        title = "Jobs done"
        metric = 'processor_tasks_total{outcome="succeeded"}'
        statistic = "rate"
        goal = "> 1/s"

        [[pane]]
        name = "entries"
        title = "Cache entries"
        metric = 'cache_entries'
        kind = "table"

        [[pane]]
        name = "broken"
        kind = "pie"
        metric = 'x'

        [layout]
        columns = 2
        sizes = { entries = 2 }
        """

    @Test("a custom pane from the config shows its data; a bad one is a warning with its line and perftop starts")
    func customPanes() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/a.sock"
        let configPath = directory + "/perftop/config.toml"
        try FileManager.default.createDirectory(atPath: directory + "/perftop", withIntermediateDirectories: true)
        try Self.config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let agent = try PerftopProcess.start(["demo", "--serve", socket])
        #expect(await PerftopProcess.eventually { FileManager.default.fileExists(atPath: socket) })
        let tmux = try await TmuxSession.start(columns: 160, rows: 48, environment: ["XDG_CONFIG_HOME": directory])
        let stderr = directory + "/stderr.txt"
        try await tmux.type(
            "\(PerftopProcess.executablePath) --attach \(socket) --interval 0.5 2>\(stderr); echo EXIT=$?"
        )
        #expect(try await tmux.waitFor("Jobs done"))
        // The table pane: one row per cache with its entry count.
        let entries = try await tmux.waitUntil { screen in
            screen.range(of: #"cache="users"[^│\n]*\s\d+"#, options: .regularExpression) != nil
        }
        // The graph pane: the succeeded tasks' rate, judged against its goal.
        let rate = try await tmux.waitUntil { screen in
            screen.range(of: #"\d+(\.\d+)?/s\s+(met|at risk|missed)\s+goal > 1/s"#, options: .regularExpression) != nil
        }
        let screen = try await tmux.screen()
        #expect(entries, "no cache_entries rows in:\n\(screen)")
        #expect(rate, "no succeeded-task rate in:\n\(screen)")
        let first = try #require(screen.split(separator: "\n").dropFirst().first)
        #expect(
            first.contains("Cache entries") && first.contains("Jobs done"),
            "the panes' order and columns:\n\(screen)"
        )
        #expect(!screen.contains("broken"))
        #expect(
            screen.contains("warning: config.toml:18: unknown kind 'pie' (expected graph, table, gauge)"),
            "the footer does not show the warning:\n\(screen)"
        )
        try await tmux.send("q")
        #expect(try await tmux.waitFor("EXIT=0"))
        let warnings = try String(contentsOfFile: stderr, encoding: .utf8)
        #expect(
            warnings == "perftop: warning: \(configPath):18: unknown kind 'pie' (expected graph, table, gauge)\n",
            "\(warnings)"
        )
        await tmux.close()
        await PerftopProcess.stop(agent)
    }
}
