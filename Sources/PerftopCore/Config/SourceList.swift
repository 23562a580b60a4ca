import NIOHTTP1
import PerfKit

/// The sources a run watches and how to reach them: the agents, processes and endpoints (from the
/// command line, or the config file's `[sources]`), the endpoints' request headers and trust roots,
/// and the socket owners trusted besides the user and root. ``makeFeeds(warn:)`` turns it into the
/// feeds every command collects from.
public struct SourceList: Sendable {
    /// The agents, processes and endpoints.
    public var sources: PerftopConfig.Sources
    /// The config file the sources came from, named in errors; nil when they came from the command line.
    public var origin: String?
    /// Files of `Name: value` header lines sent to every endpoint (`--header-file`).
    public var headerFiles: [String]
    /// Environment variables holding header lines sent to every endpoint (`--header-env`).
    public var headerVariables: [String]
    /// A PEM file of the CAs endpoints are verified against instead of the system's (`--ca-file`).
    public var caFile: String?
    /// Users whose agent sockets are read besides this process's user and root (`--allow-socket-owner`).
    public var trustedSocketOwners: [UInt32]
    /// Whether perftop's own process is a source (when no agent is attached); `tracker check` leaves
    /// it out so that perftop's memory never counts against a target.
    public var includingSelf: Bool
    /// What is asked of the Prometheus servers (`[prometheus]` in the config file).
    public var prometheusQueries: PrometheusQueries

    /// Creates a source list.
    public init(
        sources: PerftopConfig.Sources,
        origin: String? = nil,
        headerFiles: [String] = [],
        headerVariables: [String] = [],
        caFile: String? = nil,
        trustedSocketOwners: [UInt32] = [],
        includingSelf: Bool = true,
        prometheusQueries: PrometheusQueries = PrometheusQueries()
    ) {
        self.sources = sources
        self.origin = origin
        self.headerFiles = headerFiles
        self.headerVariables = headerVariables
        self.caFile = caFile
        self.trustedSocketOwners = trustedSocketOwners
        self.includingSelf = includingSelf
        self.prometheusQueries = prometheusQueries
    }

    /// Builds the feeds: this machine, perftop itself (when no agent is attached and
    /// ``includingSelf``), each process, each agent socket (every socket of a directory or glob) and
    /// each endpoint, with one HTTP client for all endpoints.
    ///
    /// Checks everything it can before anything runs: sockets exist and are owned by a trusted user,
    /// processes exist, endpoint URLs are valid, header files and the CA file read.
    /// - Parameter warn: Told each warning (a header file others can read, headers in clear text).
    /// - Throws: ``SourceListError`` naming the flag (or config key) and the problem, e.g.
    ///   `--attach /tmp/x.sock: no such socket: /tmp/x.sock`.
    public func makeFeeds(warn: (String) -> Void) throws(SourceListError) -> SourceFeeds {
        try self.checkEndpointOptions()
        if self.sources.attach.isEmpty, !self.trustedSocketOwners.isEmpty {
            throw SourceListError("--allow-socket-owner needs --attach")
        }
        var socketPaths: [String] = []
        let trustedOwners = Set(self.trustedSocketOwners)
        for pattern in self.sources.attach {
            do {
                socketPaths += try AgentFeed.socketPaths(matching: pattern, trustedOwners: trustedOwners)
                    .filter { !socketPaths.contains($0) }
            } catch {
                throw SourceListError("--attach \(pattern): \(error)")
            }
        }
        var watchedPids: [Int32] = []
        for pid in self.sources.pids where !watchedPids.contains(pid) {
            do {
                _ = try ProcessStatistics.read(pid: pid)
            } catch {
                throw SourceListError("--pid \(pid): \(error)")
            }
            watchedPids.append(pid)
        }
        var feeds: [any Feed] = [SystemFeed()]
        let selfRegistry = MetricsRegistry()
        if self.sources.attach.isEmpty, self.includingSelf {
            selfRegistry.register(ProcessSampleSource())
            feeds.append(RegistryFeed(name: "self", registry: selfRegistry))
        }
        feeds += watchedPids.map { ProcessFeed(pid: $0) }
        if socketPaths.count > AgentDiscovery.maximumAgents {
            warn(
                "--attach: \(socketPaths.count) agent sockets, watching the first \(AgentDiscovery.maximumAgents) by path"
            )
            socketPaths.removeLast(socketPaths.count - AgentDiscovery.maximumAgents)
        }
        feeds += socketPaths.map { AgentFeed(path: $0, trustedOwners: trustedOwners) }
        let discovery = AgentDiscovery(attach: self.sources.attach, trustedOwners: trustedOwners)
        let trustRoots = try self.endpointTrustRoots()
        let servers = try self.serverFeeds(trustRoots: trustRoots, warn: warn)
        feeds += servers.map(\.feed)
        let httpEndpoints = self.sources.endpoints.filter { !ServerURL.isServer($0) }
        guard !httpEndpoints.isEmpty || !self.sources.prometheus.isEmpty else {
            return SourceFeeds(feeds: feeds, selfRegistry: selfRegistry, discovery: discovery) {
                for server in servers {
                    await server.close()
                }
            }
        }
        let headers = try self.endpointHeaders(warn: warn)
        let client = HTTPFeed.makeClient(trustRoots: trustRoots)
        let httpFeeds = httpEndpoints.map { HTTPFeed(url: $0, headers: headers, client: client) }
        let engines = self.sources.prometheus.map {
            PrometheusEngine(url: $0, queries: self.prometheusQueries, headers: headers, client: client)
        }
        // The Prometheus servers get the same headers, so the same warning.
        (httpFeeds + self.sources.prometheus.map { HTTPFeed(url: $0, headers: headers, client: client) })
            .compactMap(\.cleartextWarning).forEach(warn)
        let serverFeeds: [any Feed] = engines.map { PrometheusServerFeed(engine: $0) }
        return SourceFeeds(
            feeds: feeds + httpFeeds + serverFeeds,
            selfRegistry: selfRegistry,
            discovery: discovery,
            prometheus: engines
        ) {
            await client.shutdown()
            for server in servers {
                await server.close()
            }
        }
    }

