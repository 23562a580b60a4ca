import Foundation
import Testing

/// `perftop replay` as a person uses it (tmux): record the demo while watching it, replay the record,
/// step, jump and play through it; a damaged line is named and the rest replays.
@Suite("replay in tmux", .serialized, .timeLimit(.minutes(2)))
struct ReplayTests {
    /// The record's distinct rounds so far.
    private static func rounds(_ record: String) -> Int {
        let lines = ((try? String(contentsOfFile: record, encoding: .utf8)) ?? "").split(separator: "\n")
        return Set(lines.compactMap { $0.split(separator: ",").first }).count
    }

    /// The header's `REPLAY … ‖ 1× ROUND/ROUNDS` part, from the first screen line.
    private static func position(_ screen: String) -> Substring? {
        let header = screen.prefix { $0 != "\n" }
        guard let replay = header.range(of: "REPLAY ") else {
            return nil
        }
        return header[replay.lowerBound...].split(separator: " ").dropFirst(3).first { $0.contains("/") }
    }

    @Test("record while watching, then replay: step, jump, first and last, play to the end")
    func recordThenReplay() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let record = directory + "/demo.jsonl"
        let tmux = try await TmuxSession.start(columns: 200, rows: 50, environment: ["XDG_CONFIG_HOME": directory])
        try await tmux.type("\(PerftopProcess.executablePath) demo --interval 0.3 --record \(record); echo EXIT=$?")
        #expect(try await tmux.waitFor("Cache hit rate"))
        #expect(await PerftopProcess.eventually { Self.rounds(record) >= 8 }, "eight rounds recorded while watching")
        // The demo's caches, the HTTP response cache over its loopback origin among them; no Redis tier.
        let live = try await tmux.waitUntil { screen in
            screen.split(separator: "\n").contains { $0.contains("│catalog ") && $0.contains("%") }
        }
        let liveScreen = try await tmux.screen()
        #expect(live, "the catalog cache has a hit rate:\n\(liveScreen)")
        #expect(!liveScreen.contains("│profiles "), "no Redis tier without --redis")
        try await tmux.send("q")
        #expect(try await tmux.waitFor("EXIT=0"))
        let rounds = Self.rounds(record)
        let lines = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n").count
        let handle = try #require(FileHandle(forWritingAtPath: record))
        handle.seekToEndOfFile()
        handle.write(Data("{\"timestamp\":\"cut by a crash\n".utf8))
        try handle.close()

        try await tmux.type("clear; \(PerftopProcess.executablePath) replay --paused \(record); echo EXIT=$?")
        #expect(try await tmux.waitFor("REPLAY "))
        #expect(try await tmux.waitFor("skipped a damaged line: \(record):\(lines + 1)"), "the damaged line is named")
        var screen = try await tmux.screen()
        #expect(Self.position(screen) == "1/\(rounds)", "paused on the first round:\n\(screen)")
        #expect(screen.contains("‖"))
        try await tmux.send("Right", "Right", "Right")
        #expect(try await tmux.waitFor("4/\(rounds)"), "three steps forward")
        try await tmux.send("Left")
        #expect(try await tmux.waitFor("3/\(rounds)"), "one back")
        screen = try await tmux.screen()
        let users = screen.split(separator: "\n").first { $0.contains("│users ") }
        #expect(users?.contains("%") == true, "round 3 has the users cache's hit rate:\n\(screen)")
        // Frozen, the arrows move a cursor on the focused pane's graphs: the time and the value under it.
        let header = screen.prefix { $0 != "\n" }
        let clock = try #require(header.firstMatch(of: /REPLAY \d{4}-\d\d-\d\d (\d\d:\d\d:\d\dZ)/)?.output.1)
        try await tmux.send("f", "Left")
        // At the newest value the mark is at the right edge, its label to its left: `18:19:16Z 79.5% ▲`.
        let cursorShown = try await tmux.waitUntil { screen in
            screen.split(separator: "\n").contains { $0.contains("\(clock) ") && $0.contains("▲") }
        }
        let cursorScreen = try await tmux.screen()
        #expect(cursorShown, "the cursor on round 3's time:\n\(cursorScreen)")
        let cursorLine = cursorScreen.split(separator: "\n").first { $0.contains("\(clock) ") && $0.contains("▲") }
        #expect(cursorLine?.contains("%") == true, "with the hit rate there: \(cursorLine ?? "")")
        try await tmux.send("f")
        #expect(try await tmux.waitForAbsence(of: "▲ "), "unfreezing drops the cursor")
        try await tmux.send("]")
        #expect(try await tmux.waitFor("\(rounds)/\(rounds)"), "a minute on is past the end: the last round")
        try await tmux.send("[")
        #expect(try await tmux.waitFor(" 1/\(rounds)"), "a minute back: the first round")
        try await tmux.send("End")
        #expect(try await tmux.waitFor("\(rounds)/\(rounds)"))
        try await tmux.send("Home", ">", ">", "Space")
        #expect(try await tmux.waitFor("▶ 4×"), "playing at 4×")
        let ended = try await tmux.waitUntil { screen in
            Self.position(screen) == "\(rounds)/\(rounds)" && screen.contains("‖")
        }
        screen = try await tmux.screen()
        #expect(ended, "played to the end and paused there:\n\(screen)")
        try await tmux.send("q")
        #expect(try await tmux.waitFor("EXIT=0"))
        #expect(try await tmux.screen().contains("warning: skipped a damaged line"), "and said again on exit")
        await tmux.close()
    }

    @Test("a FILE.gz record is gzip that zcat reads, and replays like a plain one")
    func compressedRecord() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let record = directory + "/demo.jsonl.gz"
        let socket = directory + "/demo.sock"
        let agent = try PerftopProcess.start(["demo", "--serve", socket])
        #expect(await PerftopProcess.eventually { FileManager.default.fileExists(atPath: socket) })
        // The agent is stopped on every path: an agent left behind keeps a core busy for the rest of the run.
        let exported: PerftopProcess.Result
        do {
            exported = try await PerftopProcess.run([
                "--no-config", "--attach", socket, "--export", "csv", "--count", "4", "--interval", "0.3",
                "--record", record,
            ])
        } catch {
            await PerftopProcess.stop(agent)
            throw error
        }
        await PerftopProcess.stop(agent)
        #expect(exported.status == 0, "stderr: \(exported.standardError)")
        let unzipped = try await PerftopProcess.run(command: ["gzip", "-dc", record])
        #expect(unzipped.status == 0)
        let timestamps = Set(
            unzipped.standardOutput.split(separator: "\n").compactMap { $0.split(separator: ",").first }
        )
        #expect(timestamps.count == 5, "five rounds (the priming one too), each a timestamp")

        let tmux = try await TmuxSession.start(columns: 200, rows: 50, environment: ["XDG_CONFIG_HOME": directory])
        try await tmux.type("\(PerftopProcess.executablePath) replay --paused \(record); echo EXIT=$?")
        #expect(try await tmux.waitFor("REPLAY "))
        let screen = try await tmux.screen()
        #expect(Self.position(screen) == "1/5", "\(screen)")
        try await tmux.send("q")
        #expect(try await tmux.waitFor("EXIT=0"))
        await tmux.close()
    }

    @Test("a record that cannot be read: one line naming it, exit 1")
    func unreadableRecord() async throws {
        let result = try await PerftopProcess.run(["replay", "/nonexistent/record.jsonl"])
        #expect(result.status == 1)
        #expect(result.standardError == "perftop: /nonexistent/record.jsonl: no such file or directory\n")
    }
}
