import Foundation
import ServerTestKit
import Testing

/// `perftop --prometheus` against a real Prometheus server from Debian's packages (skipped, saying
/// why, when it is not installed) scraping three real demo agents (`perftop demo --serve …
/// --http-port …`, run at low priority so they do not starve the other tests): one hit ratio per
/// agent and cache, each agreeing with the agent's own over the same seconds within a point; the
/// dashboard lists every target in the fleet pane and shows the query behind a row on `i`.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct PrometheusTests {
    static let isInstalled = ServerTestProcess.isInstalled(ServerTestProcess.prometheusPath)
    static let skipReason: Comment = "prometheus is not installed (apt install prometheus; .ci/run does it as root)"

    /// An agent's own cumulative hits and misses by cache, read from its `/metrics`.
    private static func ownCounts(port: Int) async throws -> [String: (hits: Double, misses: Double)] {
        let text = try await ServerTestProcess.httpGet(port: port, path: "/metrics")
        var counts: [String: (hits: Double, misses: Double)] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Double(parts[1]),
                let open = parts[0].firstIndex(of: "\""), let close = parts[0].lastIndex(of: "\"")
            else {
                continue
            }
            let cache = String(parts[0][parts[0].index(after: open)..<close])
            if parts[0].hasPrefix("cache_hits_total{cache=") {
                counts[cache, default: (0, 0)].hits = value
            } else if parts[0].hasPrefix("cache_misses_total{cache=") {
                counts[cache, default: (0, 0)].misses = value
            }
        }
        return counts
    }

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func everyAgentsHitRatioThroughPrometheusAgreesWithItsOwn() async throws {
        let directory =
            FileManager.default.temporaryDirectory.path + "/perftop-prom-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var ports: [Int] = []
        var agents: [pid_t] = []
        var prometheus: ServerTestProcess?
        var session: TmuxSession?
        do {
            for index in 0..<3 {
                let port = try await ServerTestProcess.freePort()
                agents.append(
                    try PerftopProcess.start(
                        [
                            "-n", "10", PerftopProcess.executablePath, "demo", "--serve", directory + "/a\(index).sock",
                            "--http-port", "\(port)",
                        ],
                        executable: "/usr/bin/nice"
                    )
                )
                ports.append(port)
            }
            for port in ports {
                try await ServerTestProcess.waitUntilListening(port: port)
            }
            let server = try await ServerTestProcess.prometheus(scraping: ports.map { "127.0.0.1:\($0)" })
            prometheus = server
            try await server.waitForPrometheus(scrapes: 3, targets: 3)
            var before: [[String: (hits: Double, misses: Double)]] = []
            for port in ports {
                before.append(try await Self.ownCounts(port: port))
            }
            let result = try await PerftopProcess.run([
                "--no-config", "--prometheus", server.baseURL, "--once", "--export", "csv", "--interval", "5",
            ])
            var after: [[String: (hits: Double, misses: Double)]] = []
            for port in ports {
                after.append(try await Self.ownCounts(port: port))
            }
            #expect(result.status == 0, "\(result.standardError)")
            var ratios: [String: Double] = [:]
            for line in result.standardOutput.split(separator: "\n") {
                let fields = line.split(separator: ",", maxSplits: 3)
                guard fields.count == 4, fields[2] == "perftop_cache_hit_ratio",
                    let comma = fields[3].lastIndex(of: ","),
                    let value = Double(fields[3][fields[3].index(after: comma)...])
                else {
                    continue
                }
                ratios[fields[1] + " " + fields[3][..<comma]] = value
            }
            for (index, port) in ports.enumerated() {
                let source = "prometheus:\(server.baseURL)#127.0.0.1:\(port)"
                for cache in ["users", "embeddings"] {
                    let seen = try #require(ratios[source + " \"{cache=\"\"\(cache)\"\"}\""], "\(source) \(cache)")
                    let hits = (after[index][cache]?.hits ?? 0) - (before[index][cache]?.hits ?? 0)
                    let misses = (after[index][cache]?.misses ?? 0) - (before[index][cache]?.misses ?? 0)
                    let own = hits / (hits + misses)
                    #expect(abs(seen - own) <= 0.01, "\(source) \(cache): perftop \(seen), agent \(own)")
                }
            }
            // As a person sees it: the targets in the fleet at once, graphs with history, the query on `i`.
            let tmux = try await TmuxSession.start(columns: 200, rows: 50, environment: ["XDG_CONFIG_HOME": directory])
            session = tmux
            try await tmux.type("\(PerftopProcess.executablePath) --prometheus \(server.baseURL); echo EXIT=$?")
            #expect(try await tmux.waitFor("127.0.0.1:\(ports[2])"), "every target is a source")
            #expect(try await tmux.waitFor("fleet (6)"), "three targets, the server, proc and self")
            try await tmux.send("i")
            let first = ports.map { "127.0.0.1:\($0)" }.sorted()[0]
            #expect(try await tmux.waitFor("#\(first): ok"), "the selected row's source and state")
            #expect(try await tmux.screen().contains("query: {__name__=~"), "the query behind it")
            try await tmux.send("q")
            #expect(try await tmux.waitFor("EXIT=0"))
        } catch {
            Issue.record(error)
        }
        await session?.close()
        prometheus?.stop()
        for agent in agents {
            await PerftopProcess.stop(agent)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
