import Foundation
import Testing

/// perftop watching a directory of agents in a real terminal (tmux): the fleet pane, agents that
/// come and go, and drilling into one agent.
@Suite("fleet in tmux", .timeLimit(.minutes(2)))
struct FleetTests {
    @Test("--attach DIR lists each agent by name and pid, picks up a new agent, drops a gone one, drills in and out")
    func fleetFollowsTheDirectory() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let agents = directory + "/agents"
        try FileManager.default.createDirectory(atPath: agents, withIntermediateDirectories: false)
        var pids: [pid_t] = []
        for name in ["a", "b"] {
            pids.append(try PerftopProcess.start(["demo", "--serve", "\(agents)/\(name).sock"]))
        }
        #expect(
            await PerftopProcess.eventually {
                (try? FileManager.default.contentsOfDirectory(atPath: agents))?.count == 2
            }
        )
        let tmux = try await TmuxSession.start(columns: 200, rows: 50, environment: ["XDG_CONFIG_HOME": directory])
        try await tmux.type("\(PerftopProcess.executablePath) --attach \(agents) --interval 0.5; echo EXIT=$?")
        #expect(try await tmux.waitFor("fleet (3)"), "proc and two agents")
        try await tmux.send("z")
        #expect(try await tmux.waitFor("demo[\(pids[0])]"), "an agent is named by its name and pid")
        #expect(try await tmux.waitFor("demo[\(pids[1])]"))

        pids.append(try PerftopProcess.start(["demo", "--serve", "\(agents)/c.sock"]))
        let grown = try await tmux.waitUntil { $0.contains("fleet (4)") && $0.contains("demo[\(pids[2])]") }
        let screen = try await tmux.screen()
        #expect(grown, "the new agent is watched without a restart:\n\(screen)")

        // The rows are sorted by name, the agents (demo[…]) before proc: the second row is an agent.
        try await tmux.send("Down", "Enter")
        #expect(try await tmux.waitFor("alone: Esc for the fleet"))
        #expect(try await tmux.waitFor("Cache hit rate"))
        let alone = try await tmux.screen()
        #expect(
            alone.split(separator: "\n").first?.contains("demo[") == true,
            "the header names the one agent:\n\(alone)"
        )
        try await tmux.send("Escape")
        #expect(try await tmux.waitFor("fleet (4)"))

        await PerftopProcess.stop(pids[1])
        let shrunk = try await tmux.waitUntil { $0.contains("fleet (3)") && !$0.contains("demo[\(pids[1])]") }
        let after = try await tmux.screen()
        #expect(shrunk, "an agent whose socket is gone is dropped:\n\(after)")

        try await tmux.send("q")
        #expect(try await tmux.waitFor("EXIT=0"))
        await tmux.close()
        for pid in [pids[0], pids[2]] {
            await PerftopProcess.stop(pid)
        }
    }
}
