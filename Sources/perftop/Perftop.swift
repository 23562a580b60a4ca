import ArgumentParser
import Foundation
import PerfKit
import PerftopCore

/// `perftop`: watch this machine, perftop's own collector and any attached agents.
struct Perftop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perftop",
        abstract: "A terminal performance dashboard for services and agents.",
        discussion: """
            Without options, perftop shows this machine (/proc) and its own collector. \
            --attach watches PerfKit agents through their Unix sockets; --pid watches a process. \
            --endpoint polls HTTP metric endpoints (Prometheus text, OpenMetrics, JSON). \
            --export csv writes the same data as CSV instead of drawing.
            """,
        version: "perftop 0.1.0",
        subcommands: [Demo.self]
    )

    @Option(
        name: .customLong("attach"),
        help: ArgumentHelp(
            "Watch the PerfKit agent on this Unix socket, or every socket in a directory or glob (repeatable).",
            valueName: "path"
        )
    )
    var attachPaths: [String] = []

    @Option(
        name: .customLong("pid"),
        help: ArgumentHelp("Watch this process through /proc (repeatable).", valueName: "pid")
    )
    var pids: [Int32] = []

    @Option(
        name: .customLong("endpoint"),
        help: ArgumentHelp(
            "Poll this http(s) metrics URL: Prometheus text, OpenMetrics or JSON (repeatable).",
            valueName: "url"
        )
    )
    var endpoints: [String] = []

    @Option(
        name: .customLong("header-file"),
        help: ArgumentHelp(
            "Send the 'Name: value' lines of this file to every --endpoint (repeatable).",
            valueName: "path"
        )
    )
    var headerFiles: [String] = []

    @Option(
        name: .customLong("header-env"),
        help: ArgumentHelp(
            "Send the 'Name: value' held by this environment variable to every --endpoint (repeatable).",
            valueName: "name"
        )
    )
    var headerVariables: [String] = []

    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp(
            "Verify every https --endpoint against the PEM certificates of this file instead of the system's roots.",
            valueName: "path"
        )
    )
    var caFile: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try self.output.check()
        try self.checkEndpoints()
    }

    func run() async throws {
        var socketPaths: [String] = []
        for pattern in self.attachPaths {
            do {
                socketPaths += try AgentFeed.socketPaths(matching: pattern).filter { !socketPaths.contains($0) }
            } catch {
                throw CommandFailure("--attach \(pattern): \(error)")
            }
        }
        for pid in self.pids {
            do {
                _ = try ProcessStatistics.read(pid: pid)
            } catch {
                throw CommandFailure("--pid \(pid): \(error)")
            }
        }
        var feeds: [any Feed] = [SystemFeed()]
        let selfRegistry = MetricsRegistry()
        if self.attachPaths.isEmpty {
            selfRegistry.register(ProcessSampleSource())
            feeds.append(RegistryFeed(name: "self", registry: selfRegistry))
        }
        var watchedPids: [Int32] = []
        for pid in self.pids where !watchedPids.contains(pid) {
            watchedPids.append(pid)
        }
        feeds += watchedPids.map { ProcessFeed(pid: $0) }
        feeds += socketPaths.map { AgentFeed(path: $0) }
        let endpointHeaders = try self.endpointHeaders()
        let trustRoots = try self.endpointTrustRoots()
        let httpClient = self.endpoints.isEmpty ? nil : HTTPFeed.makeClient(trustRoots: trustRoots)
        if let httpClient {
            feeds += self.endpoints.map { HTTPFeed(url: $0, headers: endpointHeaders, client: httpClient) }
        }
        let collector = Collector(feeds: feeds, configuration: self.output.collectorConfiguration)
        selfRegistry.register(collector.processor)
        do {
            try await self.output.present(collector)
        } catch {
            try? await httpClient?.shutdown()
            throw error
        }
        try await httpClient?.shutdown()
    }
}

// MARK: - HTTP endpoints

extension Perftop {
    /// Checks every --endpoint URL, and that header and CA flags come with an endpoint.
    private func checkEndpoints() throws {
        for url in self.endpoints {
            do {
                try HTTPFeed.validate(url: url)
            } catch {
                throw ValidationError("--endpoint \(url): \(error)")
            }
        }
        if self.endpoints.isEmpty, !self.headerFiles.isEmpty {
            throw ValidationError("--header-file needs --endpoint")
        }
        if self.endpoints.isEmpty, !self.headerVariables.isEmpty {
            throw ValidationError("--header-env needs --endpoint")
        }
        if self.endpoints.isEmpty, self.caFile != nil {
            throw ValidationError("--ca-file needs --endpoint")
        }
    }

    /// The headers of every --header-file, then of every --header-env, in order.
    private func endpointHeaders() throws -> HTTPFeed.Headers {
        var headers = HTTPFeed.Headers()
        for path in self.headerFiles {
            do {
                headers.add(contentsOf: try HTTPFeed.headers(fromFile: path))
            } catch {
                throw CommandFailure("--header-file: \(error)")
            }
        }
        for name in self.headerVariables {
            do {
                headers.add(contentsOf: try HTTPFeed.headers(fromEnvironmentVariable: name))
            } catch {
                throw CommandFailure("--header-env: \(error)")
            }
        }
        return headers
    }

    /// The certificates of --ca-file, or `nil` (the system's trust roots) without it.
    private func endpointTrustRoots() throws -> HTTPFeed.TrustRoots? {
        guard let path = self.caFile else {
            return nil
        }
        do {
            return try HTTPFeed.TrustRoots(pemFile: path)
        } catch {
            throw CommandFailure("--ca-file \(path): \(error)")
        }
    }
}

/// A failure the user can act on; printed as one line, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
