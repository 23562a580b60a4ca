import Foundation
import Testing

@testable import PerftopCore

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Config file")
struct ConfigTests {
    private func fixture(_ name: String) throws -> String {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: "toml", subdirectory: "Fixtures/config")
        )
        return url.path
    }

    private func error(_ text: String) -> ConfigError? {
        do {
            _ = try PerftopConfig(toml: text)
            return nil
        } catch {
            return error
        }
    }

    /// A fresh directory, removed after `body`.
    private func withDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("perftop-config-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    private func read(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    // MARK: Reading

    @Test("every key is read")
    func fullFile() throws {
        let config = try #require(try PerftopConfig.load(path: try self.fixture("full")))
        #expect(config.interval == .milliseconds(500))
        #expect(config.theme == "nord")
        #expect(config.panes == [.builtIn(.caches), .builtIn(.latency), .builtIn(.memory)])
        #expect(config.sources.attach == ["/tmp/perftop/*.sock"])
        #expect(config.sources.endpoints == ["http://127.0.0.1:9090/metrics"])
        #expect(config.sources.pids == [1, 42])
    }

    @Test("[prometheus] sets the source label, the matchers and the query overrides; [sources] the servers")
    func prometheusTable() throws {
        let config = try PerftopConfig(
            toml: """
                [sources]
                prometheus = ["http://prometheus:9090"]

                [prometheus]
                label = "pod"
                match = ' job="api" '

                [prometheus.queries]
                cache_hits_total = 'sum by (pod, cache) (app_cache_hits_total)'
                """
        )
        #expect(config.sources.prometheus == ["http://prometheus:9090"])
        #expect(
            config.prometheus
                == PrometheusQueries(
                    sourceLabel: "pod",
                    match: #"job="api""#,
                    overrides: ["cache_hits_total": "sum by (pod, cache) (app_cache_hits_total)"]
                )
        )
        let resolved = config.resolved(with: CommandLineSettings())
        #expect(resolved.settings.visiblePanes.contains(.builtIn(.fleet)))
    }

    @Test("an empty file sets nothing; a missing file is nil")
    func emptyAndMissing() throws {
        #expect(try PerftopConfig(toml: "# nothing\n") == PerftopConfig())
        #expect(try PerftopConfig.load(path: "/nonexistent/perftop/config.toml") == nil)
        #expect(throws: ConfigError("larger than \(FileError.maximumFileBytes) bytes", file: "/dev/zero")) {
            try PerftopConfig.load(path: "/dev/zero")
        }
        #expect(try PerftopConfig(toml: "interval = 2").interval == .seconds(2))
    }

    @Test("a bad value names the file, the line and what was found")
    func badFixture() throws {
        let path = try self.fixture("bad-interval")
        #expect(throws: ConfigError("interval must be a number of seconds, got \"fast\"", file: path, line: 3)) {
            try PerftopConfig.load(path: path)
        }
    }

    @Test(
        "bad files give one-line errors with the line",
        arguments: [
            ("theme = \"x\"\ninterval = \"fast\"", "config.toml:2: interval must be a number of seconds, got \"fast\""),
            ("interval = 0", "config.toml:1: interval must be from 0.05 to 3600 seconds, got 0"),
            ("interval = 5000", "config.toml:1: interval must be from 0.05 to 3600 seconds, got 5000"),
            ("\ntheme = 3", "config.toml:2: theme must be a theme name or file path, got 3"),
            ("panes = \"caches\"", "config.toml:1: panes must be an array of pane names"),
            ("\n\npanes = [\"caches\", \"disks\"]", "config.toml:3: panes: unknown pane \"disks\""),
            (
                "intervall = 1",
                "config.toml:1: unknown key 'intervall' (known: interval, theme, panes, sources, prometheus, pane, layout)"
            ),
            ("[sources]\nattach = \"/tmp/a.sock\"", "config.toml:2: sources.attach must be an array of"),
            ("[sources]\npids = [1, -4]", "config.toml:2: sources.pids: -4 is not a process id"),
            ("[sources]\n\nsockets = []", "config.toml:3: unknown key 'sockets' in [sources]"),
            ("sources = 1", "config.toml:1: sources must be a table: [sources]"),
            ("interval = = 1", "config.toml:1: "),
            ("[prometheus]\nlabel = \"in stance\"", "config.toml:2: prometheus.label must be a label name"),
            (
                "[prometheus]\n\nurl = 1",
                "config.toml:3: unknown key 'url' in [prometheus] (known: label, match, queries)"
            ),
            ("[prometheus]\nmatch = 3", "config.toml:2: prometheus.match must be label matchers"),
            ("[prometheus.queries]\n\"a b\" = \"x\"", "config.toml:2: prometheus.queries: 'a b' is not a metric name"),
            (
                "[prometheus.queries]\ncache_hits_total = 1",
                "config.toml:2: prometheus.queries.cache_hits_total must be"
            ),
            ("[sources]\nprometheus = \"http://p:9090\"", "config.toml:2: sources.prometheus must be an array of"),
            // Found by Fuzz/FuzzConfig: toml++ (inside TOMLKit) aborted the process on these.
            ("[\n", "config.toml:1: expected a key in the table header, found the end of the line"),
            ("interval = 1\n[[=\n", "config.toml:2: expected a key in the table header, found '='"),
            ("\u{FEFF}[&", "config.toml:1: expected a key in the table header, found '&'"),
            ("i=[}", "config.toml:1: expected a value, found '}'"),
        ]
    )
    func badFiles(text: String, expected: String) throws {
        let error = try #require(self.error(text))
        #expect(error.description.hasPrefix(expected), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    // MARK: Precedence

    @Test("command-line values win over the config, which wins over the defaults")
    func precedence() {
        let config = PerftopConfig(
            interval: .seconds(5),
            theme: "nord",
            panes: [.builtIn(.memory)],
            sources: .init(attach: ["/a.sock"], pids: [7])
        )
        let fromConfig = config.resolved(with: CommandLineSettings())
        #expect(
            fromConfig.settings
                == DashboardSettings(interval: .seconds(5), theme: "nord", visiblePanes: [.builtIn(.memory)])
        )
        #expect(fromConfig.sources == config.sources)
        let overridden = config.resolved(
            with: CommandLineSettings(interval: .milliseconds(250), theme: "dracula", sources: .init(pids: [9]))
        )
        #expect(overridden.settings.interval == .milliseconds(250))
        #expect(overridden.settings.theme == "dracula")
        #expect(overridden.settings.visiblePanes == [.builtIn(.memory)])
        #expect(overridden.sources == PerftopConfig.Sources(pids: [9]))
        let defaults = PerftopConfig().resolved(with: CommandLineSettings())
        #expect(defaults.settings == DashboardSettings())
        #expect(defaults.sources.isEmpty)
    }

    @Test("the default layout gains the queries pane when a source is a database, unless the config lists panes")
    func queriesPaneForADatabase() {
        let database = CommandLineSettings(sources: .init(endpoints: ["postgresql://app@db/shop"]))
        #expect(
            PerftopConfig().resolved(with: database).settings.visiblePanes
                == DashboardSettings.PaneKind.defaultLayout.map(DashboardSettings.PaneID.builtIn) + [.builtIn(.queries)]
        )
        let redis = CommandLineSettings(sources: .init(endpoints: ["redis://cache:6379"]))
        #expect(
            PerftopConfig().resolved(with: redis).settings.visiblePanes
                == DashboardSettings.PaneKind.defaultLayout.map(DashboardSettings.PaneID.builtIn)
        )
        #expect(
            PerftopConfig(panes: [.builtIn(.caches)]).resolved(with: database).settings.visiblePanes == [
                .builtIn(.caches)
            ]
        )
    }

    @Test("the default layout gains the fleet pane for several agents or endpoints, or an --attach directory or glob")
    func fleetPaneForAFleet() throws {
        let directory = try TestListener.makeTemporaryDirectory()
        defer { rmdir(directory) }
        let fleets: [PerftopConfig.Sources] = [
            .init(attach: [directory]),
            .init(attach: ["/run/agents/*.sock"]),
            .init(attach: ["/run/a.sock", "/run/b.sock"]),
            .init(attach: ["/run/a.sock"], endpoints: ["redis://cache:6379"]),
            .init(endpoints: ["redis://cache:6379", "memcached://cache:11211"]),
        ]
        for sources in fleets {
            let panes = PerftopConfig().resolved(with: CommandLineSettings(sources: sources)).settings.visiblePanes
            #expect(
                panes == DashboardSettings.PaneKind.defaultLayout.map(DashboardSettings.PaneID.builtIn) + [
                    .builtIn(.fleet)
                ],
                "\(sources)"
            )
        }
        let one = CommandLineSettings(sources: .init(attach: ["/run/a.sock"]))
        #expect(
            PerftopConfig().resolved(with: one).settings.visiblePanes
                == DashboardSettings.PaneKind.defaultLayout.map(DashboardSettings.PaneID.builtIn)
        )
        let listed = PerftopConfig(panes: [.builtIn(.memory)]).resolved(with: CommandLineSettings(sources: fleets[0]))
        #expect(listed.settings.visiblePanes == [.builtIn(.memory)])
    }

    @Test("the config lives in $XDG_CONFIG_HOME/perftop, else ~/.config/perftop")
    func location() {
        #expect(
            ConfigLocation.configFile(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]) == "/x/perftop/config.toml"
        )
        #expect(
            ConfigLocation.configFile(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/h"])
                == "/h/.config/perftop/config.toml"
        )
        #expect(ConfigLocation.configFile(environment: ["HOME": "/h"]) == "/h/.config/perftop/config.toml")
        #expect(ConfigLocation.themeDirectory(environment: ["HOME": "/h"]) == "/h/.config/perftop/themes")
        #expect(
            ConfigLocation.installedThemeDirectory(executablePath: "/opt/p/bin/perftop")
                == "/opt/p/share/perftop/themes"
        )
        #expect(ConfigLocation.installedThemeDirectory(executablePath: "/perftop") == nil)
        #expect(ConfigLocation.themeDirectories(environment: ["HOME": "/h"]).first == "/h/.config/perftop/themes")
        #expect(ConfigLocation.configFile(environment: [:]) == nil)
    }

    // MARK: Writing

    @Test("saving creates the file and its directory, and reads back the same settings")
    func roundTrip() throws {
        try self.withDirectory { directory in
            let file = directory.appendingPathComponent("perftop/config.toml")
            let old = DashboardSettings()
            let new = DashboardSettings(
                interval: .milliseconds(1500),
                theme: "gruvbox-dark",
                visiblePanes: [.builtIn(.latency), .builtIn(.caches)]
            )
            try PerftopConfig.save(settingsChangedFrom: old, to: new, path: file.path)
            let config = try #require(try PerftopConfig.load(path: file.path))
            #expect(config.resolved(with: CommandLineSettings()).settings == new)
            #expect(try self.read(file).contains("interval = 1.5\n"))
        }
    }

    @Test("only changed keys are written; comments, other keys and [sources] are kept")
    func keepsContent() throws {
        try self.withDirectory { directory in
            let file = directory.appendingPathComponent("config.toml")
            let original = """
                # my settings
                interval = 2 # every two seconds
                panes = [
                    "caches",
                    "queues",
                ]

                [sources]
                pids = [42]

                """
            try Data(original.utf8).write(to: file)
            let old = DashboardSettings(interval: .seconds(2), visiblePanes: [.builtIn(.caches), .builtIn(.queues)])
            var new = old
            new.theme = "nord"
            try PerftopConfig.save(settingsChangedFrom: old, to: new, path: file.path)
            #expect(
                try self.read(file) == """
                    # my settings
                    interval = 2 # every two seconds
                    panes = [
                        "caches",
                        "queues",
                    ]
                    theme = "nord"

                    [sources]
                    pids = [42]

                    """
            )
            var newer = new
            newer.visiblePanes = [.builtIn(.memory)]
            newer.interval = .seconds(10)
            try PerftopConfig.save(settingsChangedFrom: new, to: newer, path: file.path)
            let config = try #require(try PerftopConfig.load(path: file.path))
            #expect(config.panes == [.builtIn(.memory)])
            #expect(config.interval == .seconds(10))
            #expect(config.theme == "nord")
            #expect(config.sources.pids == [42])
            #expect(
                try self.read(file).hasPrefix("# my settings\ninterval = 10\npanes = [\"memory\"]\ntheme = \"nord\"\n")
            )
        }
    }

    @Test("nothing is written when nothing changed")
    func noChange() throws {
        try self.withDirectory { directory in
            let file = directory.appendingPathComponent("config.toml")
            try PerftopConfig.save(settingsChangedFrom: DashboardSettings(), to: DashboardSettings(), path: file.path)
            #expect(!FileManager.default.fileExists(atPath: file.path))
        }
    }

    @Test("a write leaves either the old file or the new one, complete, and no temporary file")
    func atomicWrite() throws {
        try self.withDirectory { directory in
            let file = directory.appendingPathComponent("config.toml")
            try ConfigFile.write("interval = 1\n", to: file.path)
            struct Interrupted: Error {}
            // Interrupted after the temporary file is written, before the rename: the old file stays.
            #expect(throws: ConfigError.self) {
                try ConfigFile.write("interval = 2\n", to: file.path) {
                    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 2)
                    #expect(try self.read(file) == "interval = 1\n")
                    throw Interrupted()
                }
            }
            #expect(try self.read(file) == "interval = 1\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["config.toml"])
            try ConfigFile.write("interval = 3\n", to: file.path)
            #expect(try self.read(file) == "interval = 3\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["config.toml"])
        }
    }

    @Test("a write that cannot happen names the file")
    func writeFailure() throws {
        try self.withDirectory { directory in
            let blocker = directory.appendingPathComponent("file")
            try Data().write(to: blocker)
            let path = blocker.path + "/config.toml"
            do throws(ConfigError) {
                try ConfigFile.write("interval = 1\n", to: path)
                Issue.record("writing under a regular file succeeded")
            } catch {
                #expect(error.file == path)
                #expect(error.description.hasPrefix("\(path): cannot write the file"))
            }
        }
    }

    @Test("intervals are written as TOML numbers of seconds")
    func text() {
        #expect(PerftopConfig.seconds(.milliseconds(250)) == "0.25")
        #expect(PerftopConfig.seconds(.seconds(3)) == "3")
    }

    // Found by Fuzz/FuzzConfig: with "\r\n" line endings the whole file was one line, so errors lost their line
    // and the value they quote ("got ?").
    @Test("a file with Windows line endings gets the errors of the same file with Unix ones")
    func windowsLineEndings() throws {
        let error = try #require(self.error("theme = \"x\"\r\ninterval = \"fast\"\r\n"))
        #expect(error.description == "config.toml:2: interval must be a number of seconds, got \"fast\"")
        #expect(try PerftopConfig(toml: "interval = 2\r\n[sources]\r\npids = [7]\r\n").sources.pids == [7])
    }

    @Test("a '[' inside a multi-line array, string or comment is not a table header")
    func bracketsInsideValues() throws {
        let config = try PerftopConfig(toml: "panes = [\n  # [\n  \"caches\",\n]\ntheme = \"\"\"\n[\n\"\"\"\n")
        #expect(config.panes == [.builtIn(.caches)])
        #expect(config.theme == "[\n")
    }
}
