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
            "--no-config", "--endpoint", endpoint.url, "--once", "--interval", "1",
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

    /// ESC, BEL and an OSC 52 clipboard write, a C1 CSI, DEL and a right-to-left override.
    static let controls = "\u{1B}]52;c;cm0gLXJmIH4=\u{7}\u{9B}2J\u{7F}\u{202E}"

    /// True when `text` holds a control or format character other than the line feeds between lines.
    static func hasRawControls(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            scalar != "\n" && (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{202E}")
        }
    }

    @Test("a label value with an OSC 52 clipboard write reaches CSV and JSON lines escaped")
    func controlsInExports() async throws {
        let body = "hostile_gauge{note=\"\(Self.controls)\"} 1\n"
        let endpoint = try HostileEndpoint(bodies: [body])
        defer { endpoint.stop() }
        for format in ["csv", "jsonl"] {
            let result = try await PerftopProcess.run([
                // A poll's deadline is the interval: 1 s, so a loaded machine still reads the endpoint.
                "--no-config", "--endpoint", endpoint.url, "--export", format, "--count", "1", "--interval", "1",
            ])
            #expect(result.status == 0, "stderr: \(result.standardError)")
            #expect(result.standardOutput.contains("hostile_gauge"))
            #expect(!Self.hasRawControls(result.standardOutput), "\(format) wrote a raw control character")
        }
    }

    @Test("a failure reason quoting a source's bytes reaches standard error escaped and short")
    func controlsInReasons() async throws {
        let body = "hostile_gauge \(Self.controls)\(String(repeating: "A", count: 5_000))\n"
        let endpoint = try HostileEndpoint(bodies: [body])
        defer { endpoint.stop() }
        let result = try await PerftopProcess.run([
            "--no-config", "--endpoint", endpoint.url, "--once", "--export", "csv", "--interval", "1",
        ])
        #expect(result.status == 1)
        #expect(!Self.hasRawControls(result.standardError), "stderr: \(result.standardError)")
        let line = try #require(result.standardError.split(separator: "\n").first { $0.contains(endpoint.url) })
        #expect(line.contains("invalid value"), "stderr: \(result.standardError)")
        #expect(line.contains("\\u{1B}]52;c;"))
        #expect(line.count < 400)
    }

    @Test("a metric named =HYPERLINK(…) in a perftop snapshot never reaches a CSV cell as a formula")
    func formulaInSnapshot() async throws {
        let snapshot =
            #"{"agent":"a","pid":1,"samples":[{"kind":"gauge","labels":{"x":"@SUM(1)"},"#
            + #""name":"=HYPERLINK(\"http://evil\",\"click\")","value":1}],"schema":"perftop.snapshot","#
            + #""timestamp":1795464697.5,"version":1}"#
        let endpoint = try HostileEndpoint(bodies: [snapshot], contentType: "application/json")
        defer { endpoint.stop() }
        let result = try await PerftopProcess.run([
            "--no-config", "--endpoint", endpoint.url, "--export", "csv", "--count", "1", "--interval", "1",
        ])
        for line in result.standardOutput.split(separator: "\n") {
            let cells = ExportTests.fields(line)
            #expect(!cells.contains { $0.hasPrefix("=") || $0.hasPrefix("@") || $0.hasPrefix("+") }, "\(line)")
        }
        #expect(!result.standardOutput.contains(",=HYPERLINK"))
    }

    @Test("tracker check prints a target's name, advice and failures escaped")
    func controlsInTrackerCheck() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/tracker.toml"
        let toml = """
            [[target]]
            name = "evil \\u001B]52;c;eA==\\u0007 \\u009B2J \\u202E"
            metric = "process_resident_memory_bytes"
            goal = "< 1B"
            """
        try toml.write(toFile: file, atomically: true, encoding: .utf8)
        for format in ["text", "csv", "markdown", "json"] {
            let result = try await PerftopProcess.run([
                "tracker", "check", file, "--duration", "0.2", "--interval", "0.1", "--format", format,
            ])
            #expect(result.status == 1, "\(format): \(result.standardError)")
            #expect(result.standardOutput.contains("evil"), "\(format): \(result.standardOutput)")
            #expect(!Self.hasRawControls(result.standardOutput), "\(format) output")
            #expect(!Self.hasRawControls(result.standardError), "\(format) stderr")
        }
    }
}
