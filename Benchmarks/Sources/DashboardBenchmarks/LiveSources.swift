import Foundation
import PerfKit
import PerfKitAgent
import PerftopCore

/// Ten live sources in this process, as in the feed benchmarks' poll cycle: 5 PerfKit agents on
/// Unix sockets and 5 on loopback HTTP (`/metrics`, Prometheus text), each with a cache, a processor
/// and 20 timed operations.
struct LiveSources {
    /// One feed per source.
    let feeds: [any Feed]
    private let directory: String
    private let client: HTTP1Client
    private let socketServers: [AgentServer]
    private let httpServers: [AgentHTTPServer]

    /// Starts the ten agents and makes a feed for each.
    static func start() async throws -> LiveSources {
        let directory = FileManager.default.temporaryDirectory.path + "/perftop-dashboard-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
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
        return LiveSources(
            feeds: feeds,
            directory: directory,
            client: client,
            socketServers: socketServers,
            httpServers: httpServers
        )
    }

    /// Stops the agents and removes their sockets.
    func shutdown() async throws {
        for server in self.socketServers {
            try await server.shutdown()
        }
        for server in self.httpServers {
            await server.shutdown()
        }
        await self.client.shutdown()
        try? FileManager.default.removeItem(atPath: self.directory)
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
