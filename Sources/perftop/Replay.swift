import ArgumentParser
import FoundationEssentials
import PerfKit
import PerftopCore
import PerftopTUI

/// `perftop replay FILE…`: the dashboard over a record that `--record` wrote, with its own time.
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay a record (--record FILE) in the dashboard.",
        discussion: """
            Every pane, the tracker and the advisor work as they did live, on the record's own time, \
            shown in the header. space plays and pauses, left and right step one round, [ and ] jump \
            a minute, < and > change the speed, Home and End go to the first and last round \
            (docs/usage.md, "Replay"). Give a rotated record's files in any order. A damaged line \
            is skipped and named; the rest replays. The config file is read, never written.
            """
    )

    @Argument(help: ArgumentHelp("The record's files (FILE, FILE.1, …).", valueName: "file"))
    var files: [String]

    @Option(
        help: ArgumentHelp(
            "The color theme: \(Theme.builtInNames.joined(separator: ", ")), a theme name or a theme file.",
            valueName: "name|path"
        )
    )
    var theme: String?

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp("Read this config file instead of $XDG_CONFIG_HOME/perftop/config.toml.", valueName: "path")
    )
    var configPath: String?

    @Flag(name: .customLong("no-config"), help: "Read no config file.")
    var noConfig = false

    @Option(
        name: .customLong("tracker"),
        help: ArgumentHelp("Judge this optimization tracker's targets over the record.", valueName: "file")
    )
    var trackerPath: String?

    @Flag(help: "Start paused on the first round instead of playing.")
    var paused = false

    func run() async throws {
        let contents: RecordReader.Contents
        do {
            contents = try RecordReader.read(self.files)
        } catch {
            throw CommandFailure(error.description)
        }
        let notices = Self.notices(contents)
        let environment = ProcessInfo.processInfo.environment
        let configPath = self.noConfig ? nil : self.configPath ?? ConfigLocation.configFile(environment: environment)
        let settings: DashboardSettings
        let theme: Theme
        var tracker: Tracker?
        let customPanes: [PaneDefinition]
        do {
            let config = try configPath.flatMap { try PerftopConfig.load(path: $0) } ?? PerftopConfig()
            config.warnings.forEach { Console.warning("\($0)") }
            settings = config.resolved(with: CommandLineSettings(theme: self.theme)).settings
            customPanes = config.customPanes
            tracker = try self.trackerPath.map { try Tracker.read(path: $0) }
        } catch {
            throw CommandFailure("\(error)")
        }
        do {
            theme = try Theme.named(settings.theme, environment: environment)
        } catch {
            throw CommandFailure("\(self.theme != nil ? "--theme" : "\(configPath ?? "config"): theme"): \(error)")
        }
        let player = ReplayPlayer(
            rounds: contents.rounds,
            derivation: Derivation(tracker: tracker, advisor: Advisor(adoptingGoalsOf: tracker), panes: customPanes)
        )
        let origin = ContinuousClock.now
        if self.paused {
            player.perform(.togglePlay, now: .zero)
        }
        let dashboard = DashboardApp(
            modelProvider: { player.model(now: ContinuousClock.now - origin) },
            settings: settings,
            themes: Theme.cycle(startingWith: theme),
            playback: { action in player.perform(action, now: ContinuousClock.now - origin) },
            startNotice: notices.first
        )
        try await MainActor.run {
            _ = try dashboard.run()
        }
        for notice in notices {
            Console.warning(notice)
        }
    }

    /// What the user should know about the record: damaged lines, an older format.
    static func notices(_ contents: RecordReader.Contents) -> [String] {
        var notices: [String] = []
        if let first = contents.firstDamage {
            let others = contents.damagedLines > 1 ? " (and \(contents.damagedLines - 1) more)" : ""
            notices.append("skipped a damaged line: \(first)\(others)")
        }
        if contents.inferredKinds {
            notices.append("recorded by an older perftop: counters and gauges told apart by name")
        }
        return notices
    }
}
