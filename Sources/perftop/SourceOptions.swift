import ArgumentParser
import Foundation
import PerfKit
import PerftopCore
import PerftopTUI

/// The sources to watch, shared by every command that collects: agents' sockets, processes and HTTP
/// endpoints, with the headers and trust roots the endpoints need.
struct SourceOptions: ParsableArguments {
    @Option(
        name: .customLong("attach"),
        help: ArgumentHelp(
            "Watch the PerfKit agent on this Unix socket, or every socket in a directory or glob (repeatable).",
            valueName: "path"
        )
    )
    var attachPaths: [String] = []

    @Option(
        name: .customLong("allow-socket-owner"),
        help: ArgumentHelp(
            "Also trust --attach sockets owned by, and agents running as, this uid besides yours and root (repeatable).",
            valueName: "uid"
        )
    )
    var allowedSocketOwners: [UInt32] = []

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

    /// The sources named on the command line.
    var commandLineSources: PerftopConfig.Sources {
        PerftopConfig.Sources(attach: self.attachPaths, endpoints: self.endpoints, pids: self.pids)
    }

    /// Builds the feeds for `sources`: this machine, perftop itself (when no agent is attached and
    /// `includingSelf`), each process, each agent socket and each endpoint.
    ///
    /// - Parameters:
    ///   - origin: The config file the sources came from, to name it in errors; nil when they came
    ///     from the command line.
    ///   - includingSelf: Whether perftop's own process is a source; `tracker check` leaves it out so
    ///     that perftop's memory never counts against a target.
    /// - Throws: `CommandFailure` naming the flag (or config key) and the problem.
    func makeFeeds(
        for sources: PerftopConfig.Sources,
        origin: String? = nil,
        includingSelf: Bool = true
    ) throws -> SourceFeeds {
        try self.checkEndpointOptions(sources.endpoints, origin: origin)
        if sources.attach.isEmpty, !self.allowedSocketOwners.isEmpty {
            throw CommandFailure("--allow-socket-owner needs --attach")
        }
        var socketPaths: [String] = []
        let trustedOwners = Set(self.allowedSocketOwners)
        for pattern in sources.attach {
            do {
                socketPaths += try AgentFeed.socketPaths(matching: pattern, trustedOwners: trustedOwners)
                    .filter { !socketPaths.contains($0) }
            } catch {
                throw CommandFailure("--attach \(pattern): \(error)")
            }
        }
        for pid in sources.pids {
            do {
                _ = try ProcessStatistics.read(pid: pid)
            } catch {
                throw CommandFailure("--pid \(pid): \(error)")
            }
        }
        var feeds: [any Feed] = [SystemFeed()]
        let selfRegistry = MetricsRegistry()
        if sources.attach.isEmpty, includingSelf {
            selfRegistry.register(ProcessSampleSource())
            feeds.append(RegistryFeed(name: "self", registry: selfRegistry))
        }
        var watchedPids: [Int32] = []
        for pid in sources.pids where !watchedPids.contains(pid) {
            watchedPids.append(pid)
        }
        feeds += watchedPids.map { ProcessFeed(pid: $0) }
        feeds += socketPaths.map { AgentFeed(path: $0, trustedOwners: trustedOwners) }
        let endpointHeaders = try self.endpointHeaders()
        let trustRoots = try self.endpointTrustRoots()
        let httpClient = sources.endpoints.isEmpty ? nil : HTTPFeed.makeClient(trustRoots: trustRoots)
        if let httpClient {
            let httpFeeds = sources.endpoints.map { HTTPFeed(url: $0, headers: endpointHeaders, client: httpClient) }
            for warning in httpFeeds.compactMap(\.cleartextWarning) {
                Console.warning(warning)
            }
            feeds += httpFeeds
        }
        return SourceFeeds(feeds: feeds, selfRegistry: selfRegistry) { try? await httpClient?.shutdown() }
    }
}

/// The feeds a command collects from, and what must be shut down after it.
struct SourceFeeds {
    /// The feeds, in the order the header lists them.
    let feeds: [any Feed]
    /// perftop's own registry; register the collector's processor in it.
    let selfRegistry: MetricsRegistry
    /// Shuts the endpoints' HTTP client down, if any; errors are ignored (nothing is left to flush).
    let shutdown: @Sendable () async -> Void
}

// MARK: - HTTP endpoints

extension SourceOptions {
    /// Checks every --endpoint URL; called from a command's `validate()`.
    func check() throws {
        for url in self.endpoints {
            do {
                try HTTPFeed.validate(url: url)
            } catch {
                throw ValidationError("--endpoint \(url): \(error)")
            }
        }
    }

    /// Checks the endpoints in use (the config file's when `origin` names it), and that header
    /// and CA flags come with an endpoint from either.
    private func checkEndpointOptions(_ endpoints: [String], origin: String?) throws {
        if let origin {
            for url in endpoints {
                do {
                    try HTTPFeed.validate(url: url)
                } catch {
                    throw CommandFailure("\(origin): sources.endpoints: \(url): \(error)")
                }
            }
        }
        if endpoints.isEmpty, !self.headerFiles.isEmpty {
            throw CommandFailure("--header-file needs --endpoint")
        }
        if endpoints.isEmpty, !self.headerVariables.isEmpty {
            throw CommandFailure("--header-env needs --endpoint")
        }
        if endpoints.isEmpty, self.caFile != nil {
            throw CommandFailure("--ca-file needs --endpoint")
        }
    }

    /// The headers of every --header-file, then of every --header-env, in order; warns about a header
    /// file that others can read.
    private func endpointHeaders() throws -> HTTPFeed.Headers {
        var headers = HTTPFeed.Headers()
        for path in self.headerFiles {
            do {
                headers.add(contentsOf: try HTTPFeed.headers(fromFile: path))
            } catch {
                throw CommandFailure("--header-file: \(error)")
            }
            if let warning = HTTPFeed.exposureWarning(headerFile: path) {
                Console.warning(warning)
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
