import Foundation
import Testing

/// perftop pointed at a service that lies: whatever it serves, perftop keeps running and nothing it
/// sends reaches a terminal, a CSV cell or a log as a control sequence.
@Suite("hostile sources", .timeLimit(.minutes(3)))
struct HostileSourceTests {
    /// A resident size that jumps from -1.7e308 to 1.7e308: it used to kill perftop with exit 132.
    static let extremeMemory = [
        "process_resident_memory_bytes -1.7e308\n",
        "process_resident_memory_bytes 1.7e308\n",
        "process_resident_memory_bytes NaN\n",
        "process_resident_memory_bytes -0\n",
    ]

    @Test("--once draws a memory series from -1.7e308 to 1.7e308")
    func extremeValuesOnce() async throws {
        let endpoint = try HostileEndpoint(bodies: Self.extremeMemory)
        defer { endpoint.stop() }
        let result = try await PerftopProcess.run([
            "--no-config", "--endpoint", endpoint.url, "--once", "--interval", "0.2",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        #expect(result.standardOutput.contains("Memory"))
        #expect(endpoint.requests >= 2)
    }

    @Test("the dashboard keeps drawing a memory series from -1.7e308 to 1.7e308 and quits normally")
    func extremeValuesDashboard() async throws {
        let endpoint = try HostileEndpoint(bodies: Self.extremeMemory)
        defer { endpoint.stop() }
        let tmux = try await TmuxSession.start(columns: 160, rows: 45)
        try await tmux.type(
            "\(PerftopProcess.executablePath) --no-config --endpoint \(endpoint.url) --interval 0.25; echo EXIT=$?"
        )
        #expect(try await tmux.waitFor("Memory"))
        #expect(await PerftopProcess.eventually(limit: .seconds(30)) { endpoint.requests >= 6 })
        #expect(try await tmux.screen().contains("Memory"))
        try await tmux.send("q")
        #expect(try await tmux.waitFor("EXIT=0"))
        await tmux.close()
    }
}
