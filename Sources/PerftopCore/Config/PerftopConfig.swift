import FoundationEssentials
import PerfKit

/// A config file that could not be read; the description is one line naming the file and line.
public typealias ConfigError = FileError

/// perftop's config file, `config.toml` (docs/configuration.md): the dashboard settings that
/// outlive a run and the sources to watch. Every key is optional; an absent key takes the
/// command line's value or the default.
public struct PerftopConfig: Sendable, Equatable {
    /// The sources of the `[sources]` table.
    public struct Sources: Sendable, Equatable {
        /// Unix sockets, directories or globs of PerfKit agents (`--attach`).
        public var attach: [String]
        /// http(s) metric URLs (`--endpoint`).
        public var endpoints: [String]
        /// Process ids watched through /proc (`--pid`).
        public var pids: [Int32]
        /// Prometheus servers whose targets are watched (`--prometheus`).
        public var prometheus: [String]

        /// Creates a sources table; empty by default.
        public init(attach: [String] = [], endpoints: [String] = [], pids: [Int32] = [], prometheus: [String] = []) {
            self.attach = attach
            self.endpoints = endpoints
            self.pids = pids
            self.prometheus = prometheus
        }

        /// Whether no source is named.
        public var isEmpty: Bool {
            self.attach.isEmpty && self.endpoints.isEmpty && self.pids.isEmpty && self.prometheus.isEmpty
        }
    }

    /// Seconds between two collections (`interval`), when set.
    public var interval: Duration?
    /// A built-in theme name or a theme file path (`theme`), when set.
    public var theme: String?
    /// The panes shown (`panes`), built-in or custom, when set.
    public var panes: [DashboardSettings.PaneID]?
    /// The `[sources]` table.
    public var sources: Sources
    /// The `[prometheus]` table: the source label, the matchers and the query overrides.
    public var prometheus: PrometheusQueries
    /// The custom panes of the `[[pane]]` tables that were read, in file order.
    public var customPanes: [PaneDefinition]
    /// The `[layout]` table, when there is one.
    public var layout: Layout?
    /// The `[[pane]]` and `[layout]` entries that were left out, each a one-line warning naming the
    /// file and line: unlike any other mistake in the file, they do not stop perftop.
    public var warnings: [ConfigError]

    /// The `[layout]` table: panes in the order of `panes`, a fixed number of columns, relative sizes.
    public struct Layout: Sendable, Equatable {
        /// `columns`: 1 to ``DashboardSettings/PaneLayout/maximumColumns``, or nil for the width's.
        public var columns: Int?
        /// `sizes`: each pane's relative size.
        public var sizes: [DashboardSettings.PaneID: Int]

        /// Creates a layout table.
        public init(columns: Int? = nil, sizes: [DashboardSettings.PaneID: Int] = [:]) {
            self.columns = columns
            self.sizes = sizes
        }
    }

    /// Creates a config; every key unset by default.
    public init(
        interval: Duration? = nil,
        theme: String? = nil,
        panes: [DashboardSettings.PaneID]? = nil,
        sources: Sources = Sources(),
        prometheus: PrometheusQueries = PrometheusQueries(),
        customPanes: [PaneDefinition] = [],
        layout: Layout? = nil,
        warnings: [ConfigError] = []
    ) {
        self.interval = interval
        self.theme = theme
        self.panes = panes
        self.sources = sources
        self.prometheus = prometheus
        self.customPanes = customPanes
        self.layout = layout
        self.warnings = warnings
    }
}

// MARK: - Reading

extension PerftopConfig {
    /// The top-level keys; any other is an error.
    static let topLevelKeys = ["interval", "theme", "panes", "sources", "prometheus", "pane", "layout"]
    /// The keys of a `[[pane]]` table.
    static let paneKeys = [
        "name", "title", "metric", "statistic", "ratio_of", "unit", "kind", "goal", "max", "trigger",
    ]
    /// The keys of `[layout]`.
    static let layoutKeys = ["columns", "sizes"]
    /// The keys of `[sources]`.
    static let sourceKeys = ["attach", "endpoints", "pids", "prometheus"]
    /// The keys of `[prometheus]`.
    static let prometheusKeys = ["label", "match", "queries"]

