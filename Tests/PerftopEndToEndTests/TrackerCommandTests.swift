import Foundation
import Testing

@Suite("perftop tracker", .serialized)
struct TrackerCommandTests {
    /// A tracker with one target the demo agent meets (its memory) and one it misses (its embeddings
    /// cache hit ratio, about 47%, against `hitRatioGoal`), plus one unbound row.
    static func tracker(hitRatioGoal: String) -> String {
        """
        title = "demo gate"

        [[target]]
        name = "agent memory"
        metric = 'process_resident_memory_bytes'
        goal = "< 64GiB"

        [[target]]
        name = "embeddings hit ratio"
        metric = 'cache_hits_total{cache="embeddings"}'
        statistic = "hit ratio"
        goal = "\(hitRatioGoal)"

        [[target]]
        name = "vector search p95"
        goal = "< 50ms"

        """
    }

    @Test("check exits 1 naming the missed target, and 0 once the tracker is adjusted")
    func checkIsAGate() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/demo.sock"
        let file = directory + "/tracker.toml"
        let agent = try PerftopProcess.start(["demo", "--serve", socket])
        #expect(await PerftopProcess.eventually { FileManager.default.fileExists(atPath: socket) })
        let check = ["tracker", "check", file, "--attach", socket, "--duration", "2", "--interval", "0.5"]

        try Self.tracker(hitRatioGoal: ">= 99.9%").write(toFile: file, atomically: true, encoding: .utf8)
        let failing = try await PerftopProcess.run(check)
        #expect(failing.status == 1, "stdout: \(failing.standardOutput)\nstderr: \(failing.standardError)")
        let missedLine = failing.standardOutput.split(separator: "\n").first { $0.contains("embeddings hit ratio") }
        #expect(missedLine?.hasPrefix("missed") == true, "\(failing.standardOutput)")
        let metLine = failing.standardOutput.split(separator: "\n").first { $0.contains("agent memory") }
        #expect(metLine?.hasPrefix("met") == true, "\(failing.standardOutput)")
        #expect(failing.standardOutput.contains("unbound"))
        #expect(failing.standardError == "perftop: tracker check failed: 'embeddings hit ratio' missed\n")

        try Self.tracker(hitRatioGoal: ">= 1%").write(toFile: file, atomically: true, encoding: .utf8)
        let passing = try await PerftopProcess.run(check)
        #expect(passing.status == 0, "stdout: \(passing.standardOutput)\nstderr: \(passing.standardError)")
        #expect(passing.standardOutput.contains("gate: pass (2 bound targets met)"))

        let json = try await PerftopProcess.run(check + ["--format", "json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        #expect(object?["passed"] as? Bool == true)
        await PerftopProcess.stop(agent)
    }

    @Test("baseline stores the live values in the file, and a relative goal is then judged against them")
    func baselineThenRelativeGoal() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/demo.sock"
        let file = directory + "/tracker.toml"
        let agent = try PerftopProcess.start(["demo", "--serve", socket])
        #expect(await PerftopProcess.eventually { FileManager.default.fileExists(atPath: socket) })
        let tracker = """
            # Owned by the platform team; see the runbook.
            [[target]]
            name   = "agent memory"     # resident, not heap
            metric = 'process_resident_memory_bytes'
            goal = "-50% vs baseline"

            # Keep this one last.
            """
        try tracker.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o640)
        let sources = [file, "--attach", socket, "--duration", "1", "--interval", "0.5"]

        let unset = try await PerftopProcess.run(["tracker", "check"] + sources)
        #expect(unset.status == 1, "a relative goal without a baseline fails the gate: \(unset.standardOutput)")
        #expect(unset.standardOutput.contains("no baseline"))

        let baseline = try await PerftopProcess.run(["tracker", "baseline"] + sources)
        #expect(baseline.status == 0, "stderr: \(baseline.standardError)")
        #expect(baseline.standardOutput.contains("baseline captured for 1 target(s)"))
        let written = try String(contentsOfFile: file, encoding: .utf8).split(
            separator: "\n",
            omittingEmptySubsequences: false
        )
        let original = tracker.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(written.count == original.count + 2, "\(written)")
        #expect(Array(written.prefix(5)) == Array(original.prefix(5)), "comments and layout are kept")
        #expect(
            written.count > 6 && written[5].hasPrefix("baseline = ") && written[6].hasPrefix("baseline_captured = ")
        )
        #expect(Array(written.suffix(2)) == Array(original.suffix(2)))
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o640, "the file keeps its mode")

        let judged = try await PerftopProcess.run(["tracker", "check"] + sources)
        #expect(judged.status == 1, "memory has not halved since the baseline just taken: \(judged.standardOutput)")
        let line = judged.standardOutput.split(separator: "\n").first { $0.contains("agent memory") }
        #expect(line?.hasPrefix("missed") == true, "\(judged.standardOutput)")
        #expect(line?.contains("-50% vs baseline (<= ") == true, "the goal is bound to the stored baseline")
        await PerftopProcess.stop(agent)
    }

    @Test("import keeps every row of the seed tracker and refuses to overwrite without --force")
    func importsTheSeed() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let seed = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("PerftopCoreTests/Fixtures/tracker/seed-tracker.md")
        let markdown = directory + "/tracker.md"
        try FileManager.default.copyItem(atPath: seed.path, toPath: markdown)

        let imported = try await PerftopProcess.run(["tracker", "import", markdown])
        #expect(imported.status == 0, "stderr: \(imported.standardError)")
        #expect(imported.standardOutput.contains("imported 40 rows"))
        let toml = try String(contentsOfFile: directory + "/tracker.toml", encoding: .utf8)
        #expect(toml.components(separatedBy: "[[target]]").count - 1 == 40)
        #expect(toml.contains("🔴 Not Started"), "mis-encoded emoji are repaired")

        let again = try await PerftopProcess.run(["tracker", "import", markdown])
        #expect(again.status == 1)
        #expect(again.standardError.contains("exists; pass --force"))

        let check = try await PerftopProcess.run([
            "tracker", "check", directory + "/tracker.toml", "--duration", "0.2", "--interval", "0.1",
            "--format", "markdown",
        ])
        #expect(check.status == 0, "no target of the seed is bound, so none fails: \(check.standardError)")
        #expect(check.standardOutput.contains("| VectorSearchResolver | Vector Search (1K vectors) |"))
    }

    @Test("a bad tracker file is one line naming the file and line")
    func badFile() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/bad.toml"
        try "[[target]]\nname = \"x\"\ngoal = \"< 5 parsecs\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await PerftopProcess.run(["tracker", "check", file, "--duration", "0.2", "--interval", "0.1"])
        #expect(result.status == 1)
        #expect(result.standardError.hasPrefix("perftop: \(file):3: goal: column 5: unknown unit 'parsecs'"))
        #expect(result.standardError.split(separator: "\n").count == 1)
    }

    @Test("perftop's own process is never a source of the gate")
    func selfIsNotASource() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/tracker.toml"
        try "[[target]]\nname = \"memory\"\nmetric = 'process_resident_memory_bytes'\ngoal = \"< 64GiB\"\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await PerftopProcess.run(["tracker", "check", file, "--duration", "0.2", "--interval", "0.1"])
        #expect(result.status == 1, "only /proc was sampled, which reports no process memory: \(result.standardOutput)")
        #expect(result.standardOutput.hasPrefix("STATUS") && result.standardOutput.contains("no data"))
    }
}
