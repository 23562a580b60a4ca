import Foundation
import Testing

@testable import PerftopCore

@Suite("Config file: custom panes and layout")
struct ConfigPanesTests {
    typealias PaneID = DashboardSettings.PaneID

    static let text = """
        panes = ["errors", "caches", "jobs"]

        [[pane]]
        name = "errors"
        title = "Error ratio"
        metric = 'http_requests_total{code="500"}'
        statistic = "ratio"
        ratio_of = 'http_requests_total'
        kind = "gauge"
        goal = "< 1%"

        [[pane]]
        name = "jobs"
        metric = 'processor_tasks_total{outcome="succeeded"}'
        statistic = "rate"
        kind = "table"

        [[pane]]
        name = "embed"
        metric = 'operation_seconds{op="embed"}'
        statistic = "p95"
        unit = "ms"
        goal = "< 50ms"
        max = 200

        [layout]
        columns = 2
        sizes = { errors = 2, caches = 3 }
        """

    @Test("[[pane]] tables are read with their statistic, unit, kind, goal and scale")
    func readsPanes() throws {
        let config = try PerftopConfig(toml: Self.text)
        #expect(config.warnings.isEmpty)
        #expect(config.customPanes.map(\.name) == ["errors", "jobs", "embed"])
        let errors = config.customPanes[0]
        #expect(errors.title == "Error ratio")
        #expect(errors.statistic == .ratio(of: try MetricSelector(parsing: "http_requests_total")))
        #expect(errors.kind == .gauge)
        #expect(errors.displayUnit == .percent)
        #expect(errors.scale == 1)
        let jobs = config.customPanes[1]
        #expect(jobs.title == "jobs", "the name without a title")
        #expect(jobs.statistic == .reading(.rate))
        #expect(jobs.displayUnit == .perSecond)
        let embed = config.customPanes[2]
        #expect(embed.kind == .graph, "graph by default")
        #expect(embed.unit == .milliseconds)
        #expect(embed.maximum == 0.2, "max is in the pane's unit")
        #expect(config.panes == [.custom("errors"), .builtIn(.caches), .custom("jobs")])
        #expect(config.layout == PerftopConfig.Layout(columns: 2, sizes: [.custom("errors"): 2, .builtIn(.caches): 3]))
    }

