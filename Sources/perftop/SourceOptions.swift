import ArgumentParser
import FoundationEssentials
import PerfKit
import PerftopCore
import PerftopTUI

/// The sources to watch, shared by every command that collects: agents' sockets, processes and HTTP
/// endpoints, with the headers and trust roots the endpoints need. It only parses; ``SourceList``
/// (PerftopCore) builds the feeds.
struct SourceOptions: ParsableArguments {
    @Option(
        name: .customLong("attach"),
        help: ArgumentHelp(
            "Watch the PerfKit agent on this Unix socket, or every socket in a directory or glob, looked at again every round (repeatable).",
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
            "Poll this metrics URL (http(s): Prometheus text, OpenMetrics or JSON) or server (redis://, rediss://, memcached://, postgresql://) (repeatable).",
            valueName: "url"
        )
    )
    var endpoints: [String] = []

    @Option(
        name: .customLong("prometheus"),
        help: ArgumentHelp(
            "Watch every target of this Prometheus server (its base URL, http or https) through its HTTP API, with the graphs filled from its history at start (repeatable).",
            valueName: "url"
        )
    )
    var prometheusServers: [String] = []

    @Option(
        name: .customLong("header-file"),
        help: ArgumentHelp(
            "Send the 'Name: value' lines of this file to every --endpoint and --prometheus (repeatable).",
            valueName: "path"
        )
    )
    var headerFiles: [String] = []

    @Option(
        name: .customLong("header-env"),
        help: ArgumentHelp(
            "Send the 'Name: value' held by this environment variable to every --endpoint and --prometheus (repeatable).",
            valueName: "name"
        )
    )
    var headerVariables: [String] = []

    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp(
            "Verify every TLS --endpoint (https, rediss, postgresql sslmode=require) against the PEM certificates of this file instead of the system's roots.",
            valueName: "path"
        )
    )
    var caFile: String?

    /// The sources named on the command line.
    var commandLineSources: PerftopConfig.Sources {
        PerftopConfig.Sources(
            attach: self.attachPaths,
            endpoints: self.endpoints,
            pids: self.pids,
            prometheus: self.prometheusServers
        )
    }

    /// The sources to watch with this command line's headers, trust roots and socket owners: `sources`
    /// (the command line's, or the config file's when `origin` names it).
    func list(
        for sources: PerftopConfig.Sources,
        origin: String? = nil,
        includingSelf: Bool = true,
        prometheusQueries: PrometheusQueries = PrometheusQueries()
    ) -> SourceList {
        SourceList(
            sources: sources,
            origin: origin,
            headerFiles: self.headerFiles,
            headerVariables: self.headerVariables,
            caFile: self.caFile,
            trustedSocketOwners: self.allowedSocketOwners,
            includingSelf: includingSelf,
            prometheusQueries: prometheusQueries
        )
    }

    /// Checks every --endpoint URL; called from a command's `validate()`.
    func check() throws {
        for url in self.endpoints {
            do {
                try SourceList.validate(endpoint: url)
            } catch {
                throw ValidationError("--endpoint \(url): \(error)")
            }
        }
        for url in self.prometheusServers {
            do {
                try HTTPFeed.validate(url: url)
            } catch {
                throw ValidationError("--prometheus \(url): \(error)")
            }
        }
    }
}
