import ArgumentParser
import FoundationEssentials
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
            "Seconds between two collections (from 0.05 to 3600; default: the config file's, else 1).",
            valueName: "seconds"
        )
    )
    var interval: Double?

    @Option(
        help: ArgumentHelp(
            "The color theme: \(Theme.builtInNames.joined(separator: ", ")), a NAME.theme in "
                + "~/.config/perftop/themes or PREFIX/share/perftop/themes, or a theme file (btop's format).",
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

    @Option(
        name: .customLong("record"),
        help: ArgumentHelp(
            "Also append every round to this file as JSON lines (the --export jsonl format) while the "
                + "dashboard or an export runs; gzip-compressed, a member per round, when it ends in .gz.",
            valueName: "file"
        )
    )
    var recordPath: String?

    @Option(
        name: .customLong("record-max"),
        help: ArgumentHelp(
            "With --record: rotate the file when the next round would take it past this size "
                + "(default 100MiB; e.g. 10MB, 512KiB).",
            valueName: "size"
        )
    )
    var recordMax: String?

    @Option(
        name: .customLong("record-keep"),
        help: ArgumentHelp(
            "With --record: how many rotated files to keep, FILE.1 the newest (default 3).",
            valueName: "n"
        )
    )
    var recordKeep: Int?

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

    /// The `--record` file opened for appending, or nil without `--record`.
    ///
    /// - Throws: a one-line ``CommandFailure`` naming the flag and the file, e.g.
    ///   `--record /x/r.jsonl: no such file or directory`.
    func recorder() throws -> Recorder? {
        guard let path = self.recordPath else {
            return nil
        }
        do {
            return try Recorder(
                path: path,
                maximumBytes: self.recordMax.flatMap(Recorder.size(parsing:)) ?? Recorder.defaultMaximumBytes,
                keep: self.recordKeep ?? Recorder.defaultKeep,
                compressed: path.hasSuffix(".gz")
            )
        } catch {
            throw CommandFailure("--record \(error)")
        }
    }

    /// The size of the text dashboard `--once` prints without `--export`.
    static let snapshotSize = TerminalSize(width: 120, height: 40)

    /// Checks the values together; messages name the flag and the value.
    func check() throws {
        if let interval = self.interval {
            guard interval.isFinite, DashboardSettings.intervalSeconds.contains(interval) else {
                throw ValidationError("--interval must be from 0.05 to 3600 seconds, got \(interval)")
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
        if self.recordPath == nil, self.recordMax != nil || self.recordKeep != nil {
            throw ValidationError("--record-max and --record-keep need --record")
        }
        if let recordMax = self.recordMax, Recorder.size(parsing: recordMax) == nil {
            throw ValidationError("--record-max must be a size such as 100MiB or 10MB, got '\(recordMax)'")
        }
        if let keep = self.recordKeep, keep < 0 || keep > 1000 {
            throw ValidationError("--record-keep must be from 0 to 1000, got \(keep)")
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
}
