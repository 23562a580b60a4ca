import Foundation
import Testing

/// `perftop --export csv`, run as a script would run it.
@Suite("perftop --export csv", .timeLimit(.minutes(2)))
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
        let busy = rows.filter { $0[2] == "perftop_cpu_busy_percent" }.compactMap { Double($0[4]) }
        #expect(busy.count == 3)
        #expect(busy.allSatisfy { (0...100).contains($0) })
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
        #expect(heap.contains { $0 > 0 })
        #expect(agentRows.contains { $0[2] == "perftop_latency_p95_seconds" })
        await PerftopProcess.stop(agent)
    }

    @Test("an agent linking PerfKitAllocationCounting exports exact allocation counts that grow")
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
}