    /// Reads a config from TOML text.
    ///
    /// Unknown keys are errors (so a misspelt key never silently does nothing), as are values of
    /// the wrong type or out of range; in a `[[pane]]` or the `[layout]` table they leave that pane or
    /// that layout key out instead, with a warning in ``warnings``. Cost: O(length of the text).
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - fileName: the name errors start with, e.g. `config.toml`.
    /// - Throws: ``ConfigError`` naming the line, e.g.
    ///   `config.toml:3: interval must be a number of seconds, got "fast"`.
    public init(toml text: String, fileName: String = "config.toml") throws(ConfigError) {
        let table: TOMLTable
        do {
            table = try TOMLParser.parse(text)
        } catch {
            throw ConfigError(error.message, file: fileName, line: error.line)
        }
        let reader = ConfigReader(text: text, fileName: fileName)
        self = try reader.config(from: table)
    }

    /// Reads the config file at `path`, or returns nil when there is no file there.
    ///
    /// - Throws: ``ConfigError`` when the file exists but cannot be read or is not a valid config.
    public static func load(path: String) throws(ConfigError) -> PerftopConfig? {
        guard FileManager.default.fileExists(atPath: path) else {
            return nil
        }
        return try PerftopConfig(toml: try FileError.text(ofFileAt: path), fileName: path)
    }
}

/// Turns a parsed TOML table into a ``PerftopConfig``, finding each key's line in the text for errors.
struct ConfigReader {
    let lines: [Substring]
    let fileName: String

    init(text: String, fileName: String) {
        self.lines = text.fileLines()
        self.fileName = fileName
    }

    func config(from table: TOMLTable) throws(ConfigError) -> PerftopConfig {
        var config = PerftopConfig()
        for key in table.keys where !PerftopConfig.topLevelKeys.contains(key) {
            throw self.error(
                "unknown key '\(key)' (known: \(PerftopConfig.topLevelKeys.joined(separator: ", ")))",
                key: key,
                table: nil
            )
        }
        if let value = table["interval"] {
            let seconds = value.double ?? value.int.map(Double.init)
            guard let seconds else {
                throw self.error("interval must be a number of seconds, got \(self.raw("interval"))", key: "interval")
            }
            guard seconds.isFinite, DashboardSettings.intervalSeconds.contains(seconds) else {
                throw self.error(
                    "interval must be from 0.05 to 3600 seconds, got \(self.raw("interval"))",
                    key: "interval"
                )
            }
            config.interval = .seconds(seconds)
        }
        if let value = table["theme"] {
            guard let theme = value.string, !theme.isEmpty else {
                throw self.error("theme must be a theme name or file path, got \(self.raw("theme"))", key: "theme")
            }
            config.theme = theme
        }
        var rejectedPanes: Set<String> = []
        if let value = table["pane"] {
            (config.customPanes, rejectedPanes) = self.customPanes(value, warnings: &config.warnings)
        }
        let customNames = config.customPanes.map(\.name)
        if let value = table["panes"] {
            config.panes = try self.panes(value, customNames: customNames, rejected: rejectedPanes)
        }
        if let value = table["layout"] {
            config.layout = self.layout(value, customNames: customNames, warnings: &config.warnings)
        }
        if let value = table["sources"] {
            guard let sources = value.table else {
                throw self.error("sources must be a table: [sources]", key: "sources")
            }
            config.sources = try self.sources(sources)
        }
        if let value = table["prometheus"] {
            guard let prometheus = value.table else {
                throw self.error("prometheus must be a table: [prometheus]", key: "prometheus")
            }
            config.prometheus = try self.prometheus(prometheus)
        }
        return config
    }

    private func prometheus(_ table: TOMLTable) throws(ConfigError) -> PrometheusQueries {
        for key in table.keys where !PerftopConfig.prometheusKeys.contains(key) {
            throw self.error(
                "unknown key '\(key)' in [prometheus] (known: \(PerftopConfig.prometheusKeys.joined(separator: ", ")))",
                key: key,
                table: "prometheus"
            )
        }
        var queries = PrometheusQueries()
        if let value = table["label"] {
            guard let label = value.string, PrometheusName.isValid(label, allowsColon: false) else {
                throw self.error(
                    "prometheus.label must be a label name such as \"instance\", got \(self.raw("label", table: "prometheus"))",
                    key: "label",
                    table: "prometheus"
                )
            }
            queries.sourceLabel = label
        }
        if let value = table["match"] {
            guard let match = value.string else {
                throw self.error(
                    "prometheus.match must be label matchers such as 'job=\"api\"', got \(self.raw("match", table: "prometheus"))",
                    key: "match",
                    table: "prometheus"
                )
            }
            queries.match = match.trimmingWhitespace()
        }
        if let value = table["queries"] {
            guard let overrides = value.table else {
                throw self.error(
                    "prometheus.queries must be a table: [prometheus.queries]",
                    key: "queries",
                    table: "prometheus"
                )
            }
            for key in overrides.keys.sorted() {
                guard PrometheusName.isValid(key, allowsColon: true) else {
                    throw self.error(
                        "prometheus.queries: '\(key)' is not a metric name",
                        key: key,
                        table: "prometheus.queries"
                    )
                }
                guard let promQL = overrides[key]?.string, !promQL.trimmingWhitespace().isEmpty else {
                    throw self.error(
                        "prometheus.queries.\(key) must be a PromQL string",
                        key: key,
                        table: "prometheus.queries"
                    )
                }
                queries.overrides[key] = promQL
            }
        }
        return queries
    }

