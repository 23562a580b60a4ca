import Foundation
import Testing

/// Binding a tracker target from the dashboard: `b` in the tracker pane, in a real terminal (tmux).
@Suite("tracker binding in tmux", .serialized, .timeLimit(.minutes(2)))
struct DashboardBindingTests {
    /// A tracker as a person writes one, its only target unbound.
    static let tracker = """
        # Bound from the dashboard by DashboardBindingTests.
        title = "bind test"

        [[target]]
        name   = "Users Lookup"     # imported from the seed, no metric yet
        goal = "< 1s"

        # The end.
        """

    @Test("b on an unbound target: the best match is first; Enter, Enter writes it in place and the pane judges it")
    func bindFromTheScreen() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/tracker.toml"
        try Self.tracker.write(toFile: file, atomically: true, encoding: .utf8)
        let tmux = try await TmuxSession.start(columns: 160, rows: 48, environment: ["XDG_CONFIG_HOME": directory])
        try await tmux.type(
            "\(PerftopProcess.executablePath) demo --tracker \(file) --interval 0.5; echo EXIT=$?"
        )
        #expect(try await tmux.waitFor("Optimization tracker"))
        #expect(try await tmux.waitUntil { $0.contains("Users Lookup") && $0.contains("unbound") })
        // The demo's agent needs a round or two before its series exist. The focus starts on the first
        // of the six panes; the tracker is the sixth.
        #expect(try await tmux.waitFor("users.lookup"))
        for _ in 0..<5 {
            try await tmux.send("Tab")
        }
        #expect(try await tmux.waitFor("[Optimization tracker]"))
        try await tmux.send("b")
        #expect(try await tmux.waitFor("Bind 'Users Lookup'"))
        let picker = try await tmux.screen()
        #expect(picker.contains(#"> operation_seconds{op="users.lookup""#), "the best match first:\n\(picker)")
        try await tmux.send("Enter")
        #expect(try await tmux.waitFor("default for a summary"))
        try await tmux.send("Enter")
        #expect(try await tmux.waitFor("saved to"))

        let written = try String(contentsOfFile: file, encoding: .utf8)
        let lines = written.split(separator: "\n", omittingEmptySubsequences: false)
        let original = Self.tracker.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == original.count + 2, "\(written)")
        #expect(Array(lines.prefix(5)) == Array(original.prefix(5)), "comments and layout are kept:\n\(written)")
        #expect(lines.count > 6 && lines[5].hasPrefix(#"metric = 'operation_seconds{op="users.lookup""#))
        #expect(lines.count > 6 && lines[6] == #"statistic = "p95""#)
        #expect(Array(lines.suffix(3)) == Array(original.suffix(3)))

        let judged = try await tmux.waitUntil { screen in
            screen.split(separator: "\n").contains { $0.contains("Users Lookup") && $0.contains(" met") }
        }
        let screen = try await tmux.screen()
        #expect(judged, "the target is judged at once:\n\(screen)")
        try await tmux.send("q")
        #expect(try await tmux.waitFor("EXIT=0"))
        await tmux.close()
    }
}
