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
            --attach watches a PerfKit agent through its Unix socket. \
            --export csv writes the same data as CSV instead of drawing.
            """,
        version: "perftop 0.1.0",
        subcommands: [Demo.self]
    )

    @Option(
        name: .customLong("attach"),
        help: ArgumentHelp("Watch the PerfKit agent listening on this Unix socket (repeatable).", valueName: "path")
    )
    var attachPaths: [String] = []

    @OptionGroup var output: OutputOptions

    func validate() throws {
        try self.output.check()
    }

    func run() async throws {
        for path in self.attachPaths {
            do {
                try AgentFeed.validate(path: path)
            } catch {
                throw CommandFailure("--attach \(path): \(error)")
            }
        }
        var feeds: [any Feed] = [SystemFeed()]
        let selfRegistry = MetricsRegistry()
        if self.attachPaths.isEmpty {
            selfRegistry.register(ProcessSampleSource())
            feeds.append(RegistryFeed(name: "self", registry: selfRegistry))
        }
        feeds += self.attachPaths.map { AgentFeed(path: $0) }
        let collector = Collector(feeds: feeds, configuration: self.output.collectorConfiguration)
        selfRegistry.register(collector.processor)
        try await self.output.present(collector)
    }
}

/// A failure the user can act on; printed as one line, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