    /// The `panes` list: built-in names and the names of `[[pane]]` tables; the name of a `[[pane]]`
    /// table left out with a warning is skipped.
    private func panes(
        _ value: TOMLValue,
        customNames: [String],
        rejected: Set<String>
    ) throws(ConfigError) -> [DashboardSettings.PaneID] {
        let names = (DashboardSettings.PaneKind.allCases.map(\.rawValue) + customNames).joined(separator: ", ")
        guard let array = value.array else {
            throw self.error("panes must be an array of pane names (\(names))", key: "panes")
        }
        var panes: [DashboardSettings.PaneID] = []
        for element in array {
            if let name = element.string, rejected.contains(name) {
                continue
            }
            guard let name = element.string, let pane = DashboardSettings.PaneID(name: name, customNames: customNames)
            else {
                throw self.error(
                    "panes: unknown pane \(element) (known: \(names))",
                    key: "panes"
                )
            }
            if !panes.contains(pane) {
                panes.append(pane)
            }
        }
        return panes
    }

    private func sources(_ table: TOMLTable) throws(ConfigError) -> PerftopConfig.Sources {
        for key in table.keys where !PerftopConfig.sourceKeys.contains(key) {
            throw self.error(
                "unknown key '\(key)' in [sources] (known: \(PerftopConfig.sourceKeys.joined(separator: ", ")))",
                key: key,
                table: "sources"
            )
        }
        var sources = PerftopConfig.Sources()
        sources.attach = try self.strings(table, "attach", what: "socket paths, directories or globs")
        sources.endpoints = try self.strings(table, "endpoints", what: "http(s) URLs")
        sources.prometheus = try self.strings(table, "prometheus", what: "Prometheus server URLs")
        if let value = table["pids"] {
            guard let array = value.array else {
                throw self.error("sources.pids must be an array of process ids", key: "pids", table: "sources")
            }
            for element in array {
                guard let pid = element.int, pid > 0, pid <= Int(Int32.max) else {
                    throw self.error(
                        "sources.pids: \(element) is not a process id",
                        key: "pids",
                        table: "sources"
                    )
                }
                sources.pids.append(Int32(pid))
            }
        }
        return sources
    }

    private func strings(_ table: TOMLTable, _ key: String, what: String) throws(ConfigError) -> [String] {
        guard let value = table[key] else {
            return []
        }
        guard let array = value.array else {
            throw self.error("sources.\(key) must be an array of \(what)", key: key, table: "sources")
        }
        var strings: [String] = []
        for element in array {
            guard let string = element.string, !string.isEmpty else {
                throw self.error(
                    "sources.\(key): \(element) is not one of \(what)",
                    key: key,
                    table: "sources"
                )
            }
            strings.append(string)
        }
        return strings
    }

    // MARK: Locating

    /// An error at the line where `key` is set, in `[table]` or at the top level.
    func error(_ message: String, key: String, table: String? = nil) -> ConfigError {
        ConfigError(message, file: self.fileName, line: self.line(of: key, table: table))
    }

    /// The 1-based line where `key` is set, in `[table]` or at the top level (before any table
    /// header); for a top-level `sources` the `[sources]` header's line; nil when not found.
    func line(of key: String, table: String?) -> Int? {
        var current: String?
        for (index, rawLine) in self.lines.enumerated() {
            let line = rawLine.trimmingWhitespace()
            if line.hasPrefix("[") {
                current = line.dropFirst().prefix { $0 != "]" }.trimmingWhitespace()
                if table == nil, current == key {
                    return index + 1
                }
                continue
            }
            guard current == table, TOMLLineEditor.key(of: line) == key else {
                continue
            }
            return index + 1
        }
        return nil
    }

    /// The value text of a top-level `key` as written, for messages: `"fast"`, `true`.
    func raw(_ key: String, table: String? = nil) -> String {
        guard let number = self.line(of: key, table: table) else {
            return "?"
        }
        let line = self.lines[number - 1]
        guard let equals = line.firstIndex(of: "=") else {
            return "?"
        }
        return line[line.index(after: equals)...].trimmingWhitespace()
    }
}