    /// Checks an `--endpoint` URL: `http` and `https` as ``HTTPFeed/validate(url:)`` does, `redis`,
    /// `rediss`, `memcached` and `postgresql` as ``RedisFeed``, ``MemcachedFeed`` and ``PostgresFeed``
    /// read them.
    ///
    /// - Throws: ``FeedError`` naming the problem, e.g. `unsupported scheme ftp (use http, https, redis,
    ///   rediss or memcached)`.
    public static func validate(endpoint url: String) throws(FeedError) {
        if ServerURL.isServer(url) {
            _ = try ServerURL(url)
        } else {
            try HTTPFeed.validate(url: url)
        }
    }

    // MARK: - Servers

    /// The feeds of the Redis, memcached and PostgreSQL endpoints, in the order given, with their passwords read;
    /// warns about a password file others can read.
    private func serverFeeds(
        trustRoots: HTTPFeed.TrustRoots?,
        warn: (String) -> Void
    ) throws(SourceListError) -> [(feed: any Feed, close: @Sendable () async -> Void)] {
        var servers: [(feed: any Feed, close: @Sendable () async -> Void)] = []
        for url in self.sources.endpoints where ServerURL.isServer(url) {
            do {
                let parsed = try ServerURL(url)
                if case .file(let path) = parsed.password {
                    HTTPFeed.exposureWarning(secretFile: path, kind: "password file").map(warn)
                }
                switch parsed.scheme {
                case .redis, .rediss:
                    let feed = try RedisFeed(url: url, trustRoots: trustRoots)
                    servers.append((feed, feed.close))
                case .memcached:
                    let feed = try MemcachedFeed(url: url)
                    servers.append((feed, feed.close))
                case .postgresql, .postgres:
                    let feed = try PostgresFeed(url: url, trustRoots: trustRoots)
                    servers.append((feed, feed.close))
                }
            } catch {
                throw SourceListError(self.endpointPlace(url) + ": \(error)")
            }
        }
        return servers
    }

    /// How an endpoint is named in an error: `--endpoint URL`, or `FILE: sources.endpoints: URL`.
    private func endpointPlace(_ url: String) -> String {
        self.origin.map { "\($0): sources.endpoints: \(url)" } ?? "--endpoint \(url)"
    }

    // MARK: - HTTP endpoints

