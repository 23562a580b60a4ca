import ArgumentParser
import FoundationEssentials
import PerftopCore

/// `perftop tracker`: optimization targets bound to live measurements (docs/tracker.md).
struct TrackerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracker",
        abstract: "Check, baseline or import an optimization tracker.",
        discussion: """
            A tracker is a TOML file of targets, each a metric selector, a statistic and a goal \
            (docs/tracker.md). 'check' is a performance gate for CI; 'baseline' stores the current \
            values as baselines; 'import' turns markdown tracker tables into a tracker file.
            """,
        subcommands: [TrackerCheck.self, TrackerBaseline.self, TrackerImport.self]
    )
}

// MARK: - Sampling

/// How long `tracker check` and `tracker baseline` sample their sources.
struct SamplingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Sample for this many seconds before judging.", valueName: "seconds"))
    var duration: Double = 5

    @Option(help: ArgumentHelp("Seconds between two polls of every source.", valueName: "seconds"))
    var interval: Double = 1

    func check() throws {
        guard self.interval.isFinite, DashboardSettings.intervalSeconds.contains(self.interval) else {
            throw ValidationError("--interval must be from 0.05 to 3600 seconds, got \(self.interval)")
        }
        guard self.duration.isFinite, self.duration >= self.interval, self.duration <= 86_400 else {
            throw ValidationError(
                "--duration must be from --interval (\(self.interval)) to 86400 seconds, got \(self.duration)"
            )
        }
    }

    /// Polls `sources` (and this machine, never perftop itself) every interval for the duration (at
    /// least two rounds, so rates exist) and returns the collector holding what they reported.
    func sample(_ sources: SourceOptions) async throws -> Collector {
        try await App.sample(
            sources.list(for: sources.commandLineSources, includingSelf: false),
            interval: .seconds(self.interval),
            duration: .seconds(self.duration)
        )
    }
}

/// Reads a tracker file, or fails with the file, line and problem.
private func readTracker(_ path: String) throws -> Tracker {
    do {
        return try Tracker.read(path: path)
    } catch {
        throw CommandFailure("\(error)")
    }
}

// MARK: - Check

/// `perftop tracker check FILE`: samples the sources, prints every target's status and the advice,
/// exits 0 when every bound target is met (or at risk) and 1 otherwise.
struct TrackerCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Sample the sources, print each target's status; exit 1 when a bound target is not met.",
        discussion: """
            Only the sources given here are sampled (the config file is not read), so a CI job \
            states what it gates on. Exit status: 0 every tracked, bound target with a goal is met \
            or at risk; 1 one is missed, has no data or no baseline; 64 usage errors.
            """
    )

    @Argument(help: ArgumentHelp("The tracker file (TOML).", valueName: "file"))
    var file: String

    @OptionGroup var sources: SourceOptions

    @OptionGroup var sampling: SamplingOptions

    @Option(help: ArgumentHelp("Output format: text, csv, json or markdown.", valueName: "format"))
    var format: TrackerReport.Format = .text

    @Flag(name: .customLong("no-advice"), help: "Leave the advisor's findings out of the text output.")
    var noAdvice = false

    func validate() throws {
        try self.sources.check()
        try self.sampling.check()
    }

    func run() async throws {
        let tracker = try readTracker(self.file)
        let collector = try await self.sampling.sample(self.sources)
        let window = Window.seconds(self.sampling.duration)
        let sources = collector.model.sources
        let advisor = Advisor(adoptingGoalsOf: tracker)
        let (evaluation, advice) = collector.withStore { store in
            (
                TrackerEvaluator(window: window).evaluate(tracker, store: store),
                advisor.advise(store: store, sources: sources)
            )
        }
        var output = TrackerReport.render(evaluation, format: self.format)
        if self.format == .text, !self.noAdvice, !advice.isEmpty {
            output += "\nadvice:\n" + advice.map { "  " + $0.line + "\n" }.joined()
        }
        Console.output(output)
        // One verdict over the whole window: a trigger whose condition holds fires once.
        let triggers = TriggerActions(printsNotices: true)
        triggers.handle(TriggerEngine().observe(evaluation.results, at: collector.model.timestamp, settled: true))
        await triggers.finish(waitingUpTo: triggers.runner.timeout)
        triggers.reportFailures()
        guard evaluation.passed else {
            let names = evaluation.failures.map { "'\($0.target.name)' \($0.status)" }.joined(separator: ", ")
            Console.error("tracker check failed: \(names)")
            throw ExitCode(1)
        }
    }
}

