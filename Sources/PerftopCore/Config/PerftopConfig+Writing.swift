import FoundationEssentials

// MARK: - Saving settings

extension PerftopConfig {
    /// The first lines of a config file perftop creates.
    static let newFileHeader = """
        # perftop configuration (docs/configuration.md). perftop rewrites the interval, theme and
        # panes lines when you change them with + / -, t and 1-8; other lines are kept as written.

        """

    /// Writes the settings that differ between `old` and `new` into the config file at `path`,
    /// atomically, creating the file and its directory when needed.
    ///
    /// Only the changed keys are written, so a value given on the command line (e.g. `--interval`)
    /// is not saved unless the user changes it in the dashboard. Comments, `[sources]` and every
    /// other line are kept. Cost: reading and rewriting one small file, with one `fsync`.
    ///
    /// - Throws: ``ConfigError`` when the file cannot be read or written; the file is then unchanged.
    public static func save(
        settingsChangedFrom old: DashboardSettings,
        to new: DashboardSettings,
        path: String
    ) throws(ConfigError) {
        let assignments = Self.assignments(from: old, to: new)
        guard !assignments.isEmpty else {
            return
        }
        var text = ""
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path),
                let existing = String(data: data, encoding: .utf8)
            else {
                throw ConfigError("cannot read the file to update it", file: path)
            }
            text = existing
        } else {
            text = Self.newFileHeader
        }
        var editor = TOMLLineEditor(text)
        for (key, value) in assignments {
            editor.set(key, to: value)
        }
        try ConfigFile.write(editor.text, to: path)
    }

    /// The `key = value` lines for the settings that differ between `old` and `new`.
    static func assignments(from old: DashboardSettings, to new: DashboardSettings) -> [(key: String, value: String)] {
        var assignments: [(key: String, value: String)] = []
        if old.interval != new.interval {
            assignments.append(("interval", Self.seconds(new.interval)))
        }
        if old.theme != new.theme {
            assignments.append(("theme", TOMLWriting.string(new.theme)))
        }
        if old.visiblePanes != new.visiblePanes {
            let names = new.visiblePanes.map { TOMLWriting.string($0.name) }
            assignments.append(("panes", "[" + names.joined(separator: ", ") + "]"))
        }
        return assignments
    }

    /// `interval` in seconds as TOML writes it: `1`, `0.5`, `2.25`.
    static func seconds(_ interval: Duration) -> String {
        let components = interval.components
        let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 {
            return String(milliseconds / 1000)
        }
        return String(Double(milliseconds) / 1000)
    }
}

// MARK: - Atomic file writes

/// Writes config files so that they are never seen half-written.
public enum ConfigFile {
    /// Replaces the file at `path` with `text` atomically: the text goes to a temporary file in the
    /// same directory, which is flushed to disk (`fsync`) and renamed over `path` (``ExportSink``).
    /// A crash, a kill or Ctrl-C at any moment leaves either the old file or the new one, complete.
    /// The directory is created when missing.
    ///
    /// - Parameters:
    ///   - text: the new contents.
    ///   - path: the file to replace.
    ///   - beforeRename: called after the temporary file is written and before the rename; if it
    ///     throws, the write is abandoned and `path` is unchanged (for tests).
    /// - Throws: ``ConfigError`` naming `path` when the write fails; `path` is then unchanged.
    public static func write(
        _ text: String,
        to path: String,
        beforeRename: () throws -> Void = {}
    ) throws(ConfigError) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let sink = try ExportSink.file(atPath: path)
            try sink.write(text)
            try beforeRename()
            try sink.finish()
        } catch {
            // ExportSink's messages start with "cannot write PATH: "; keep only the reason.
            let reason = "\(error)".replacing("cannot write \(path): ", with: "")
            throw ConfigError("cannot write the file: \(reason)", file: path)
        }
    }
}