    /// Checks the endpoints (named by the config file when they come from it), and that header and
    /// CA flags come with an endpoint.
    private func checkEndpointOptions() throws(SourceListError) {
        for url in self.sources.endpoints {
            do {
                try Self.validate(endpoint: url)
            } catch {
                throw SourceListError(self.endpointPlace(url) + ": \(error)")
            }
        }
        for url in self.sources.prometheus {
            do {
                try HTTPFeed.validate(url: url)
            } catch {
                throw SourceListError(
                    (self.origin.map { "\($0): sources.prometheus: \(url)" } ?? "--prometheus \(url)") + ": \(error)"
                )
            }
        }
        if self.sources.endpoints.contains(where: { !ServerURL.isServer($0) }) || !self.sources.prometheus.isEmpty {
            return
        }
        if !self.headerFiles.isEmpty {
            throw SourceListError("--header-file needs --endpoint or --prometheus")
        }
        if !self.headerVariables.isEmpty {
            throw SourceListError("--header-env needs --endpoint or --prometheus")
        }
        if self.caFile != nil, !self.sources.endpoints.contains(where: { (try? ServerURL($0))?.usesTLS == true }) {
            throw SourceListError("--ca-file needs --endpoint or --prometheus")
        }
    }

    /// The headers of every header file, then of every header variable, in order; warns about a
    /// header file that others can read.
    private func endpointHeaders(warn: (String) -> Void) throws(SourceListError) -> HTTPFeed.Headers {
        var headers = HTTPFeed.Headers()
        for path in self.headerFiles {
            do {
                headers.add(contentsOf: try HTTPFeed.headers(fromFile: path))
            } catch {
                throw SourceListError("--header-file: \(error)")
            }
            HTTPFeed.exposureWarning(headerFile: path).map(warn)
        }
        for name in self.headerVariables {
            do {
                headers.add(contentsOf: try HTTPFeed.headers(fromEnvironmentVariable: name))
            } catch {
                throw SourceListError("--header-env: \(error)")
            }
        }
        return headers
    }

    /// The certificates of the CA file, or nil (the system's trust roots) without one.
    private func endpointTrustRoots() throws(SourceListError) -> HTTPFeed.TrustRoots? {
        guard let path = self.caFile else {
            return nil
        }
        do {
            return try HTTPFeed.TrustRoots(pemFile: path)
        } catch {
            throw SourceListError("--ca-file \(path): \(error)")
        }
    }
}

/// The feeds a command collects from, and what must be shut down after it.
public struct SourceFeeds: Sendable {
    /// The feeds, in the order the header lists them.
    public let feeds: [any Feed]
    /// perftop's own registry; register the collector's processor in it.
    public let selfRegistry: MetricsRegistry
    /// Shuts the endpoints' HTTP client down, if any; errors are ignored (nothing is left to flush).
    public let shutdown: @Sendable () async -> Void
    /// The `--attach` directories and patterns to look at again every round; `nil` when the agents
    /// are fixed.
    public let discovery: AgentDiscovery?
    /// The Prometheus servers (`--prometheus`), whose targets come and go as sources.
    public let prometheus: [PrometheusEngine]

    /// Creates the feeds of a run.
    public init(
        feeds: [any Feed],
        selfRegistry: MetricsRegistry,
        discovery: AgentDiscovery? = nil,
        prometheus: [PrometheusEngine] = [],
        shutdown: @escaping @Sendable () async -> Void
    ) {
        self.feeds = feeds
        self.selfRegistry = selfRegistry
        self.discovery = discovery
        self.prometheus = prometheus
        self.shutdown = shutdown
    }

    /// The feeds of the next round, given the current ones: the agents found by ``discovery`` and the
    /// targets of each Prometheus server; `nil` when the feeds are fixed.
    public var feedDiscovery: Collector.FeedDiscovery? {
        guard self.discovery != nil || !self.prometheus.isEmpty else {
            return nil
        }
        let agents = self.discovery
        let engines = self.prometheus
        return { current in
            engines.reduce(agents?.feeds(replacing: current) ?? current) { $1.feeds(replacing: $0) }
        }
    }
}

/// A source that cannot be watched; the description is one line naming the flag or config key.
public struct SourceListError: Error, CustomStringConvertible {
    /// `--attach /tmp/x.sock: no such socket: /tmp/x.sock`.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