extension TrackerReport.Format: ExpressibleByArgument {}

// MARK: - Baseline

/// `perftop tracker baseline FILE`: samples the sources and stores every bound target's current
/// value as its baseline, in the file.
struct TrackerBaseline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Sample the sources and store each bound target's current value as its baseline.",
        discussion: """
            Each baseline is written in place, keeping the file's comments and layout, and the file is \
            replaced atomically; targets without data keep their old baseline and are \
            named on standard error. Relative goals ('-30% vs baseline') are judged against it.
            """
    )

    @Argument(help: ArgumentHelp("The tracker file (TOML); rewritten in place.", valueName: "file"))
    var file: String

    @OptionGroup var sources: SourceOptions

    @OptionGroup var sampling: SamplingOptions

    func validate() throws {
        try self.sources.check()
        try self.sampling.check()
    }

    func run() async throws {
        let tracker = try readTracker(self.file)
        let collector = try await self.sampling.sample(self.sources)
        let window = Window.seconds(self.sampling.duration)
        let now = Date().timeIntervalSince1970
        let capture = collector.withStore { store in
            TrackerEvaluator(window: window).captureBaselines(tracker, store: store, at: now)
        }
        do {
            try tracker.writeChanges(capture.tracker, toFile: self.file)
        } catch {
            throw CommandFailure("\(self.file): \(error)")
        }
        Console.output("baseline captured for \(capture.captured.count) target(s) in \(self.file)\n")
        if !capture.missing.isEmpty {
            let names = capture.missing.map { "'\($0)'" }.joined(separator: ", ")
            Console.error("no data, baseline unchanged: \(names)")
        }
    }
}

// MARK: - Import

/// `perftop tracker import FILE.md`: reads the markdown tracker tables and writes a TOML tracker.
struct TrackerImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn the tracker tables of a markdown file into a tracker file (TOML).",
        discussion: """
            Every row and column is kept. Status words and emoji are read, including emoji \
            mis-encoded as Windows-1252. Rows that name no metric stay in the file, unbound: add \
            a 'metric' to bind them (docs/tracker.md).
            """
    )

    @Argument(help: ArgumentHelp("The markdown file.", valueName: "file.md"))
    var file: String

    @Option(
        name: .customLong("output"),
        help: ArgumentHelp("Write the tracker here; default: the input's name with .toml.", valueName: "path")
    )
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func run() async throws {
        let tracker: Tracker
        do {
            tracker = try MarkdownTrackerImporter().importFile(path: self.file)
        } catch {
            throw CommandFailure("\(error)")
        }
        let output = self.output ?? Self.defaultOutput(for: self.file)
        if !self.force, FileManager.default.fileExists(atPath: output) {
            throw CommandFailure("\(output) exists; pass --force to replace it")
        }
        do {
            try tracker.write(path: output)
        } catch {
            throw CommandFailure("\(output): \(error)")
        }
        let tracked = tracker.targets.filter(\.tracked)
        let bound = tracked.filter(\.isBound)
        Console.output(
            "imported \(tracker.targets.count) rows (\(tracked.count) targets, \(bound.count) bound to a metric) "
                + "into \(output)\n"
        )
    }

    /// `name.md` → `name.toml`; any other name gets `.toml` appended.
    static func defaultOutput(for input: String) -> String {
        let url = URL(fileURLWithPath: input)
        return url.pathExtension.lowercased() == "md"
            ? url.deletingPathExtension().appendingPathExtension("toml").path
            : input + ".toml"
    }
}
