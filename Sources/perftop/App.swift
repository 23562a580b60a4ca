import ArgumentParser
import FoundationEssentials
import PerfKit
import PerftopCore
import PerftopTUI
import Synchronization

/// perftop as a program: one run's settings (the command line over the config file over the
/// defaults), its feeds and the collector that runs the one round loop, presented as the dashboard,
/// an export or a `--once` snapshot. It observes the termination signals and saves the settings the
/// dashboard changes. The commands' option groups only parse; `watch`, `demo` and `tracker check`
/// each run through here.
struct App {
    /// What a run uses: the command line over the config file over the defaults.
    struct Run {
        /// The interval, theme name and panes at the start.
        var settings: DashboardSettings
        /// The sources to watch (the command line's when it names any, else the config's).
        var sources: PerftopConfig.Sources
        /// The config file, where changes are saved; nil with `--no-config`.
        var configPath: String?
        /// The tracker to evaluate every round, if any.
        var tracker: Tracker?
        /// What is asked of Prometheus servers: the config file's `[prometheus]`.
        var prometheus = PrometheusQueries()
        /// The config file's custom panes (`[[pane]]`), derived every round.
        var customPanes: [PaneDefinition] = []
        /// The config file's entries left out (a bad `[[pane]]` or `[layout]` key), printed at the start.
        var configWarnings: [ConfigError] = []

        /// The collector's configuration: ``settings``' interval.
        var collectorConfiguration: Collector.Configuration {
            Collector.Configuration(interval: self.settings.interval)
        }

        /// What each round derives besides the views: the tracker with its triggers, the advisor with
        /// the tracker's hit-ratio goals, and the custom panes.
        func derivation(triggers: TriggerEngine) -> Derivation {
            Derivation(
                tracker: self.tracker,
                advisor: Advisor(adoptingGoalsOf: self.tracker),
                panes: self.customPanes,
                triggers: triggers
            )
        }
    }

    /// The size of the text dashboard `--once` prints without `--export`.
    static let snapshotSize = TerminalSize(width: 120, height: 40)

    /// The run's settings.
    let run: Run
    /// How the run is presented (dashboard, export, snapshot) and where.
    let output: OutputOptions
    /// The feeds and what must be shut down after them.
    let feeds: SourceFeeds
    /// The round loop over the feeds.
    let collector: Collector
    /// What the tracker's triggers do outside the dashboard: their commands, and notices on standard
    /// error when no dashboard shows them.
    let triggers: TriggerActions

    /// Builds the run over `feeds`, registering the collector's processor in perftop's own registry.
    init(run: Run, output: OutputOptions, feeds: SourceFeeds) {
        self.run = run
        self.output = output
        self.feeds = feeds
        let engine = TriggerEngine()
        // Without the dashboard, nothing else shows a notice.
        self.triggers = TriggerActions(printsNotices: output.export != nil || output.once)
        self.collector = Collector(
            feeds: feeds.feeds,
            configuration: run.collectorConfiguration,
            derivation: run.derivation(triggers: engine),
            discovery: feeds.feedDiscovery
        )
        feeds.selfRegistry.register(self.collector.processor)
    }

    /// The app of `perftop watch`: the sources the command line names, else the config file's.
    static func watching(output: OutputOptions, sources: SourceOptions) throws -> App {
        let commandLineSources = sources.commandLineSources
        let run = try Self.resolve(output, commandLineSources: commandLineSources)
        let origin = run.sources != commandLineSources ? run.configPath : nil
        let feeds = try Self.feeds(sources.list(for: run.sources, origin: origin, prometheusQueries: run.prometheus))
        return App(run: run, output: output, feeds: feeds)
    }

