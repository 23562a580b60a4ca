import Foundation
import Testing

/// The dashboard in a real terminal (tmux), attached to a demo agent.
@Suite("dashboard in tmux", .serialized, .timeLimit(.minutes(2)))
struct DashboardTests {
    static let paneTitles = [
        "Cache hit rate", "Queue depth", "p95 latency", "Memory", "Allocation churn", "Optimization tracker",
    ]

    /// A demo agent serving a socket, and perftop attached to it in a tmux window.
    private struct Attached {
        var tmux: TmuxSession
        var agent: pid_t
        var directory: String

        func close() async {
            await self.tmux.close()
            await PerftopProcess.stop(self.agent)
            try? FileManager.default.removeItem(atPath: self.directory)
        }
    }

    /// Starts a demo agent and perftop attached to it in a tmux window of `columns` × `rows`, with
    /// its config directory in a fresh temporary directory; the shell runs `then` after perftop
    /// (by default, printing its exit status as `EXIT=N`).
    private func startAttached(
        columns: Int = 160,
        rows: Int = 48,
        then: String = "; echo EXIT=$?"
    ) async throws -> Attached {
        let directory = try PerftopProcess.temporaryDirectory()
        let socket = directory + "/a.sock"
        let agent = try PerftopProcess.start(["demo", "--serve", socket])
        #expect(await PerftopProcess.eventually { FileManager.default.fileExists(atPath: socket) })
        let tmux = try await TmuxSession.start(
            columns: columns,
            rows: rows,
            environment: ["XDG_CONFIG_HOME": directory]
        )
        let attached = Attached(tmux: tmux, agent: agent, directory: directory)
        try await tmux.type("\(PerftopProcess.executablePath) --attach \(socket) --interval 0.5" + then)
        #expect(try await tmux.waitFor("Optimization tracker"))
        return attached
    }

    /// The screen without its first (header) and last (footer) rows: the panes.
    private static func body(_ screen: String) -> [Substring] {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        return Array(lines.dropFirst().dropLast(2))
    }

    /// The footer: the last non-empty row.
    private static func footer(_ screen: String) -> Substring {
        screen.split(separator: "\n").last ?? ""
    }

    /// True when one row of `screen` holds all of `titles`, i.e. the panes sit side by side.
    private static func sideBySide(_ titles: [String], in screen: String) -> Bool {
        screen.split(separator: "\n").contains { line in titles.allSatisfy { line.contains($0) } }
    }

