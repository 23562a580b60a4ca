import Foundation
import Testing

/// `perftop --export csv`, run as a script would run it.
@Suite("perftop --export and --once", .timeLimit(.minutes(2)))
struct ExportTests {
    /// Splits one CSV line into fields per RFC 4180 (quoted fields, doubled quotes).
    static func fields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            switch (character, quoted) {
            case ("\"", false) where field.isEmpty: quoted = true
            case ("\"", true):
                if let following = characters.next() {
                    if following == "\"" {
                        field.append("\"")
                    } else {
                        quoted = false
                        if following == "," {
                            fields.append(field)
                            field = ""
                        }
                    }
                } else {
                    quoted = false
                }
            case (",", false):
                fields.append(field)
                field = ""
            default: field.append(character)
            }
        }
        fields.append(field)
        return fields
    }

    @Test("exports changing /proc values with a header, three rounds")
    func exportsProcValues() async throws {
        let result = try await PerftopProcess.run(["--export", "csv", "--count", "3", "--interval", "0.5"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.first == "timestamp,source,metric,labels,value")
        let rows = lines.dropFirst().map(Self.fields)
        #expect(rows.allSatisfy { $0.count == 5 })
        let timestamps = Set(rows.map { $0[0] })
        #expect(timestamps.count == 3)
        let available = rows.filter { $0[2] == "node_memory_MemAvailable_bytes" }.compactMap { Double($0[4]) }
        #expect(available.count == 3)
        #expect(available.allSatisfy { $0 > 0 })
        let busyRows = rows.filter { $0[2] == "perftop_cpu_busy_percent" }
        let busy = busyRows.filter { $0[3].isEmpty }.compactMap { Double($0[4]) }
        #expect(busy.count == 3)
        #expect(busyRows.compactMap { Double($0[4]) }.allSatisfy { (0...100).contains($0) })
        let cores = Set(busyRows.compactMap { $0[3].isEmpty ? nil : $0[3] })
        #expect(!cores.isEmpty, "no per-core busy rows")
        // The machine's CPU seconds (all modes) grow with time whatever the load, so they must change.
        var cpuSecondsByRound: [String: Double] = [:]
        for row in rows where row[2] == "node_cpu_seconds_total" && !row[3].contains("cpu=") {
            cpuSecondsByRound[row[0], default: 0] += Double(row[4]) ?? 0
        }
        let cpuSeconds = cpuSecondsByRound.sorted { $0.key < $1.key }.map(\.value)
        #expect(cpuSeconds.count == 3)
        #expect(zip(cpuSeconds, cpuSeconds.dropFirst()).allSatisfy { $0 < $1 }, "CPU seconds: \(cpuSeconds)")
        #expect(result.standardOutput.contains(",\"{mode=\"\"idle\"\"}\","), "labels are RFC 4180 quoted")
    }

    @Test("exports an attached agent's cache, queue, latency and heap metrics; the socket is mode 0600")
    func exportsAttachedAgent() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/a.sock"
        let agent = try PerftopProcess.start(["demo", "--serve", socket])
        #expect(await PerftopProcess.eventually { FileManager.default.fileExists(atPath: socket) })
        let attributes = try FileManager.default.attributesOfItem(atPath: socket)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((attributes[.type] as? FileAttributeType) == .typeSocket)

        let result = try await PerftopProcess.run(["--attach", socket, "--export", "csv", "--count", "3"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let rows = result.standardOutput.split(separator: "\n").dropFirst().map(Self.fields)
        let agentRows = rows.filter { $0[1] != "proc" }
        let hits = agentRows.filter { $0[2] == "cache_hits_total" }.compactMap { Double($0[4]) }
        let misses = agentRows.filter { $0[2] == "cache_misses_total" }.compactMap { Double($0[4]) }
        #expect(!hits.isEmpty && hits.contains { $0 > 0 })
        #expect(!misses.isEmpty)
        #expect(agentRows.contains { $0[2] == "processor_queue_depth" && $0[3] == "{processor=\"jobs\"}" })
        #expect(agentRows.contains { $0[2] == "perftop_cache_hit_ratio" })
        for distribution in ["processor_wait_seconds", "processor_service_seconds"] {
            let p95 = agentRows.filter { $0[2] == distribution && $0[3] == "{processor=\"jobs\",quantile=\"0.95\"}" }
            #expect(p95.contains { (Double($0[4]) ?? -1) > 0 }, "no \(distribution) p95 for jobs")
        }
        #expect(agentRows.contains { $0[2] == "operation_seconds" && $0[3].contains("op=\"embeddings.compute\"") })
        let heap = agentRows.filter { $0[2] == "process_heap_in_use_bytes" }.compactMap { Double($0[4]) }
        #expect(heap.contains { $0 > 0 } || PerftopProcess.isSanitized, "a sanitizer's malloc has no heap figures")
        #expect(agentRows.contains { $0[2] == "perftop_latency_p95_seconds" })
        await PerftopProcess.stop(agent)
    }

    @Test(
        "an agent linking PerfKitAllocationCounting exports exact allocation counts that grow",
        .disabled(if: PerftopProcess.isSanitized, "a sanitizer's malloc leaves nothing to interpose")
    )
    func exportsExactAllocationCounts() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/counting.sock"
        let agent = try PerftopProcess.start(
            [socket],
            executable: PerftopProcess.builtProductPath("perfkit-allocation-agent")
        )
        #expect(await PerftopProcess.eventually { FileManager.default.fileExists(atPath: socket) })

        let result = try await PerftopProcess.run(["--attach", socket, "--export", "csv", "--count", "3"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let rows = result.standardOutput.split(separator: "\n").dropFirst().map(Self.fields)
        let allocations = rows.filter { $0[2] == "allocs_total" }.compactMap { Double($0[4]) }
        #expect(allocations.count == 3)
        #expect(zip(allocations, allocations.dropFirst()).allSatisfy { $0 < $1 }, "allocs_total: \(allocations)")
        #expect(rows.contains { $0[2] == "alloc_bytes_total" && (Double($0[4]) ?? 0) > 0 })
        #expect(rows.contains { $0[2] == "perftop_churn_per_second" && $0[3] == "{measure=\"allocations\"}" })
        #expect(await PerftopProcess.stop(agent) == 0)
        #expect(!FileManager.default.fileExists(atPath: socket))
    }

    @Test("stops the served agent on SIGTERM and removes its socket")
    func servedAgentCleansUp() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/a.sock"
        let agent = try PerftopProcess.start(["demo", "--serve", socket])
        #expect(await PerftopProcess.eventually { FileManager.default.fileExists(atPath: socket) })
        #expect(await PerftopProcess.stop(agent) == 0)
        #expect(!FileManager.default.fileExists(atPath: socket))
    }

    // MARK: - JSON lines, duration, once, output

    @Test("--export jsonl: one object per line, keys in a fixed order, labels as an object")
    func exportsJSONLines() async throws {
        let result = try await PerftopProcess.run(["--export", "jsonl", "--count", "2", "--interval", "0.3"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(!lines.isEmpty)
        var timestamps: Set<String> = []
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["labels"] is [String: Any])
            timestamps.insert(try #require(object["timestamp"] as? String))
            let keys = ["\"timestamp\":", ",\"source\":", ",\"metric\":", ",\"type\":", ",\"labels\":{", ",\"value\":"]
            let offsets = keys.compactMap { line.range(of: $0)?.lowerBound }
            #expect(offsets.count == keys.count && offsets == offsets.sorted(), "key order: \(line)")
        }
        #expect(timestamps.count == 2)
        #expect(
            lines.contains {
                $0.contains(#""metric":"node_cpu_seconds_total","type":"counter","labels":{"mode":"idle"}"#)
            }
        )
        #expect(lines.contains { $0.contains(#""metric":"perftop_cpu_busy_percent""#) })
    }

    /// The distinct timestamps (rounds) of a CSV export.
    private static func rounds(_ output: String) -> Int {
        Set(output.split(separator: "\n").dropFirst().map { Self.fields($0)[0] }).count
    }

    @Test("--duration with --count: whichever comes first ends the export")
    func duration() async throws {
        let counted = try await PerftopProcess.run(
            ["--export", "csv", "--duration", "30", "--count", "2", "--interval", "0.2"]
        )
        #expect(counted.status == 0, "stderr: \(counted.standardError)")
        #expect(Self.rounds(counted.standardOutput) == 2)
        let timed = try await PerftopProcess.run(
            ["--export", "csv", "--duration", "0.6", "--count", "1000", "--interval", "0.2"]
        )
        #expect(timed.status == 0, "stderr: \(timed.standardError)")
        #expect((1...3).contains(Self.rounds(timed.standardOutput)))
    }

    @Test("--record keeps every round of the dashboard as JSON lines while it runs")
    func recordsWhileWatching() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let record = directory + "/record.jsonl"
        let tmux = try await TmuxSession.start(columns: 160, rows: 48, environment: ["XDG_CONFIG_HOME": directory])
        try await tmux.type(
            "\(PerftopProcess.executablePath) --interval 0.3 --record \(record) --record-max 10MiB; echo EXIT=$?"
        )
        #expect(try await tmux.waitFor("Memory"))
        let rounds = { () -> Set<String> in
            let lines = ((try? String(contentsOfFile: record, encoding: .utf8)) ?? "").split(separator: "\n")
            return Set(
                lines.compactMap { line in
                    (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["timestamp"]
                        as? String
                }
            )
        }
        #expect(await PerftopProcess.eventually { rounds().count >= 3 }, "three rounds recorded while watching")
        try await tmux.send("q")
        #expect(try await tmux.waitFor("EXIT=0"))
        let text = try String(contentsOfFile: record, encoding: .utf8)
        #expect(text.hasSuffix("}\n"), "the record ends with a whole line")
        #expect(text.contains(#""metric":"node_cpu_seconds_total""#))
        await tmux.close()
    }

    @Test(
        "--record-max without --record, a size that is not one, or a file that cannot be written: one line, before anything runs"
    )
    func recordUsage() async throws {
        let alone = try await PerftopProcess.run(["--record-max", "10MB", "--once"])
        #expect(alone.status == 64)
        #expect(alone.standardError.hasPrefix("perftop: --record-max and --record-keep need --record"))
        let size = try await PerftopProcess.run(["--record", "/tmp/x.jsonl", "--record-max", "ten", "--once"])
        #expect(size.status == 64)
        #expect(size.standardError.hasPrefix("perftop: --record-max must be a size such as 100MiB or 10MB, got 'ten'"))
        let unwritable = try await PerftopProcess.run(["--record", "/nonexistent/r.jsonl", "--once"])
        #expect(unwritable.status != 0)
        #expect(unwritable.standardError == "perftop: --record /nonexistent/r.jsonl: no such file or directory\n")
    }

    @Test("--duration shorter than --interval, or --once with --count, is a usage error")
    func durationUsage() async throws {
        let short = try await PerftopProcess.run(["--export", "csv", "--duration", "0.5", "--interval", "1"])
        #expect(short.status == 64)
        #expect(short.standardError.hasPrefix("perftop: --duration 0.5 is shorter than --interval 1.0"))
        let once = try await PerftopProcess.run(["--once", "--count", "2"])
        #expect(once.status == 64)
        #expect(once.standardError.split(separator: "\n").count == 1)
    }

    @Test("--once with /proc: one round, exit 0; without --export the dashboard as text")
    func onceWithProc() async throws {
        // A 1 s interval, so that /proc's deadline (the interval) holds while the whole suite runs at once.
        let csv = try await PerftopProcess.run(["--once", "--export", "csv", "--interval", "1"])
        #expect(csv.status == 0, "stderr: \(csv.standardError)")
        #expect(Self.rounds(csv.standardOutput) == 1)
        #expect(csv.standardError.isEmpty)
        let text = try await PerftopProcess.run(["--once", "--interval", "1"])
        #expect(text.status == 0, "stderr: \(text.standardError)")
        #expect(text.standardOutput.contains("Memory"))
        #expect(text.standardOutput.contains("Allocation churn"))
        #expect(!text.standardOutput.contains("\u{1B}"), "no escape sequences in the text snapshot")
    }

    @Test("--once with a missing --attach socket: exit 1, one line naming it")
    func onceWithMissingSocket() async throws {
        let result = try await PerftopProcess.run(["--once", "--attach", "/tmp/perftop-e2e-missing.sock"])
        #expect(result.status == 1)
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(result.standardError.contains("/tmp/perftop-e2e-missing.sock"))
    }

    @Test("--once with an agent that is down: the other sources are written, the down one named, exit 1")
    func onceWithDownAgent() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/gone.sock"
        try Self.leaveStaleSocket(at: socket)
        let result = try await PerftopProcess.run(
            ["--once", "--export", "csv", "--attach", socket, "--interval", "1"]
        )
        #expect(result.status == 1)
        let errors = result.standardError.split(separator: "\n")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("perftop: agent:\(socket): ") == true, "stderr: \(result.standardError)")
        #expect(result.standardOutput.contains(",proc,node_memory_MemAvailable_bytes,"))
    }

    @Test("a --header-file others can read, or headers over plain http to another host: one warning line each")
    func warnsAboutExposedHeaders() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let headerFile = directory + "/headers"
        try "X-Api-Key: s3cr3t\n".write(toFile: headerFile, atomically: true, encoding: .utf8)
        #expect(chmod(headerFile, 0o644) == 0)
        // TEST-NET-1: never answers; the warnings come before the first poll.
        let remote = "http://192.0.2.1:9/metrics"
        let exposed = try await PerftopProcess.run(
            ["--once", "--export", "csv", "--endpoint", remote, "--header-file", headerFile, "--interval", "1"]
        )
        let warnings = exposed.standardError.split(separator: "\n").filter { $0.hasPrefix("perftop: warning: ") }
        #expect(
            warnings == [
                "perftop: warning: header file \(headerFile) is readable by group or others (chmod 600 \(headerFile))",
                "perftop: warning: headers for \(remote) go over plain http to a non-loopback host; use https",
            ],
            "stderr: \(exposed.standardError)"
        )

        #expect(chmod(headerFile, 0o600) == 0)
        let local = try await PerftopProcess.run(
            [
                "--once", "--export", "csv", "--endpoint", "http://localhost:9/metrics", "--header-file", headerFile,
                "--interval", "1",
            ]
        )
        #expect(!local.standardError.contains("warning"), "stderr: \(local.standardError)")
    }

    /// A socket file nobody listens on, as a crashed agent leaves it: connecting is refused.
    private static func leaveStaleSocket(at path: String) throws {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: path.utf8)
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0)
    }

    @Test("--output: the file appears only complete; SIGTERM mid-run ends it with whole rounds, exit 0")
    func outputIsAtomic() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/trend.csv"
        let exporter = try PerftopProcess.start(["--export", "csv", "--interval", "0.2", "--output", path])
        let partial = { () -> String? in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return names.first { $0.hasSuffix(".partial") }.map { directory + "/" + $0 }
        }
        #expect(
            await PerftopProcess.eventually {
                guard let temporary = partial() else {
                    return false
                }
                let text = (try? String(contentsOfFile: temporary, encoding: .utf8)) ?? ""
                return Set(text.split(separator: "\n").dropFirst().map { Self.fields($0)[0] }).count >= 2
            }
        )
        #expect(!FileManager.default.fileExists(atPath: path), "the destination appears only when done")
        #expect(await PerftopProcess.stop(exporter) == 0)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("timestamp,source,metric,labels,value\n"))
        #expect(text.hasSuffix("\n"))
        #expect(text.split(separator: "\n").allSatisfy { Self.fields($0).count == 5 })
        #expect(Self.rounds(text) >= 2)
        #expect(partial() == nil, "no temporary file left")
    }

    @Test("--output with --count writes the file and nothing to standard output")
    func outputWithCount() async throws {
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/trend.jsonl"
        let result = try await PerftopProcess.run(
            ["--export", "jsonl", "--count", "1", "--interval", "0.2", "--output", path]
        )
        #expect(result.status == 0, "stderr: \(result.standardError)")
        #expect(result.standardOutput.isEmpty)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("{\"timestamp\":") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["trend.jsonl"])
    }
}