    /// The feeds of `list`, its warnings on standard error.
    static func feeds(_ list: SourceList) throws -> SourceFeeds {
        do {
            return try list.makeFeeds(warn: Console.warning)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    // MARK: - Settings

    /// Reads the config file (`--config`, else the default location; none with `--no-config`)
    /// and applies the command line over it (docs/configuration.md). A missing file is an empty
    /// config.
    ///
    /// - Parameters:
    ///   - output: the command line's settings.
    ///   - sources: the sources named on the command line.
    ///   - defaultTracker: the tracker to show without `--tracker`, e.g. the demo's.
    /// - Throws: `CommandFailure` naming the file and line of a bad config or tracker.
    static func resolve(
        _ output: OutputOptions,
        commandLineSources sources: PerftopConfig.Sources,
        defaultTracker: Tracker? = nil
    ) throws -> Run {
        let environment = ProcessInfo.processInfo.environment
        let path = output.noConfig ? nil : output.configPath ?? ConfigLocation.configFile(environment: environment)
        let config: PerftopConfig
        do {
            config = try path.flatMap { try PerftopConfig.load(path: $0) } ?? PerftopConfig()
        } catch {
            throw CommandFailure("\(error)")
        }
        // A bad [[pane]] or [layout] entry is left out: the run goes on without it.
        config.warnings.forEach { Console.warning("\($0)") }
        let commandLine = CommandLineSettings(
            interval: output.interval.map { .seconds($0) },
            theme: output.theme,
            sources: sources
        )
        let resolved = config.resolved(with: commandLine)
        let interval = resolved.settings.interval.seconds
        if let duration = output.duration, duration < interval {
            throw CommandFailure(
                "--duration \(duration) is shorter than the interval, \(interval) s (from \(path ?? "the config")): "
                    + "no round would be written"
            )
        }
        var tracker = defaultTracker
        if let trackerPath = output.trackerPath {
            do {
                tracker = try Tracker.read(path: trackerPath)
            } catch {
                throw CommandFailure("\(error)")
            }
        }
        var run = Run(settings: resolved.settings, sources: resolved.sources, configPath: path, tracker: tracker)
        run.prometheus = config.prometheus
        run.customPanes = config.customPanes
        run.configWarnings = config.warnings
        return run
    }

    // MARK: - Presenting

    /// Runs the dashboard, the export or the snapshot until the user quits, the count or duration is
    /// reached, or a termination signal arrives, then shuts the feeds down.
    ///
    /// - Throws: `ExitCode.failure` after naming each source that is not ok, with `--once`.
    func present() async throws {
        do {
            try await self.presentRounds()
        } catch {
            await self.feeds.shutdown()
            throw error
        }
        await self.feeds.shutdown()
    }

    /// ``present()`` before the feeds are shut down.
    private func presentRounds() async throws {
        await Self.backfill(self.feeds, into: self.collector)
        let record = RoundRecord(try self.output.recorder(), triggers: self.triggers)
        defer { record.finish() }
        if self.output.export == nil, !self.output.once {
            defer { self.triggers.reportFailures() }
            try await self.runDashboard(record: record)
            await self.triggers.finish(waitingUpTo: TriggerActions.exitWait)
            return
        }
        defer { self.triggers.reportFailures() }
        let exporter = self.output.export?.exporter ?? DashboardSnapshot(size: Self.snapshotSize)
        let last = try await self.runExport(exporter, record: record)
        await self.triggers.finish(waitingUpTo: TriggerActions.exitWait)
        if self.output.once {
            try Self.checkSources(last)
        }
    }

    /// The longest a Prometheus server's history may take to read at start.
    static let backfillTimeout = Duration.seconds(15)

    /// Fills the store with each Prometheus server's history over the retained window, one point per
    /// interval, so the graphs, rates and the advisor's window are full from the first frame; a
    /// server that cannot be read is named on standard error and perftop starts without its history.
    private static func backfill(_ feeds: SourceFeeds, into collector: Collector) async {
        let configuration = collector.configuration
        for engine in feeds.prometheus {
            do {
                try await engine.backfill(
                    window: configuration.interval * configuration.retention,
                    points: configuration.retention,
                    timeout: Self.backfillTimeout,
                    record: { collector.recordHistory($0) }
                )
            } catch {
                Console.warning("--prometheus \(engine.url): starting without history: \(error)")
            }
        }
    }

    /// Polls `list` (and this machine) every `interval` for `duration` (at least two rounds, so rates
    /// exist), after the history of its Prometheus servers, and returns the collector holding what
    /// they reported; `tracker check` and `tracker baseline` judge that.
    static func sample(_ list: SourceList, interval: Duration, duration: Duration) async throws -> Collector {
        let feeds = try Self.feeds(list)
        let collector = Collector(
            feeds: feeds.feeds,
            configuration: Collector.Configuration(interval: interval),
            discovery: feeds.feedDiscovery
        )
        feeds.selfRegistry.register(collector.processor)
        await Self.backfill(feeds, into: collector)
        let rounds = max(2, Int((duration.seconds / interval.seconds).rounded(.down)) + 1)
        await collector.run(rounds: rounds) { _ in }
        try Task.checkCancellation()
        await feeds.shutdown()
        return collector
    }

    // MARK: - Export

    /// Writes rounds until the count or duration is reached or a termination signal arrives, and
    /// returns the last round written.
    ///
    /// A signal stops the export between two rounds, never inside a write; what was written is
    /// then finished (a file renamed into place) as if the count had been reached.
    private func runExport(_ exporter: any Exporter, record: RoundRecord) async throws -> Collector.Round? {
        // Observe the signals before the output file exists, so a signal never finds it unowned.
        let signals = TerminationSignals.shared
        let sink = try self.output.output.map(ExportSink.file(atPath:)) ?? ExportSink.standardOutput()
        let rounds = self.output.once ? 1 : self.output.count
        let duration = self.output.duration
        let collector = self.collector
        let work = Task {
            try await Self.writeRounds(
                exporter,
                collector,
                into: sink,
                rounds: rounds,
                duration: duration,
                record: record
            )
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
        duration: Double?,
        record: RoundRecord
    ) async throws -> Collector.Round? {
        try sink.write(exporter.header)
        var primed = false
        var last: Collector.Round?
        var startup = StartupPages()
        // The first round only primes the counters: a rate needs two readings.
        try await collector.run(
            rounds: rounds.map { $0 + 1 },
            for: duration.map { .seconds($0) }
        ) { round in
            startup.roundEnded()
            record.record(round)
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
    private func runDashboard(record: RoundRecord) async throws {
        let run = self.run
        let theme: Theme
        do {
            theme = try Theme.named(run.settings.theme, environment: ProcessInfo.processInfo.environment)
        } catch {
            let origin = self.output.theme != nil ? "--theme" : "\(run.configPath ?? "config"): theme"
            throw CommandFailure("\(origin): \(error)")
        }
        let collector = self.collector
        let saved = Mutex(run.settings)
        let saveFailure = Mutex<String?>(nil)
        let configPath = run.configPath
        let wakeup = DashboardWakeup()
        let collecting = Task {
            var startup = StartupPages()
            await collector.run { round in
                wakeup?.signal()
                startup.roundEnded()
                record.record(round)
            }
        }
        defer { collecting.cancel() }
        // Without a tracker file (the demo's built-in tracker), bindings hold until perftop ends.
        var onBind: (@Sendable (TrackerBinding) -> String)?
        if let tracker = run.tracker {
            let binder = TrackerBinder(tracker: tracker, path: self.output.trackerPath) { collector.setTracker($0) }
            onBind = { binder.bind($0) }
        }
        let dashboard = DashboardApp(
            modelProvider: { collector.model },
            wakeup: wakeup,
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
            },
            // The warnings went to standard error, under the dashboard's screen: the footer shows the
            // first, naming the file without its directory so that the message fits.
            startNotice: run.configWarnings.first.map { first in
                var shown = first
                shown.file = first.file.split(separator: "/").last.map(String.init) ?? first.file
                let more = run.configWarnings.count > 1 ? " (and \(run.configWarnings.count - 1) more)" : ""
                return SafeText.escaped("warning: \(shown)\(more)", limit: Console.maximumMessageLength)
            },
            onBind: onBind
        )
        try await MainActor.run {
            _ = try dashboard.run()
        }
        if let failure = saveFailure.withLockedValue({ $0 }) {
            Console.error("settings not saved: \(failure)")
        }
    }
}

/// What each round of a run leaves behind: the triggers' actions, and the `--record` file, if any,
/// with every round appended to it; the first failure of the record (e.g. a full disk) stops it and
/// is reported on standard error when the run ends, while the dashboard or the export goes on.
private final class RoundRecord: Sendable {
    private let recorder: Recorder?
    private let triggers: TriggerActions
    private let failure = Mutex<String?>(nil)

    init(_ recorder: Recorder?, triggers: TriggerActions) {
        self.recorder = recorder
        self.triggers = triggers
    }

    /// Acts on `round`'s new alerts and appends it, unless there is no record or it has failed.
    func record(_ round: Collector.Round) {
        self.triggers.handle(round.model.alerts)
        guard let recorder = self.recorder, self.failure.withLockedValue({ $0 == nil }) else {
            return
        }
        do {
            try recorder.record(round)
        } catch {
            self.failure.withLockedValue { $0 = "\(error)" }
        }
    }

    /// Closes the file and reports a failure.
    func finish() {
        self.recorder?.close()
        if let failure = self.failure.withLockedValue({ $0 }) {
            Console.error("--record stopped: \(failure)")
        }
    }
}

/// Gives back the code pages only the startup used (``ResidentCodePages``) once a long run has
/// settled: after its third round, by when the dashboard has drawn its first frames.
private struct StartupPages {
    /// Rounds ended so far, up to the release.
    private var rounds = 0

    /// Counts a round; releases the pages after the third.
    mutating func roundEnded() {
        guard self.rounds < 3 else {
            return
        }
        self.rounds += 1
        if self.rounds == 3 {
            ResidentCodePages.release()
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
