import ArgumentParser
import FoundationEssentials
import PerfKit
import PerftopCore
import PerftopTUI

/// `perftop`: the root command; without a subcommand it runs ``Watch``.
///
/// The root has no options of its own, so a subcommand's options (e.g. `tracker check --duration`)
/// never collide with the dashboard's.
struct Perftop: AsyncParsableCommand {
    /// The release this source is, as CHANGELOG.md names it.
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "perftop",
        abstract: "A terminal performance dashboard for services and agents.",
        discussion: """
            'perftop [options]' is 'perftop watch [options]': see 'perftop watch --help' for the \
            dashboard's sources and output options.
            """,
        version: "perftop \(Perftop.version) (commit \(BuildInfo.commit))",
        subcommands: [Watch.self, Demo.self, Replay.self, TrackerCommand.self],
        defaultSubcommand: Watch.self
    )
}

/// `perftop watch` (the default): watch this machine, perftop's own collector and any attached agents.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch this machine, perftop itself and any agents or endpoints (the default).",
        discussion: """
            Without options, perftop shows this machine (/proc) and its own collector. \
            --attach watches PerfKit agents through their Unix sockets; --pid watches a process. \
            --endpoint polls HTTP metric endpoints (Prometheus text, OpenMetrics, JSON). \
            --export csv writes the same data as CSV instead of drawing. Settings and sources \
            can also come from $XDG_CONFIG_HOME/perftop/config.toml (docs/configuration.md); \
            options given here win.
            """
    )

    @OptionGroup var sources: SourceOptions

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try self.output.check()
        try self.sources.check()
    }

    func run() async throws {
        try await App.watching(output: self.output, sources: self.sources).present()
    }
}

/// A failure the user can act on; printed as one line, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
