import Foundation
import PerfKit
import PerfKitAgent
import Testing

/// perftop watching a directory of agents in a real terminal (tmux): the fleet pane, agents that
/// come and go, and drilling into one agent. The agents are real agent servers on real sockets,
/// served by the test process itself: three `perftop demo` agents, with their simulated load, kept
/// this 2-core machine too busy for the other suites' timeouts.
@Suite("fleet in tmux", .timeLimit(.minutes(2)))
struct FleetTests {
    /// An agent named `name` on `directory/name.sock`, reporting its process and a cache.
    private static func agent(_ name: String, in directory: String) async throws -> AgentServer {
        let registry = MetricsRegistry()
        registry.register(ProcessSampleSource())
        let cache = Cache<Int, Int>(name: "users", capacity: 100)
        for key in 0..<50 {
            cache.setValue(key, forKey: key)
            _ = cache.value(forKey: key)
            _ = cache.value(forKey: key + 1_000)
        }
        registry.register(cache)
        return try await AgentServer.start(path: "\(directory)/\(name).sock", registry: registry, agentName: name)
    }

    @Test("--attach DIR lists each agent by name and pid, picks up a new agent, drops a gone one, drills in and out")
    func fleetFollowsTheDirectory() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let agents = directory + "/agents"
        try FileManager.default.createDirectory(atPath: agents, withIntermediateDirectories: false)
        let pid = ProcessInfo.processInfo.processIdentifier
        let first = try await Self.agent("alpha", in: agents)
        let second = try await Self.agent("bravo", in: agents)
        let tmux = try await TmuxSession.start(columns: 200, rows: 50, environment: ["XDG_CONFIG_HOME": directory])
        try await tmux.type("\(PerftopProcess.executablePath) --attach \(agents) --interval 0.5; echo EXIT=$?")
        #expect(try await tmux.waitFor("fleet (3)"), "proc and two agents")
        try await tmux.send("z")
        #expect(try await tmux.waitFor("alpha[\(pid)]"), "an agent is named by its name and pid")
        #expect(try await tmux.waitFor("bravo[\(pid)]"))

        let third = try await Self.agent("charlie", in: agents)
        let grown = try await tmux.waitUntil { $0.contains("fleet (4)") && $0.contains("charlie[\(pid)]") }
        let screen = try await tmux.screen()
        #expect(grown, "the new agent is watched without a restart:\n\(screen)")

        // The rows are sorted by name: alpha, bravo, charlie, proc; the second row is bravo.
        try await tmux.send("Down", "Enter")
        #expect(try await tmux.waitFor("bravo[\(pid)] alone: Esc for the fleet"))
        #expect(try await tmux.waitFor("Cache hit rate"))
        let alone = try await tmux.screen()
        #expect(
            alone.split(separator: "\n").first?.contains("bravo[\(pid)] ok") == true,
            "the header names the one agent:\n\(alone)"
        )
        try await tmux.send("Escape")
        #expect(try await tmux.waitFor("fleet (4)"))

        try await second.shutdown()
        let shrunk = try await tmux.waitUntil { $0.contains("fleet (3)") && !$0.contains("bravo[") }
        let after = try await tmux.screen()
        #expect(shrunk, "an agent whose socket is gone is dropped:\n\(after)")

        try await tmux.send("q")
        #expect(try await tmux.waitFor("EXIT=0"))
        await tmux.close()
        try await first.shutdown()
        try await third.shutdown()
    }
}
