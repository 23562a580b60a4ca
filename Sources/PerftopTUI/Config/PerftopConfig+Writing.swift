import Foundation
import PerftopCore

// MARK: - Saving settings

extension PerftopConfig {
    /// The first lines of a config file perftop creates.
    static let newFileHeader = """
        # perftop configuration (docs/configuration.md). perftop rewrites the interval, theme and
        # panes lines when you change them with + / -, t and 1-6; other lines are kept as written.

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
        try ConfigFile.write(ConfigText.setting(assignments, in: text), to: path)
    }

    /// The `key = value` lines for the settings that differ between `old` and `new`.
    static func assignments(from old: DashboardSettings, to new: DashboardSettings) -> [(key: String, value: String)] {
        var assignments: [(key: String, value: String)] = []
        if old.interval != new.interval {
            assignments.append(("interval", Self.seconds(new.interval)))
        }
        if old.theme != new.theme {
            assignments.append(("theme", ConfigText.quoted(new.theme)))
        }
        if old.visiblePanes != new.visiblePanes {
            let names = new.visiblePanes.map { ConfigText.quoted($0.rawValue) }
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
            let reason = "\(error)".replacingOccurrences(of: "cannot write \(path): ", with: "")
            throw ConfigError("cannot write the file: \(reason)", file: path)
        }
    }
}

// MARK: - Editing TOML text by line

/// Line-level edits of top-level TOML keys that keep every other line of the file as written.
enum ConfigText {
    /// The key a `key = value` line sets (quotes removed), or nil for other lines.
    static func key(of line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.hasPrefix("#"), !trimmed.hasPrefix("["), let equals = trimmed.firstIndex(of: "=") else {
            return nil
        }
        var key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
        if key.count >= 2, let first = key.first, first == "\"" || first == "'", key.last == first {
            key = String(key.dropFirst().dropLast())
        }
        return key.isEmpty ? nil : key
    }

    /// `text` as a TOML basic string: quoted, with `\` and `"` escaped.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `text` with each top-level `key` set to `value`: an existing `key = …` line (with the
    /// continuation lines of a multi-line array) is replaced in place; a new key goes after the
    /// last top-level line, before the first `[table]`. Every other line is kept.
    static func setting(_ assignments: [(key: String, value: String)], in text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" {
            lines.removeLast()
        }
        for (key, value) in assignments {
            let firstTable =
                lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("[") } ?? lines.count
            if let start = lines[..<firstTable].firstIndex(where: { self.key(of: $0) == key }) {
                var end = start
                var depth = self.bracketDepth(lines[start])
                while depth > 0, end + 1 < firstTable {
                    end += 1
                    depth += self.bracketDepth(lines[end])
                }
                lines.replaceSubrange(start...end, with: ["\(key) = \(value)"])
            } else {
                var insertion = firstTable
                while firstTable < lines.count, insertion > 0,
                    lines[insertion - 1].trimmingCharacters(in: .whitespaces).isEmpty
                {
                    insertion -= 1
                }
                lines.insert("\(key) = \(value)", at: insertion)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Opening minus closing brackets on a line, outside strings and comments.
    private static func bracketDepth(_ line: String) -> Int {
        var depth = 0
        var quote: Character?
        for character in line {
            if let open = quote {
                if character == open {
                    quote = nil
                }
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case "[": depth += 1
            case "]": depth -= 1
            case "#": return depth
            default: break
            }
        }
        return depth
    }
}
