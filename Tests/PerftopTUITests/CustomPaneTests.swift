import PerfKit
import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("CustomPane")
struct CustomPaneTests {
    /// A model holding `view` at the models' time, with one answering source.
    private func model(_ views: CustomPaneView...) -> DashboardModel {
        var model = DashboardModel(
            timestamp: 1_700_000_000,
            interval: 1,
            sources: [SourceStatus(name: "agent", state: .ok)]
        )
        model.customPanes = views
        return model
    }

    private func definition(
        _ kind: PaneDefinition.Kind,
        goal: String? = "< 50ms",
        title: String = "Embed p95"
    ) throws -> PaneDefinition {
        PaneDefinition(
            name: "embed",
            title: title,
            metric: try MetricSelector(parsing: #"operation_seconds{op="embed"}"#),
            statistic: .reading(.p95),
            kind: kind,
            goal: try goal.map { try TrackerGoal(parsing: $0) },
            maximum: 0.1
        )
    }

    @Test("a graph: the value, its status in the tracker's colour, the goal and source, then the history")
    func graph() throws {
        let view = CustomPaneView(
            definition: try self.definition(.graph),
            value: 0.047,
            source: "agent",
            status: .atRisk,
            history: TestModels.history([0.02, 0.03, 0.047])
        )
        let grid = TestModels.render(
            CustomPane(name: "embed", model: self.model(view)),
            self.model(view),
            width: 50,
            height: 10
        )
        #expect(grid.line(0).contains("Embed p95"))
        #expect(grid.line(1).contains("47ms  at risk  goal < 50ms  agent"))
        let status = try #require(grid.line(1).range(of: "at risk"))
        let column = grid.line(1).distance(from: grid.line(1).startIndex, to: status.lowerBound)
        #expect(grid[1, column].style == .warning)
        #expect((2..<9).contains { grid.line($0).contains("47ms") }, "the graph's top label")
    }

    @Test("a gauge: a bar filled to the scale, then the status and goal")
    func gauge() throws {
        let view = CustomPaneView(definition: try self.definition(.gauge), value: 0.05, status: .missed)
        let grid = TestModels.render(
            CustomPane(name: "embed", model: self.model(view)),
            self.model(view),
            width: 30,
            height: 5
        )
        // 50 ms of a 100 ms scale: half of the 23 columns the text leaves.
        #expect(grid.line(1) == "│███████████▌░░░░░░░░░░░ 50ms│")
        #expect(grid.line(2).contains("missed  goal < 50ms"))
    }

    @Test("a table: one row per series, the source column only with several sources, scrolling")
    func table() throws {
        let rows = (0..<12).map { index in
            CustomPaneView.Row(
                source: index < 6 ? "agent" : "other",
                labels: "op=\"op\(index)\"",
                value: Double(index) / 100,
                status: index < 5 ? .met : .missed
            )
        }
        let view = CustomPaneView(definition: try self.definition(.table), value: 0.11, status: .missed, rows: rows)
        let model = self.model(view)
        let pane = CustomPane(name: "embed", model: model)
        let grid = TestModels.render(pane, model, width: 60, height: 8)
        #expect(grid.line(1).contains("source") && grid.line(1).contains("series") && grid.line(1).contains("status"))
        #expect(grid.line(2).contains("op=\"op0\"") && grid.line(2).contains("met"))
        #expect(pane.scrollLimit(model: model, contentHeight: 6) == 8)
        #expect(DashboardViewState.rowCount(of: .custom("embed"), in: model) == 12)
        let scrolled = TestModels.render(pane, model, context: PaneContext(scrollOffset: 8), width: 60, height: 8)
        #expect(scrolled.text.contains("op=\"op11\""))
    }

    @Test("without data: the reason; before the first model that has the pane: why not")
    func noData() throws {
        let view = CustomPaneView(definition: try self.definition(.graph), reason: "no series matches x")
        let grid = TestModels.render(
            CustomPane(name: "embed", model: self.model(view)),
            self.model(view),
            width: 50,
            height: 6
        )
        #expect(grid.line(1).contains("no data: no series matches x"))
        let empty = DashboardModel(timestamp: 1, interval: 1)
        let missing = TestModels.render(CustomPane(name: "embed", model: empty), empty, width: 50, height: 6)
        #expect(missing.line(0).contains("embed"))
        #expect(missing.line(1).contains("no data: no sources configured"))
    }

    @Test(
        "hostile values and titles never crash nor reach the screen as control sequences",
        arguments: [Double.nan, .infinity, -.infinity, 1e308, -1e308, 0]
    )
    func hostile(value: Double) throws {
        let title = "\u{1B}[2J" + String(repeating: "t", count: 500)
        let reason = "\u{1B}]52;c;eA==\u{7}" + String(repeating: "r", count: 5_000)
        for kind in PaneDefinition.Kind.allCases {
            let definition = try self.definition(kind, title: title)
            let views = [
                CustomPaneView(
                    definition: definition,
                    value: value,
                    source: "\u{9B}31m",
                    status: .met,
                    rows: [CustomPaneView.Row(source: "\u{7}", labels: "l=\"\u{1B}c\"", value: value, status: .met)],
                    history: TestModels.history([value, value, 0])
                ),
                CustomPaneView(definition: definition, reason: reason),
            ]
            for view in views {
                let model = self.model(view)
                for (width, height) in [(1, 1), (8, 3), (40, 6), (200, 40)] {
                    for glyphs in [Glyphs.unicode, .ascii] {
                        let grid = TestModels.render(
                            CustomPane(name: "embed", model: model),
                            model,
                            width: width,
                            height: height,
                            glyphs: glyphs
                        )
                        #expect(!grid.text.unicodeScalars.contains { SafeText.isUnsafe($0) && $0 != "\n" })
                    }
                }
            }
        }
    }

    @Test("the renderer draws custom panes from the model, in the layout's order and sizes")
    func rendered() throws {
        let view = CustomPaneView(definition: try self.definition(.gauge), value: 0.01, status: .met)
        var settings = DashboardSettings(visiblePanes: [.builtIn(.caches), .custom("embed")])
        settings.layout = DashboardSettings.PaneLayout(order: [.custom("embed"), .builtIn(.caches)], columns: 1)
        settings.layout.sizes = [.custom("embed"): 2]
        let state = DashboardViewState(settings: settings)
        #expect(state.shownPanes == [.custom("embed"), .builtIn(.caches)])
        let renderer = DashboardRenderer()
        let size = TerminalSize(width: 100, height: 32)
        let placed = renderer.placement(size: size, state: state).panes
        #expect(placed.map(\.id) == [.custom("embed"), .builtIn(.caches)])
        #expect(placed.map(\.rect.height) == [20, 10])
        #expect(placed.map(\.rect.width) == [100, 100])
        let grid = renderer.render(self.model(view), size: size, state: state)
        #expect(grid.line(1).contains("Embed p95"))
        #expect(grid.line(21).contains("Cache hit rate"))
    }

    @Test(
        "every pane in a fixed layout of large sizes draws at the smallest sizes without a control sequence",
        arguments: [1, 4]
    )
    func smallLayouts(columns: Int) throws {
        let view = CustomPaneView(definition: try self.definition(.table), value: 1, status: .met)
        let ids = DashboardSettings.PaneKind.allCases.map(DashboardSettings.PaneID.builtIn) + [.custom("embed")]
        var settings = DashboardSettings(visiblePanes: ids)
        settings.layout = DashboardSettings.PaneLayout(custom: ["embed"], columns: columns)
        settings.layout.sizes = [.custom("embed"): 9, .builtIn(.caches): 9]
        let state = DashboardViewState(settings: settings)
        for (width, height) in [(60, 16), (61, 17), (80, 24)] {
            let size = TerminalSize(width: width, height: height)
            let grid = DashboardRenderer().render(self.model(view), size: size, state: state)
            #expect(grid.line(0).hasPrefix("perftop"))
            #expect(!grid.text.unicodeScalars.contains { SafeText.isUnsafe($0) && $0 != "\n" })
            let placed = DashboardRenderer().placement(size: size, state: state).panes
            #expect(placed.count == ids.count)
            #expect(
                placed.allSatisfy { $0.rect.row >= 1 && $0.rect.maxRow <= height - 1 && $0.rect.maxColumn <= width }
            )
        }
    }
}