    @Test("shows all six panes and a numeric hit rate; q exits 0 and restores the screen")
    func quitWithQ() async throws {
        let attached = try await self.startAttached()
        let tmux = attached.tmux
        let screen = try await tmux.screen()
        for title in Self.paneTitles {
            #expect(screen.contains(title), "missing pane \(title) in:\n\(screen)")
        }
        let hitRate = try await PerftopProcess.eventually {
            try await tmux.screen().range(of: #"users\s+\d{1,3}(\.\d)?%"#, options: .regularExpression) != nil
        }
        let screenAfterWait = try await tmux.screen()
        #expect(hitRate, "no numeric hit rate for cache users in:\n\(screenAfterWait)")
        let latency = try await PerftopProcess.eventually {
            try await tmux.screen().range(of: #"jobs service\s+\d"#, options: .regularExpression) != nil
        }
        let screenWithLatency = try await tmux.screen()
        #expect(latency, "no service-time percentiles for processor jobs in:\n\(screenWithLatency)")
        // A sanitizer's malloc has no heap figures, so the churn pane then names /proc's faults instead.
        #expect(
            screenWithLatency.contains(PerftopProcess.isSanitized ? "faults" : "mallinfo2"),
            "the churn pane does not name its source in:\n\(screenWithLatency)"
        )
        #expect(try await tmux.isAlternateScreenOn())
        try await tmux.send("q")
        #expect(try await tmux.waitFor("EXIT=0"))
        #expect(try await !tmux.isAlternateScreenOn())
        await attached.close()
    }

    @Test("SIGTERM exits 0 and restores the screen")
    func quitWithSIGTERM() async throws {
        let attached = try await self.startAttached()
        let pkill = try await PerftopProcess.run(
            command: ["pkill", "-TERM", "-f", "perftop --attach \(attached.directory)"]
        )
        #expect(pkill.status == 0)
        #expect(try await attached.tmux.waitFor("EXIT=0"))
        #expect(try await !attached.tmux.isAlternateScreenOn())
        await attached.close()
    }

    @Test("resizing 200×50 to 60×20 stacks the panes, under 60 columns is too small, back to 200×50; Ctrl-C exits 0")
    func resize() async throws {
        let attached = try await self.startAttached(columns: 200, rows: 50)
        let tmux = attached.tmux
        let threeColumns = Array(Self.paneTitles.prefix(3))
        #expect(try await tmux.waitUntil { Self.sideBySide(threeColumns, in: $0) })
        try await tmux.resize(columns: 60, rows: 20)
        let stacked = try await tmux.waitUntil { screen in
            Self.paneTitles.allSatisfy { screen.contains($0) }
                && !Self.sideBySide(Array(Self.paneTitles.prefix(2)), in: screen)
                && screen.split(separator: "\n").allSatisfy { $0.count <= 60 }
        }
        let small = try await tmux.screen()
        #expect(stacked, "not one column of six panes at 60×20:\n\(small)")
        #expect(!small.contains("terminal too small"))
        try await tmux.resize(columns: 59, rows: 20)
        #expect(try await tmux.waitFor("need 60×16, have 59×20"))
        try await tmux.resize(columns: 200, rows: 50)
        let restored = try await tmux.waitUntil { Self.sideBySide(threeColumns, in: $0) }
        let large = try await tmux.screen()
        #expect(restored, "not three columns again at 200×50:\n\(large)")
        for title in Self.paneTitles {
            #expect(large.contains(title), "missing pane \(title) in:\n\(large)")
        }
        try await tmux.send("C-c")
        #expect(try await tmux.waitFor("EXIT=0"))
        #expect(try await !tmux.isAlternateScreenOn())
        await attached.close()
    }

    @Test("2 hides and shows a pane, f freezes and unfreezes, t changes the theme, ? shows every key")
    func keys() async throws {
        let attached = try await self.startAttached(columns: 200, rows: 50)
        let tmux = attached.tmux
        try await tmux.send("2")
        #expect(try await tmux.waitForAbsence(of: "Queue depth"))
        #expect(try await tmux.screen().contains("Cache hit rate"))
        try await tmux.send("2")
        #expect(try await tmux.waitFor("Queue depth"))

        let first = try await Self.body(tmux.screen())
        let moving = try await tmux.waitUntil { Self.body($0) != first }
        #expect(moving, "the panes do not change while live")
        try await tmux.send("f")
        #expect(try await tmux.waitUntil { $0.hasPrefix("perftop │ FROZEN │") })
        let frozen = try await Self.body(tmux.screen())
        // Three intervals of 0.5 s: a live screen would have changed by now.
        try await Task.sleep(for: .milliseconds(1500))
        let later = try await tmux.screen()
        #expect(Self.body(later) == frozen, "the panes changed while frozen:\n\(later)")
        #expect(later.hasPrefix("perftop │ FROZEN │"))
        #expect(Self.footer(later).contains("space resume"))
        try await tmux.send("f")
        #expect(try await tmux.waitForAbsence(of: "FROZEN"))
        #expect(try await tmux.waitUntil { Self.body($0) != frozen })

        try await tmux.send("t")
        let themed = try await tmux.waitUntil(limit: .seconds(10)) { screen in
            Self.footer(screen).range(of: #"theme [^ ]+$"#, options: .regularExpression) != nil
        }
        let afterTheme = try await tmux.screen()
        #expect(themed, "no theme named in the footer after t:\n\(afterTheme)")
        let config = try String(contentsOfFile: attached.directory + "/perftop/config.toml", encoding: .utf8)
        #expect(config.contains("theme = "), "t did not save the theme:\n\(config)")

        try await tmux.send("?")
        #expect(try await tmux.waitFor("Keys (any key closes)"))
        let help = try await tmux.screen()
        for key in ["q  Ctrl-C", "space  f", "Shift-Tab", "PgUp", "Esc"] {
            #expect(help.contains(key), "the help does not list \(key):\n\(help)")
        }
        try await tmux.send("x")
        #expect(try await tmux.waitForAbsence(of: "Keys (any key closes)"))
        try await tmux.send("q")
        #expect(try await tmux.waitFor("EXIT=0"))
        await attached.close()
    }

    @Test("a frame reaches the terminal in one write, not in one write per cursor movement")
    func framesAreWrittenWhole() async throws {
        let attached = try await self.startAttached(then: "")
        let found = try await PerftopProcess.run(command: [
            "pgrep", "-n", "-f", "--", "--attach \(attached.directory)/a.sock",
        ])
        let pid = found.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(found.status == 0, "pgrep found no perftop: \(found.standardError)")
        let before = try Self.writeCalls(of: pid)
        try await Task.sleep(for: .seconds(5))
        let writes = try Self.writeCalls(of: pid) - before
        // Ten rounds at 0.5 s. Each writes one frame, asks the agent once and wakes a few threads:
        // about 65 writes in all. ncurses flushing at every cursor movement made it about 630.
        #expect(writes < 200, "\(writes) write calls in 5 s")
        await attached.close()
    }

    /// How many write system calls process `pid` has made (`syscw` in /proc/PID/io).
    private static func writeCalls(of pid: String) throws -> Int {
        let io = try String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8)
        let line = io.split(separator: "\n").first { $0.hasPrefix("syscw:") }
        return line.flatMap { Int($0.dropFirst("syscw:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
    }

    /// How many times the suspend tests stop perftop: a Ctrl-Z that arrived while ncurses wrote a frame
    /// used to be lost about one time in three, so ten tries miss that with a chance below 3%.
    static let suspendTries = 10

    @Test("Ctrl-Z gives the shell back with the terminal restored, every time; fg redraws the dashboard; q exits 0")
    func suspendAndResume() async throws {
        let attached = try await self.startAttached(columns: 120, rows: 40, then: "")
        let tmux = attached.tmux
        for attempt in 1...Self.suspendTries {
            try await tmux.send("C-z")
            let stopped = try await tmux.waitUntil(limit: .seconds(10)) { $0.contains("Stopped") }
            #expect(stopped, "Ctrl-Z number \(attempt) did not stop perftop")
            #expect(try await !tmux.isAlternateScreenOn())
            guard stopped else {
                break
            }
            try await tmux.type(attempt == Self.suspendTries ? "clear; fg; echo FG=$?" : "clear; fg")
            #expect(try await PerftopProcess.eventually { try await tmux.isAlternateScreenOn() })
            let redrawn = try await tmux.waitUntil { screen in Self.paneTitles.allSatisfy { screen.contains($0) } }
            let screen = try await tmux.screen()
            #expect(redrawn, "the dashboard is not redrawn after fg:\n\(screen)")
            #expect(screen.hasPrefix("perftop │"))
        }
        try await tmux.send("q")
        #expect(try await tmux.waitFor("FG=0"))
        #expect(try await !tmux.isAlternateScreenOn())
        await attached.close()
    }

    @Test("kill -TSTP stops the dashboard every time, as Ctrl-Z does")
    func stopSignal() async throws {
        let attached = try await self.startAttached(columns: 120, rows: 40, then: "")
        let tmux = attached.tmux
        for attempt in 1...Self.suspendTries {
            let sent = try await PerftopProcess.run(command: [
                "pkill", "-TSTP", "-f", "--", "--attach \(attached.directory)/a.sock",
            ])
            #expect(sent.status == 0, "pkill found no perftop: \(sent.standardError)")
            let stopped = try await tmux.waitUntil(limit: .seconds(10)) { $0.contains("Stopped") }
            #expect(stopped, "SIGTSTP number \(attempt) did not stop perftop")
            guard stopped else {
                break
            }
            try await tmux.type(attempt == Self.suspendTries ? "clear; fg; echo FG=$?" : "clear; fg")
            #expect(try await tmux.waitUntil { screen in Self.paneTitles.allSatisfy { screen.contains($0) } })
        }
        try await tmux.send("q")
        #expect(try await tmux.waitFor("FG=0"))
        await attached.close()
    }

    @Test(
        "a crash signal restores the terminal (normal screen, echo and line mode) and keeps the crash's status",
        arguments: [("SEGV", 139), ("ABRT", 134)]
    )
    func crashRestoresTheTerminal(signal: String, status: Int) async throws {
        let attached = try await self.startAttached(columns: 120, rows: 40)
        let tmux = attached.tmux
        let killed = try await PerftopProcess.run(command: [
            "pkill", "-\(signal)", "-f", "--", "--attach \(attached.directory)/a.sock",
        ])
        #expect(killed.status == 0, "pkill found no perftop: \(killed.standardError)")
        #expect(try await tmux.waitFor("EXIT=\(status)"))
        #expect(try await !tmux.isAlternateScreenOn())
        try await tmux.type(
            "stty -a | tr ' ' '\\n' | grep -x -e -icanon -e icanon -e -echo -e echo | tr '\\n' ' '; echo MODES"
        )
        // Restored modes print "icanon echo MODES"; raw ones "-icanon -echo MODES".
        let restored = try await tmux.waitFor("icanon echo MODES", limit: .seconds(10))
        let screen = try await tmux.screen()
        #expect(restored, "terminal modes not restored:\n\(screen)")
        await attached.close()
    }
}
