import Dispatch
import PerfKit
import PerfKitAgent
import PerftopDemo
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Serves a fleet of agents from one process for `scripts/fleet-cost`: N Unix sockets in a
/// directory, each answering with the demo agent's series (its caches, processor and timed
/// operations) whose counters grow and gauges move at every snapshot, without the demo's simulated
/// load, so that a hundred agents cost this process little and perftop's own cost can be measured.
///
/// Run with `swift run -c release --package-path Benchmarks FleetAgents DIRECTORY [COUNT [PORT]]`
/// (COUNT 100 by default); with PORT, agent N also serves `/metrics` on 127.0.0.1:PORT+N for a
/// Prometheus server to scrape. SIGINT or SIGTERM removes the sockets and exits.
@main
struct FleetAgents {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2, let count = Int(arguments.count > 2 ? arguments[2] : "100"), count > 0,
            arguments.count < 4 || Int(arguments[3]) != nil
        else {
            print("usage: FleetAgents DIRECTORY [COUNT [PORT]]")
            exit(2)
        }
        let directory = arguments[1]
        let firstPort = arguments.count > 3 ? Int(arguments[3]) : nil
        let shape = DemoAgent().registry.collectSamples()
        var servers: [AgentServer] = []
        var httpServers: [AgentHTTPServer] = []
        for index in 0..<count {
            let registry = MetricsRegistry()
            registry.register(ShapedSource(shape: shape, step: Double(index % 7 + 1)))
            let path = directory + "/agent-\(index).sock"
            servers.append(try await AgentServer.start(path: path, registry: registry, agentName: "fleet-\(index)"))
            if let firstPort {
                httpServers.append(
                    try await AgentHTTPServer.start(
                        registry: registry,
                        agentName: "fleet-\(index)",
                        port: firstPort + index
                    )
                )
            }
        }
        print("serving \(count) agents of \(shape.count) series in \(directory)")
        let (signals, sources) = Self.terminationSignals()
        for await _ in signals {
            break
        }
        for server in servers {
            try? await server.shutdown()
        }
        for server in httpServers {
            await server.shutdown()
        }
        sources.forEach { $0.cancel() }
    }

    /// SIGINT and SIGTERM as a stream. Nonisolated: the handlers run on a dispatch queue, and a
    /// closure formed in `main` would be main-actor isolated and trap there.
    nonisolated static func terminationSignals() -> (AsyncStream<Int32>, [any DispatchSourceSignal]) {
        let (signals, arrived) = AsyncStream<Int32>.makeStream()
        let queue = DispatchQueue(label: "fleet-agents.signals")
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { arrived.yield(number) }
            source.resume()
            return source
        }
        return (signals, sources)
    }
}

/// The demo's series, counters growing by `step` times their position per snapshot and gauges
/// cycling, as a live agent's would.
final class ShapedSource: SampleSource {
    let shape: [Sample]
    let step: Double
    private let snapshots = Atomic<Int>(0)

    init(shape: [Sample], step: Double) {
        self.shape = shape
        self.step = step
    }

    func collectSamples() -> [Sample] {
        let poll = Double(self.snapshots.add(1, ordering: .relaxed).newValue)
        return self.shape.enumerated().map { offset, sample in
            var sample = sample
            switch sample.kind {
            case .counter:
                sample.value = poll * self.step * Double(offset % 5 + 1)
            default:
                sample.value = Double((Int(poll) * (offset + 3)) % 97)
            }
            return sample
        }
    }
}
