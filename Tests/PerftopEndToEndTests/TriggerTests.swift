import Foundation
import Testing

@Suite("Triggers", .serialized)
struct TriggerTests {
    /// A gauge at `value`, as an endpoint serves it.
    static func body(_ value: Int) -> String {
        "# TYPE queue_wait_seconds gauge\nqueue_wait_seconds{queue=\"jobs\"} \(value)\n"
    }

    /// A tracker whose one target has a trigger running `script LOG`.
    static func tracker(script: String, log: String) -> String {
        """
        [[target]]
        name = "jobs wait"
        metric = 'queue_wait_seconds{queue="jobs"}'
        goal = "< 10s"
        trigger = { bell = true, command = ["\(script)", "\(log)"], cooldown = 0 }

        """
    }

    /// A script that appends one line with the alert's variables to the file named by its argument.
    static func writeScript(in directory: String) throws -> String {
        let path = directory + "/on-trigger"
        let text = """
            #!/bin/sh
            printf '%s|%s|%s|%s|%s\\n' "$PERFTOP_EVENT" "$PERFTOP_TARGET" "$PERFTOP_STATUS" "$PERFTOP_VALUE" "$PERFTOP_GOAL" >> "$1"

            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test(
        "the dashboard runs a trigger's command once when the target flips to missed, not again while it stays missed"
    )
    func dashboardFiresOnce() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/log"
        let file = directory + "/tracker.toml"
        try Self.tracker(script: try Self.writeScript(in: directory), log: log)
            .write(toFile: file, atomically: true, encoding: .utf8)
        // Met for the first five polls, then missed for good.
        let endpoint = try HostileEndpoint(bodies: Array(repeating: Self.body(1), count: 5) + [Self.body(30)])
        defer { endpoint.stop() }
        let tmux = try await TmuxSession.start(columns: 200, rows: 45)
        try await tmux.type(
            "\(PerftopProcess.executablePath) --no-config --endpoint \(endpoint.url) --tracker \(file) --interval 0.2; echo EXIT=$?"
        )
        #expect(try await tmux.waitFor("trigger: 'jobs wait' missed: 30"))
        #expect(Self.lines(log) == ["fired|jobs wait|missed|30s|< 10s"])
        // Ten more polls, all missed: still one run.
        let polled = endpoint.requests
        #expect(await PerftopProcess.eventually { endpoint.requests >= polled + 10 })
        #expect(Self.lines(log).count == 1, "\(Self.lines(log))")
        try await tmux.send("q")
        #expect(try await tmux.waitFor("EXIT=0"))
        await tmux.close()
    }

    @Test("tracker check fires a missed target's trigger once, with its notice on standard error")
    func checkFires() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/log"
        let file = directory + "/tracker.toml"
        try Self.tracker(script: try Self.writeScript(in: directory), log: log)
            .write(toFile: file, atomically: true, encoding: .utf8)
        let endpoint = try HostileEndpoint(bodies: [Self.body(30)])
        defer { endpoint.stop() }
        let result = try await PerftopProcess.run([
            "tracker", "check", file, "--endpoint", endpoint.url, "--duration", "2", "--interval", "1",
        ])
        #expect(result.status == 1)
        #expect(result.standardError.contains("perftop: trigger: 'jobs wait' missed: 30s (goal < 10s)"))
        #expect(Self.lines(log) == ["fired|jobs wait|missed|30s|< 10s"])
    }

    @Test("an export run fires too, and a command that cannot start is named on standard error")
    func exportFires() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/tracker.toml"
        try Self.tracker(script: directory + "/missing", log: directory + "/log")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let endpoint = try HostileEndpoint(bodies: [Self.body(30)])
        defer { endpoint.stop() }
        let result = try await PerftopProcess.run([
            "--no-config", "--endpoint", endpoint.url, "--tracker", file, "--export", "csv", "--count", "3",
            "--interval", "1", "--record", directory + "/record.jsonl",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.filter { $0.contains("trigger: 'jobs wait' missed") }.count == 1, "\(result.standardError)")
        #expect(
            lines.contains("perftop: trigger 'jobs wait': cannot run \(directory)/missing: No such file or directory")
        )
    }
}
