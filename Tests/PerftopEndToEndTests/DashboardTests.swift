import Foundation
import Testing

/// The dashboard in a real terminal (tmux), attached to a demo agent.
@Suite("dashboard in tmux", .timeLimit(.minutes(2)))
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

    private func startAttached() async throws -> Attached {
        let directory = try PerftopProcess.temporaryDirectory()
        let socket = directory + "/a.sock"
        let agent = try PerftopProcess.start(["demo", "--serve", socket])
        #expect(await PerftopProcess.eventually { FileManager.default.fileExists(atPath: socket) })
        let tmux = try await TmuxSession.start(columns: 160, rows: 48)
        let attached = Attached(tmux: tmux, agent: agent, directory: directory)
        try await tmux.type("\(PerftopProcess.executablePath) --attach \(socket) --interval 0.5; echo EXIT=$?")
        #expect(try await tmux.waitFor("Optimization tracker"))
        return attached
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
        #expect(
            screenWithLatency.contains("mallinfo2"),
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
}
