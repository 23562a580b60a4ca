import Foundation
import Testing

/// Bad flags and paths: one line on standard error, a non-zero exit, the terminal left alone.
@Suite("bad input", .timeLimit(.minutes(2)))
struct BadInputTests {
    static let cases: [(arguments: [String], expected: String)] = [
        (["--attach", "/tmp/perftop-no-such-dir/missing.sock"], "no such socket"),
        (["--attach", "/etc/hostname"], "not a socket"),
        (["--bogus"], "--bogus"),
        (["--interval", "0"], "--interval"),
        (["--interval", "abc"], "abc"),
        (["--count", "0", "--export", "csv"], "--count"),
        (["demo", "--serve", "/tmp/perftop-never.sock", "--export", "csv"], "--serve runs the agent headless"),
        (["--allow-socket-owner", "1001", "--export", "csv"], "--allow-socket-owner needs --attach"),
    ]

    @Test("each bad input gives one line and a non-zero exit", arguments: Self.cases)
    func oneLineError(arguments: [String], expected: String) async throws {
        let result = try await PerftopProcess.run(arguments)
        #expect(result.status != 0)
        #expect(result.standardOutput.isEmpty)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.standardError)")
        #expect(result.standardError.hasPrefix("perftop: "))
        #expect(result.standardError.contains(expected), "stderr: \(result.standardError)")
    }

    @Test("a bad --attach in a terminal never enters curses mode")
    func terminalUntouched() async throws {
        let tmux = try await TmuxSession.start()
        try await tmux.type("\(PerftopProcess.executablePath) --attach /etc/hostname; echo EXIT=$?")
        #expect(try await tmux.waitFor("EXIT=1"))
        #expect(try await tmux.screen().contains("perftop: --attach /etc/hostname: not a socket"))
        #expect(try await !tmux.isAlternateScreenOn())
        await tmux.close()
    }
}
