import ArgumentParser
import Foundation
import PerftopCore
import PerftopTUI
import Synchronization

/// The export formats `--export` takes.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case csv
    case jsonl

    /// The exporter that writes this format.
    var exporter: any Exporter {
        switch self {
        case .csv: CSVExporter()
        case .jsonl: JSONLinesExporter()
        }
    }
}

/// How perftop presents what it collects: the dashboard, an export, or one snapshot; shared by
/// `perftop` and `perftop demo`.
struct OutputOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Seconds between two collections (0 < s ≤ 3600; default: the config file's, else 1).",
            valueName: "seconds"
        )
    )
    var interval: Double?

    @Option(
        help: ArgumentHelp(
            "The color theme: \(Theme.builtInNames.joined(separator: ", ")), a NAME.theme in "
                + "~/.config/perftop/themes, or a theme file (btop's format).",
            valueName: "name|path"
        )
    )
    var theme: String?

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "Read (and save changes to) this config file instead of $XDG_CONFIG_HOME/perftop/config.toml.",
            valueName: "path"
        )
    )
    var configPath: String?

    @Flag(name: .customLong("no-config"), help: "Neither read nor save a config file.")
    var noConfig = false

    @Option(
        name: .customLong("tracker"),
        help: ArgumentHelp(
            "Show this optimization tracker's targets with their live status (docs/tracker.md).",
            valueName: "file"
        )
    )
    var trackerPath: String?

    @Option(help: ArgumentHelp("Write samples in this format instead of drawing the dashboard.", valueName: "format"))
    var export: ExportFormat?

    @Option(
        help: ArgumentHelp("With --export: stop after this many rounds (default: until interrupted).", valueName: "n")
    )
    var count: Int?

    @Option(
        help: ArgumentHelp(
            "With --export: stop after this many seconds (with --count, whichever comes first).",
            valueName: "seconds"
        )
    )
    var duration: Double?

    @Option(
        help: ArgumentHelp(
            "With --export or --once: write to this file, replaced when done, instead of standard output.",
            valueName: "file"
        )
    )
    var output: String?

    @Flag(
        help: """
            Print one snapshot (the dashboard as text, or one --export round) and exit: \
            status 1 when a source is not ok (stale or down).
            """
    )
    var once = false

    /// Whether any option that chooses what to print (rather than how often) was given.
    var choosesOutput: Bool {
        self.export != nil || self.count != nil || self.duration != nil || self.output != nil || self.once
    }

    /// The size of the text dashboard `--once` prints without `--export`.
    static let snapshotSize = TerminalSize(width: 120, height: 40)

    /// Checks the values together; messages name the flag and the value.
    func check() throws {
        if let interval = self.interval {
            guard interval.isFinite, interval > 0, interval <= PerftopConfig.maximumIntervalSeconds else {
                throw ValidationError("--interval must be greater than 0 and at most 3600 seconds, got \(interval)")
            }
        }
        if self.noConfig, self.configPath != nil {
            throw ValidationError("--no-config and --config cannot be combined")
        }
        if let count = self.count, count < 1 {
            throw ValidationError("--count must be at least 1, got \(count)")
        }
        if let duration = self.duration {
            guard duration.isFinite, duration > 0, duration <= 1e9 else {
                throw ValidationError("--duration must be greater than 0 and at most 1e9 seconds, got \(duration)")
            }
            if let interval = self.interval, duration < interval {
                throw ValidationError(
                    "--duration \(duration) is shorter than --interval \(interval): no round would be written"
                )
            }
        }
        if self.once, self.count != nil || self.duration != nil {
            throw ValidationError("--once takes one round; it cannot be combined with --count or --duration")
        }
        if self.export == nil, !self.once {
            if self.count != nil {
                throw ValidationError("--count needs --export")
            }
            if self.duration != nil {
                throw ValidationError("--duration needs --export")
            }
            if self.output != nil {
                throw ValidationError("--output needs --export or --once")
            }
        }
    }

    // MARK: - Settings

    /// What a run uses: the command line over the config file over the defaults.
    struct RunSettings {
        /// The interval, theme name and panes at the start.
        var settings: DashboardSettings
        /// The sources to watch (the command line's when it names any, else the config's).
        var sources: PerftopConfig.Sources
        /// The config file, where changes are saved; nil with `--no-config`.
        var configPath: String?
        /// The tracker to evaluate every round, if any.
        var tracker: Tracker?

        /// The collector's configuration: ``settings``' interval.
        var collectorConfiguration: Collector.Configuration {
            Collector.Configuration(interval: self.settings.interval)
        }

        /// What each round derives besides the views: the tracker, and the advisor with the tracker's
        /// hit-ratio goals.
        var derivation: Derivation {
            Derivation(tracker: self.tracker, advisor: Advisor(adoptingGoalsOf: self.tracker))
        }
    }

    /// Reads the config file (`--config`, else the default location; none with `--no-config`)
    /// and applies the command line over it (docs/configuration.md). A missing file is an empty
    /// config.
    ///
    /// - Parameters:
    ///   - sources: the sources named on the command line.
    ///   - defaultTracker: the tracker to show without `--tracker`, e.g. the demo's.
    /// - Throws: `CommandFailure` naming the file and line of a bad config or tracker.
    func resolve(
        commandLineSources sources: PerftopConfig.Sources,
        defaultTracker: Tracker? = nil
    ) throws -> RunSettings {
        let environment = ProcessInfo.processInfo.environment
        let path = self.noConfig ? nil : self.configPath ?? ConfigLocation.configFile(environment: environment)
        let config: PerftopConfig
        do {
            config = try path.flatMap { try PerftopConfig.load(path: $0) } ?? PerftopConfig()
        } catch {
            throw CommandFailure("\(error)")
        }
        let commandLine = CommandLineSettings(
            interval: self.interval.map { .milliseconds(Int64(($0 * 1000).rounded())) },
            theme: self.theme,
            sources: sources
        )
        let resolved = config.resolved(with: commandLine)
        let interval = Self.seconds(resolved.settings.interval)
        if let duration = self.duration, duration < interval {
            throw CommandFailure(
                "--duration \(duration) is shorter than the interval, \(interval) s (from \(path ?? "the config")): "
                    + "no round would be written"
            )
        }
        var tracker = defaultTracker
        if let trackerPath = self.trackerPath {
            do {
                tracker = try Tracker.read(path: trackerPath)
            } catch {
                throw CommandFailure("\(error)")
            }
        }
        return RunSettings(settings: resolved.settings, sources: resolved.sources, configPath: path, tracker: tracker)
    }

    /// `interval` in seconds.
    private static func seconds(_ interval: Duration) -> Double {
        Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
    }

    /// Runs the dashboard, the export or the snapshot over `collector` until the user quits, the
    /// count or duration is reached, or a termination signal arrives.
    ///
    /// - Throws: `ExitCode.failure` after naming each source that is not ok, with `--once`.
    func present(_ collector: Collector, run: RunSettings) async throws {
        if self.export == nil, !self.once {
            try await self.runDashboard(collector, run: run)
            return
        }
        let exporter = self.export?.exporter ?? DashboardSnapshot(size: Self.snapshotSize)
        let last = try await self.runExport(exporter, collector)
        if self.once {
            try Self.checkSources(last)
        }
    }

    // MARK: - Export

    /// Writes rounds until the count or duration is reached or a termination signal arrives, and
    /// returns the last round written.
    ///
    /// A signal stops the export between two rounds, never inside a write; what was written is
    /// then finished (a file renamed into place) as if the count had been reached.
    private func runExport(_ exporter: any Exporter, _ collector: Collector) async throws -> Collector.Round? {
        // Observe the signals before the output file exists, so a signal never finds it unowned.
        let signals = TerminationSignals.shared
        let sink = try self.output.map(ExportSink.file(atPath:)) ?? ExportSink.standardOutput()
        let rounds = self.once ? 1 : self.count
        let duration = self.duration
        let work = Task {
            try await Self.writeRounds(exporter, collector, into: sink, rounds: rounds, duration: duration)
        }
        let watcher = Task {
            _ = await signals.next()
            work.cancel()
        }
        defer { watcher.cancel() }
        let last = try await work.value
        try sink.finish()
        return last
    }

    /// Primes the collector, then writes `rounds` rounds (or until cancelled), one every interval,
    /// none starting later than `duration` seconds after the start; returns the last one written.
    private static func writeRounds(
        _ exporter: any Exporter,
        _ collector: Collector,
        into sink: ExportSink,
        rounds: Int?,
        duration: Double?
    ) async throws -> Collector.Round? {
        try sink.write(exporter.header)
        var primed = false
        var last: Collector.Round?
        // The first round only primes the counters: a rate needs two readings.
        try await collector.run(
            rounds: rounds.map { $0 + 1 },
            for: duration.map { .milliseconds(Int64(($0 * 1000).rounded())) }
        ) { round in
            guard primed else {
                primed = true
                return
            }
            try sink.write(exporter.rows(for: round))
            last = round
        }
        return last
    }

    /// Names every source of `round` that is not ok on standard error, one line each, and fails if there is one.
    private static func checkSources(_ round: Collector.Round?) throws {
        guard let round else {
            throw CommandFailure("interrupted before the snapshot was taken")
        }
        let failing = round.model.sources.filter { $0.state != .ok }
        for source in failing {
            Console.error("\(source.name): \(source)")
        }
        if !failing.isEmpty {
            throw ExitCode.failure
        }
    }

    // MARK: - Dashboard

    /// Runs the dashboard with the run's theme first in the `t` cycle; each change of the
    /// settings sets the collector's interval and is saved to the config file (a failed save is
    /// reported on standard error when the dashboard ends, the first one only).
    private func runDashboard(_ collector: Collector, run: RunSettings) async throws {
        let theme: Theme
        do {
            theme = try Theme.named(run.settings.theme, environment: ProcessInfo.processInfo.environment)
        } catch {
            let origin = self.theme != nil ? "--theme" : "\(run.configPath ?? "config"): theme"
            throw CommandFailure("\(origin): \(error)")
        }
        let saved = Mutex(run.settings)
        let saveFailure = Mutex<String?>(nil)
        let configPath = run.configPath
        let collecting = Task { await collector.run { _ in } }
        defer { collecting.cancel() }
        let app = DashboardApp(
            modelProvider: { collector.model },
            settings: run.settings,
            themes: Theme.cycle(startingWith: theme),
            onSettingsChange: { settings in
                let previous = saved.withLockedValue { previous in
                    defer { previous = settings }
                    return previous
                }
                if previous.interval != settings.interval {
                    collector.setInterval(settings.interval)
                }
                guard let configPath else {
                    return
                }
                do {
                    try PerftopConfig.save(settingsChangedFrom: previous, to: settings, path: configPath)
                } catch {
                    saveFailure.withLockedValue { $0 = $0 ?? "\(error)" }
                }
            }
        )
        try await MainActor.run {
            _ = try app.run()
        }
        if let failure = saveFailure.withLockedValue({ $0 }) {
            Console.error("settings not saved: \(failure)")
        }
    }
}

/// `--once` without `--export`: the dashboard drawn as plain text, as it would fill a terminal of `size`.
private struct DashboardSnapshot: Exporter {
    let size: TerminalSize
    let header = ""

    func rows(for round: Collector.Round) -> String {
        DashboardRenderer().render(round.model, size: self.size).text + "\n"
    }
}