    @Test("with [layout], panes are placed in the order `panes` lists them; the others keep theirs after it")
    func layoutOrder() throws {
        let settings = try PerftopConfig(toml: Self.text).resolved(with: CommandLineSettings()).settings
        #expect(settings.visiblePanes == [.custom("errors"), .builtIn(.caches), .custom("jobs")])
        #expect(
            Array(settings.layout.order.prefix(4)) == [
                .custom("errors"), .builtIn(.caches), .custom("jobs"), .builtIn(.queues),
            ]
        )
        #expect(settings.layout.order.last == .custom("embed"))
        #expect(settings.layout.columns == 2)
        #expect(settings.layout.size(of: .builtIn(.caches)) == 3)
        #expect(settings.layout.size(of: .builtIn(.memory)) == 1)
    }

    @Test("without panes or [layout], custom panes follow the built-in default layout")
    func defaultLayout() throws {
        let text = """
            [[pane]]
            name = "load"
            metric = 'node_load1'
            """
        let settings = try PerftopConfig(toml: text).resolved(with: CommandLineSettings()).settings
        #expect(
            settings.visiblePanes == DashboardSettings.PaneKind.defaultLayout.map(PaneID.builtIn) + [.custom("load")]
        )
        #expect(settings.layout == DashboardSettings.PaneLayout(custom: ["load"]))
        #expect(settings.layout.columns == nil)
    }

    @Test(
        "a bad [[pane]] or [layout] entry is a warning naming its line; the rest is kept",
        arguments: [
            ("kind = \"pie\"", 5, "unknown kind 'pie' (expected graph, table, gauge)"),
            ("statistic = \"p42\"", 5, "statistic: unknown statistic 'p42'"),
            ("goal = \"-30% vs baseline\"", 5, "a pane's goal must be absolute"),
            ("unit = \"parsecs\"", 5, "unknown unit 'parsecs'"),
            ("colour = \"red\"", 5, "unknown key 'colour' in [[pane]]"),
            ("ratio_of = 'x_total'", 5, "ratio_of goes with statistic = \"ratio\""),
            ("max = -1", 5, "max must be a number above 0"),
            ("trigger = { bell = true }", 5, "pane \"bad\" has a trigger but no goal to judge it by"),
            (
                "goal = \"< 1\"\ntrigger = { rounds = 0 }", 6,
                "trigger: expected rounds to be a whole number from 1 to 1000"
            ),
            ("goal = \"< 1\"\ntrigger = \"loud\"", 6, "trigger must be a table"),
        ]
    )
    func badPane(line: String, number: Int, message: String) throws {
        let text = """
            panes = ["bad", "good"]
            [[pane]]
            name = "bad"
            metric = 'x_total'
            \(line)

            [[pane]]
            name = "good"
            metric = 'y_total'
            """
        let config = try PerftopConfig(toml: text, fileName: "config.toml")
        #expect(config.customPanes.map(\.name) == ["good"])
        #expect(config.panes == [.custom("good")], "the bad pane's name is skipped in panes")
        let warning = try #require(config.warnings.first)
        #expect(config.warnings.count == 1)
        #expect(warning.line == number)
        #expect("\(warning)".hasPrefix("config.toml:\(number): "))
        #expect(warning.message.contains(message), "\(warning)")
    }

    @Test("a pane's trigger is read as a tracker target's")
    func paneTrigger() throws {
        let text = """
            [[pane]]
            name = "errors"
            metric = 'http_requests_total{code="500"}'
            statistic = "rate"
            goal = "< 5/s"
            trigger = { rounds = 2, command = ["logger", "perftop"] }
            """
        let config = try PerftopConfig(toml: text, fileName: "config.toml")
        #expect(config.warnings.isEmpty)
        #expect(config.customPanes.first?.trigger == Trigger(rounds: 2, command: ["logger", "perftop"]))
    }

    @Test("pane names: unique, not a built-in pane's, letters, digits, - and _")
    func paneNames() throws {
        let text = """
            [[pane]]
            name = "caches"
            metric = 'a'
            [[pane]]
            name = "two words"
            metric = 'a'
            [[pane]]
            name = "ok-1"
            metric = 'a'
            [[pane]]
            name = "ok-1"
            metric = 'b'
            [[pane]]
            metric = 'c'
            [[pane]]
            name = "nometric"
            """
        let config = try PerftopConfig(toml: text)
        #expect(config.customPanes.map(\.name) == ["ok-1"])
        #expect(config.warnings.map(\.line) == [2, 5, 11, 13, 16])
        #expect(config.warnings[2].message == "a pane named \"ok-1\" is defined twice")
    }

    @Test("a bad [layout] key is left out with a warning; the good ones are kept")
    func badLayout() throws {
        let text = """
            [[pane]]
            name = "load"
            metric = 'node_load1'

            [layout]
            columns = 9
            rows = 2

            [layout.sizes]
            load = 2
            disks = 3
            caches = 0
            """
        let config = try PerftopConfig(toml: text)
        #expect(config.layout == PerftopConfig.Layout(columns: nil, sizes: [.custom("load"): 2]))
        #expect(config.warnings.map(\.line) == [7, 6, 11, 12])
        #expect(config.warnings.map(\.message).contains("layout.sizes: unknown pane 'disks'"))
    }

    @Test("an unknown pane in panes, and other mistakes, still stop perftop")
    func otherErrorsStayFatal() {
        #expect(throws: ConfigError.self) { try PerftopConfig(toml: "panes = [\"nope\"]") }
        #expect(throws: ConfigError.self) {
            try PerftopConfig(toml: "interval = \"fast\"\n[[pane]]\nname = \"a\"\nmetric = 'b'")
        }
    }

    @Test("toggling a pane saves panes by name, custom ones too")
    func savesCustomNames() {
        let old = DashboardSettings(visiblePanes: [.builtIn(.caches)])
        let new = DashboardSettings(visiblePanes: [.builtIn(.caches), .custom("load")])
        #expect(PerftopConfig.assignments(from: old, to: new).map(\.value) == ["[\"caches\", \"load\"]"])
    }

    @Test("saving a toggled pane adds panes before the [[pane]] tables and keeps them as written")
    func savesAroundPaneTables() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("perftop-panes-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("config.toml").path
        let text = "interval = 2\n\n[[pane]]\nname = \"load\"\nmetric = 'node_load1'\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let old = try #require(try PerftopConfig.load(path: path)).resolved(with: CommandLineSettings()).settings
        var new = old
        new.visiblePanes = [.custom("load"), .builtIn(.memory)]
        try PerftopConfig.save(settingsChangedFrom: old, to: new, path: path)
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        #expect(saved.hasSuffix("[[pane]]\nname = \"load\"\nmetric = 'node_load1'\n"))
        let config = try #require(try PerftopConfig.load(path: path))
        #expect(config.panes == [.custom("load"), .builtIn(.memory)])
        #expect(config.warnings.isEmpty)
    }
}
