import FoundationEssentials

/// Where perftop keeps its files: `$XDG_CONFIG_HOME/perftop`, else `~/.config/perftop`.
public enum ConfigLocation {
    /// perftop's config directory for `environment`: `$XDG_CONFIG_HOME/perftop` when that is an
    /// absolute path (the XDG rule), else `$HOME/.config/perftop`; nil without either.
    public static func directory(environment: [String: String]) -> String? {
        if let base = environment["XDG_CONFIG_HOME"], base.hasPrefix("/") {
            return base + "/perftop"
        }
        if let home = environment["HOME"], !home.isEmpty {
            return home + "/.config/perftop"
        }
        return nil
    }

    /// The config file for `environment`: `<directory>/config.toml`.
    public static func configFile(environment: [String: String]) -> String? {
        self.directory(environment: environment).map { $0 + "/config.toml" }
    }

    /// The directory of the user's own themes for `environment`: `<directory>/themes`.
    public static func themeDirectory(environment: [String: String]) -> String? {
        self.directory(environment: environment).map { $0 + "/themes" }
    }

    /// The themes installed with perftop (`make install`): `<prefix>/share/perftop/themes` for an
    /// executable at `<prefix>/bin/perftop`; nil for an executable path without two directories.
    public static func installedThemeDirectory(executablePath: String) -> String? {
        let parts = executablePath.split(separator: "/", omittingEmptySubsequences: false)
        guard executablePath.hasPrefix("/"), parts.count >= 3 else {
            return nil
        }
        return parts.dropLast(2).joined(separator: "/") + "/share/perftop/themes"
    }

    /// The running executable's path (`/proc/self/exe`), or nil where that cannot be read.
    public static var executablePath: String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }

    /// Where theme files are looked up by name, in order: the user's directory, then the one
    /// installed with the executable at `executablePath` (the running one by default).
    public static func themeDirectories(
        environment: [String: String],
        executablePath: String? = ConfigLocation.executablePath
    ) -> [String] {
        var directories = self.themeDirectory(environment: environment).map { [$0] } ?? []
        if let installed = executablePath.flatMap(self.installedThemeDirectory(executablePath:)) {
            directories.append(installed)
        }
        return directories
    }
}

// MARK: - Command-line precedence

/// The settings and sources given on the command line; nil or empty means "not given".
public struct CommandLineSettings: Sendable, Equatable {
    /// `--interval`.
    public var interval: Duration?
    /// `--theme`.
    public var theme: String?
    /// `--attach`, `--endpoint` and `--pid`.
    public var sources: PerftopConfig.Sources

    /// Creates command-line settings; nothing given by default.
    public init(interval: Duration? = nil, theme: String? = nil, sources: PerftopConfig.Sources = .init()) {
        self.interval = interval
        self.theme = theme
        self.sources = sources
    }
}

extension PerftopConfig {
    /// The settings and sources a run uses: each command-line value wins over the config's, which
    /// wins over the default (``DashboardSettings/init(interval:theme:visiblePanes:)``).
    ///
    /// Sources are taken as a whole: when the command line names any source (`--attach`,
    /// `--endpoint` or `--pid`), the config's `[sources]` table is not used at all, so
    /// `perftop --pid 42` watches process 42 and nothing the config names.
    ///
    /// Without `panes` in the config, the default layout gains the queries pane when a source is a
    /// database (`postgresql://`), as htop shows a meter only where there is something to measure,
    /// and the fleet pane when a fleet is watched: more than one agent or endpoint, an `--attach`
    /// directory or glob, or a Prometheus server; the custom panes of `[[pane]]` tables follow. With a
    /// `[layout]` table, the panes go in the order `panes` lists them.
    public func resolved(with commandLine: CommandLineSettings) -> (settings: DashboardSettings, sources: Sources) {
        let defaults = DashboardSettings()
        let sources = commandLine.sources.isEmpty ? self.sources : commandLine.sources
        let watchesDatabase = sources.endpoints.contains { ServerURL.isDatabase($0) }
        let watchesFleet =
            sources.attach.count + sources.endpoints.count > 1
            || sources.attach.contains(where: AgentDiscovery.isPattern) || !sources.prometheus.isEmpty
        let custom = self.customPanes.map { DashboardSettings.PaneID.custom($0.name) }
        let builtIn =
            DashboardSettings.PaneKind.defaultLayout + (watchesDatabase ? [.queries] : [])
            + (watchesFleet ? [.fleet] : [])
        let visible = self.panes ?? builtIn.map(DashboardSettings.PaneID.builtIn) + custom
        var layout = DashboardSettings.PaneLayout(custom: self.customPanes.map(\.name))
        if let table = self.layout {
            // With a [layout] table, `panes` is the order too; the panes it leaves out keep theirs, after it.
            var seen: Set<DashboardSettings.PaneID> = []
            layout.order = ((self.panes ?? []) + layout.order).filter { seen.insert($0).inserted }
            layout.columns = table.columns
            layout.sizes = table.sizes
        }
        let settings = DashboardSettings(
            interval: commandLine.interval ?? self.interval ?? defaults.interval,
            theme: commandLine.theme ?? self.theme ?? defaults.theme,
            visiblePanes: visible,
            layout: layout
        )
        return (settings, sources)
    }
}
