import BenchmarkSupport
import Foundation
import PerfKit
import PerfKitAgent
import PerftopCore

/// A full collector round over 10 live sources in this process: 5 PerfKit agents on Unix sockets and
/// 5 on loopback HTTP (`/metrics`, Prometheus text), each with a cache, a processor and 20 timed
/// operations, so every poll crosses a real socket, encodes, parses and lands in the store.
enum PollCycleBenchmark {
    static let rounds = 50

    static func run() async throws {
        let directory = FileManager.default.temporaryDirectory.path + "/perftop-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let client = HTTPFeed.makeClient()
        var socketServers: [AgentServer] = []
        var httpServers: [AgentHTTPServer] = []
        var feeds: [any Feed] = []
        for index in 0..<10 {
            let registry = Self.registry(index)
            if index < 5 {
                let path = "\(directory)/agent-\(index).sock"
                socketServers.append(
                    try await AgentServer.start(path: path, registry: registry, agentName: "a\(index)")
                )
                feeds.append(AgentFeed(path: path))
            } else {
                let server = try await AgentHTTPServer.start(registry: registry, agentName: "h\(index)")
                httpServers.append(server)
                feeds.append(HTTPFeed(url: "http://127.0.0.1:\(server.port)/metrics", client: client))
            }
        }
        let collector = Collector(feeds: feeds)
        _ = await collector.collectOnce()
        let clock = ContinuousClock()
        var durations: [Duration] = []
        var samples = 0
        var failures = 0
        for _ in 0..<self.rounds {
            let start = clock.now
            let round = await collector.collectOnce()
            durations.append(start.duration(to: clock.now))
            samples = round.results.reduce(0) { $0 + ($1.samples?.count ?? 0) }
            failures += round.results.filter { $0.failure != nil }.count
        }
        durations.sort()

        print("3. Poll cycle: one collector round over 10 sources (5 Unix-socket agents, 5 HTTP /metrics)")
        print()
        var table = TextTable(["samples per round", "failed polls", "median round", "p95 of \(self.rounds)"])
        table.append([
            "\(samples)", "\(failures)", "\(durations[durations.count / 2])",
            "\(durations[durations.count * 95 / 100])",
        ])
        print(table.render())

        for server in socketServers {
            try await server.shutdown()
        }
        for server in httpServers {
            await server.shutdown()
        }
        await client.shutdown()
    }

    private static func registry(_ index: Int) -> MetricsRegistry {
        let registry = MetricsRegistry()
        let cache = Cache<Int, Int>(name: "cache-\(index)", capacity: 500)
        for key in 0..<1_000 {
            cache.setValue(key, forKey: key)
            _ = cache.value(forKey: key / 3)
        }
        let timings = OperationTimings()
        for operation in 0..<20 {
            for sample in 0..<200 {
                timings.record(.microseconds(50 + sample * operation), for: "op-\(operation)")
            }
        }
        registry.register(cache)
        registry.register(AsyncProcessor(name: "jobs-\(index)", maxConcurrency: 4))
        registry.register(timings)
        return registry
    }
}
