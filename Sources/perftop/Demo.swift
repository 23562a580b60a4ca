import ArgumentParser
import FoundationEssentials
import PerfKit
import PerfKitAgent
import PerfKitRedis
import PerftopCore
import PerftopDemo
import PerftopTUI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `perftop demo`: a synthetic agent with live cache and processor traffic, shown or served.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a synthetic agent and watch it, or serve it on a socket.",
        discussion: """
            The demo agent uses real PerfKit caches and a real processor under changing load. \
            With --serve it draws nothing and answers perftop --attach on the given Unix socket \
            until interrupted; with --http-port too, it also serves /metrics (Prometheus text) and \
            /perftop.json over HTTP on 127.0.0.1. With --redis, a "profiles" cache keeps a tier in \
            that Redis server (keys perftop-demo:profiles:*); without it the demo has no Redis tier.
            """
    )

    @Option(
        name: .customLong("serve"),
        help: ArgumentHelp("Serve the agent on this Unix socket (mode 0600) instead of showing it.", valueName: "path")
    )
    var servePath: String?

    @Option(
        name: .customLong("http-port"),
        help: ArgumentHelp(
            "With --serve, also serve HTTP on 127.0.0.1 at this port (0: any free port).",
            valueName: "port"
        )
    )
    var httpPort: Int?

    @Option(
        name: .customLong("redis"),
        help: ArgumentHelp(
            "Give the demo's profiles cache a tier in this Redis server (redis://host[:port][?password-env=VAR]).",
            valueName: "url"
        )
    )
    var redisURL: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try self.output.check()
        if self.servePath != nil, self.output.choosesOutput {
            throw ValidationError(
                "--serve runs the agent headless; --export, --count, --duration, --output and --once need it shown"
            )
        }
        if let httpPort = self.httpPort {
            guard self.servePath != nil else {
                throw ValidationError("--http-port needs --serve")
            }
            guard (0...65_535).contains(httpPort) else {
                throw ValidationError("--http-port \(httpPort): ports are 0 to 65535")
            }
        }
    }

    func run() async throws {
        let redis: RedisClient?
        do {
            redis = try self.redisURL.map { try RedisClient.connecting(to: $0) }
        } catch {
            throw CommandFailure("--redis \(self.redisURL ?? ""): \(error)")
        }
        defer { redis?.close() }
        let agent = DemoAgent(redis: redis)
        let traffic = Task { await agent.run() }
        defer { traffic.cancel() }
        if let servePath = self.servePath {
            try await self.serve(agent, at: servePath)
        } else {
            // The demo watches its own agent: the config's [sources] are not used.
            let run = try App.resolve(
                self.output,
                commandLineSources: PerftopConfig.Sources(),
                defaultTracker: DemoTracker.tracker
            )
            // perftop's own registry is not a source here: the demo shows the agent, not perftop.
            let feeds = SourceFeeds(
                feeds: [SystemFeed(), RegistryFeed(name: "demo", registry: agent.registry)],
                selfRegistry: MetricsRegistry(),
                shutdown: {}
            )
            try await App(run: run, output: self.output, feeds: feeds).present()
        }
    }

    private func serve(_ agent: DemoAgent, at path: String) async throws {
        // Observe termination signals before the socket exists, so a signal never finds it unowned.
        let signals = TerminationSignals.shared
        let server: AgentServer
        do {
            server = try await AgentServer.start(path: path, registry: agent.registry, agentName: "demo")
        } catch {
            throw CommandFailure("--serve \(path): \(error)")
        }
        var http: AgentHTTPServer?
        if let httpPort = self.httpPort {
            do {
                http = try await AgentHTTPServer.start(registry: agent.registry, agentName: "demo", port: httpPort)
            } catch {
                try await server.shutdown()
                throw CommandFailure("--http-port \(httpPort): \(error)")
            }
        }
        let endpoints = http.map { "\(path) and http://127.0.0.1:\($0.port)/metrics" } ?? path
        DescriptorWriter.write("perftop demo: serving on \(endpoints) (Ctrl-C to stop)\n", to: STDERR_FILENO)
        _ = await signals.next()
        await http?.shutdown()
        try await server.shutdown()
    }
}
