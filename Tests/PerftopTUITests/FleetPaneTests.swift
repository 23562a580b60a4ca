import PerfKit
import PerftopCore
import Testing

@testable import PerftopTUI

/// `state.handle(…)` as a free function, so `#expect` can evaluate it.
private func press(_ state: inout DashboardViewState, _ keys: Key...) -> DashboardViewState.Outcome {
    var outcome = DashboardViewState.Outcome.none
    for key in keys {
        outcome = state.handle(key)
    }
    return outcome
}

@Suite("FleetPane")
struct FleetPaneTests {
    /// Three agents named by their pids, one down, with different hit ratios and p95s.
    static let model: DashboardModel = {
        let rows = [
            FleetRow(source: "agent:/run/a.sock", state: .ok, hitRate: 0.9, requestsPerSecond: 100, worstP95: 0.002),
            FleetRow(
                source: "agent:/run/b.sock",
                state: .ok,
                hitRate: 0.5,
                requestsPerSecond: 900,
                worstP95: 0.050,
                queueDepth: 3,
                residentBytes: 2_048
            ),
            FleetRow(source: "agent:/run/c.sock", state: .down(reason: "connection refused")),
        ]
        return DashboardModel(
            timestamp: 1,
            interval: 1,
            sources: [
                SourceStatus(name: "agent:/run/a.sock", state: .ok, displayName: "api[101]"),
                SourceStatus(name: "agent:/run/b.sock", state: .ok, displayName: "api[102]"),
                SourceStatus(name: "agent:/run/c.sock", state: .down(reason: "connection refused")),
            ],
            caches: [
                CacheView(source: "agent:/run/a.sock", name: "users"),
                CacheView(source: "agent:/run/b.sock", name: "users"),
            ],
            fleet: rows
        )
    }()

    @Test("one row per source under the fleet's row: Σhits / Σlookups and the worst p95, marked max")
    func rows() {
        let text = TestModels.render(FleetPane(), Self.model, width: 100, height: 8).text
        #expect(text.contains("source↓"))
        let ascii = TestModels.render(FleetPane(), Self.model, width: 100, height: 8, glyphs: .ascii).text
        #expect(ascii.contains("sourcev"), "the sort mark in ASCII")
        #expect(ascii.unicodeScalars.allSatisfy { $0.isASCII || "–".unicodeScalars.contains($0) })
        #expect(text.contains("fleet (3)"))
        #expect(text.contains("54.0%"), "(0.9 × 100 + 0.5 × 900) / 1000:\n\(text)")
        #expect(text.contains("max 50.0ms"))
        #expect(text.contains("api[101]"))
        #expect(text.contains("agent:/run/c.sock"))
        #expect(text.contains("down"))
    }

    @Test("s sorts by the next column, worst first; / filters by name as it is typed; Esc clears it")
    func sortAndFilter() {
        var state = DashboardViewState(
            settings: DashboardSettings(visiblePanes: [.builtIn(.caches), .builtIn(.fleet)])
        )
        #expect(state.focused == .builtIn(.fleet), "a shown fleet pane has the focus first")
        state.receive(Self.model)
        #expect(
            state.fleet.rows(of: Self.model).map(\.source)
                == ["agent:/run/c.sock", "agent:/run/a.sock", "agent:/run/b.sock"],
            "by the names shown: agent:/run/c.sock, api[101], api[102]"
        )
        #expect(press(&state, .character("s"), .character("s")) == .redraw)
        #expect(state.fleet.sort == .hit)
        #expect(
            state.fleet.rows(of: Self.model).map(\.source)
                == ["agent:/run/b.sock", "agent:/run/a.sock", "agent:/run/c.sock"],
            "lowest hit ratio first, a source without one last"
        )
        #expect(state.notice?.text == "fleet sorted by hit")

        _ = press(&state, .character("/"), .character("1"), .character("0"), .character("2"))
        #expect(state.fleet.draft == "102")
        #expect(state.fleet.rows(of: Self.model).map(\.source) == ["agent:/run/b.sock"])
        _ = press(&state, .character("q"), .backspace)
        #expect(state.fleet.draft == "102", "q is typed, not a quit")
        _ = press(&state, .enter)
        #expect(state.fleet.draft == nil)
        #expect(state.fleet.filter == "102")
        let grid = TestModels.render(
            FleetPane(),
            Self.model,
            context: state.context(for: .builtIn(.fleet)),
            width: 100,
            height: 8
        )
        #expect(grid.line(1).hasPrefix("│filter: 102"))
        #expect(grid.text.contains("fleet (1)"))
        #expect(press(&state, .escape) == .redraw)
        #expect(state.fleet.filter == "")
    }

    @Test("a NaN from a source sorts as a missing value, after every number, in every column")
    func nanSortsLast() {
        var model = Self.model
        model.fleet[0].hitRate = .nan
        model.fleet[0].cpuPercent = .nan
        model.fleet[1].cpuPercent = .infinity
        var fleet = FleetViewState()
        fleet.sort = .hit
        #expect(fleet.rows(of: model).map(\.source) == ["agent:/run/b.sock", "agent:/run/a.sock", "agent:/run/c.sock"])
        fleet.sort = .cpu
        #expect(fleet.rows(of: model).first?.source == "agent:/run/b.sock")
        for sort in FleetSort.allCases {
            fleet.sort = sort
            #expect(fleet.rows(of: model).count == 3)
            #expect(TestModels.render(FleetPane(), model, width: 100, height: 8).text.contains("fleet (3)"))
        }
    }

    @Test("a control character never enters the filter")
    func filterRefusesControls() {
        var state = DashboardViewState(settings: DashboardSettings(visiblePanes: [.builtIn(.fleet)]))
        _ = press(&state, .character("/"), .character("\u{1B}"), .character("\u{202E}"), .character("a"))
        #expect(state.fleet.draft == "a")
    }

    @Test("↓ selects the next sources, Enter shows the selected one alone, Esc comes back to the zoomed fleet")
    func drillIn() {
        var state = DashboardViewState(
            settings: DashboardSettings(visiblePanes: [.builtIn(.caches), .builtIn(.latency), .builtIn(.fleet)])
        )
        state.receive(Self.model)
        _ = press(&state, .character("z"))
        #expect(state.shownPanes == [.builtIn(.fleet)])
        _ = press(&state, .down, .down, .down)
        #expect(state.fleet.selected == 2, "the last row; a third ↓ stays there")
        let selected = TestModels.render(
            FleetPane(),
            Self.model,
            context: state.context(for: .builtIn(.fleet)),
            width: 100,
            height: 8
        )
        #expect(selected.text.contains("> api[102]"))

        #expect(press(&state, .enter) == .redraw)
        #expect(state.fleet.drilled == "agent:/run/b.sock")
        #expect(state.shownPanes == [.builtIn(.caches), .builtIn(.latency)])
        #expect(state.focused == .builtIn(.caches))
        let alone = state.shownModel(Self.model)
        #expect(alone.caches.map(\.source) == ["agent:/run/b.sock"])
        #expect(alone.sources.map(\.label) == ["api[102]"])
        #expect(state.notice?.text == "api[102] alone: Esc for the fleet")

        #expect(press(&state, .escape) == .redraw)
        #expect(state.fleet.drilled == nil)
        #expect(state.shownPanes == [.builtIn(.fleet)])
        #expect(state.focused == .builtIn(.fleet))
    }

    @Test("a source shown alone that goes away takes the screen back to the fleet")
    func drilledSourceGone() {
        var state = DashboardViewState(
            settings: DashboardSettings(visiblePanes: [.builtIn(.caches), .builtIn(.fleet)])
        )
        state.receive(Self.model)
        _ = press(&state, .enter)
        #expect(state.fleet.drilled == "agent:/run/c.sock")
        var later = Self.model
        later.timestamp = 2
        later.sources.removeLast()
        later.fleet.removeLast()
        state.receive(later)
        #expect(state.fleet.drilled == nil)
        #expect(state.focused == .builtIn(.fleet))
    }

    @Test("a source's own name never reaches the screen as a control sequence, in any pane")
    func hostileNames() {
        let name = "agent:/run/\u{1B}]52;c;cm0=\u{07}.sock"
        var model = DashboardModel(
            timestamp: 1,
            interval: 1,
            sources: [
                SourceStatus(name: name, state: .ok, displayName: "\u{1B}[2J\u{202E}evil[1]"),
                SourceStatus(name: "agent:/run/b.sock", state: .ok),
            ],
            caches: [CacheView(source: name, name: "users"), CacheView(source: "agent:/run/b.sock", name: "users")],
            fleet: [FleetRow(source: name, state: .ok), FleetRow(source: "agent:/run/b.sock", state: .ok)]
        )
        model.memory.processes = [ProcessMemoryView(source: name, residentBytes: 1)]
        for pane in [FleetPane(), CachePane(), MemoryPane()] as [any Pane] {
            let text = TestModels.render(pane, model, width: 120, height: 12).text
            #expect(!text.unicodeScalars.contains { $0 != "\n" && SafeText.isUnsafe($0) }, "\(pane.title):\n\(text)")
            #expect(text.contains("\\u{1B}[2J\\u{202E}evil[1]"), "\(pane.title):\n\(text)")
        }
        let header = TestModels.dashboard(model, width: 200, height: 50).line(0)
        #expect(!header.unicodeScalars.contains { SafeText.isUnsafe($0) })
    }

    @Test("i shows the selected source's name, state, warning and query under the table; a warned source is warn")
    func sourceDetail() {
        var model = Self.model
        model.sources[0].warning = "results truncated"
        model.sources[0].query = #"{__name__=~"cache_.+",instance="a:1"}"#
        var state = DashboardViewState(
            settings: DashboardSettings(visiblePanes: [.builtIn(.caches), .builtIn(.fleet)])
        )
        state.receive(model)
        #expect(state.focused == .builtIn(.fleet))
        // The rows by name: agent:/run/c.sock, api[101], api[102].
        _ = press(&state, .down)
        #expect(press(&state, .character("i")) == .redraw)
        #expect(state.fleet.showsDetail)
        let text = TestModels.render(
            FleetPane(),
            model,
            context: state.context(for: .builtIn(.fleet)),
            width: 100,
            height: 12
        )
        .text
        #expect(text.contains("warn "), "\(text)")
        #expect(text.contains("agent:/run/a.sock: ok (warning: results truncated)"), "\(text)")
        #expect(text.contains(#"query: {__name__=~"cache_.+",instance="a:1"}"#), "\(text)")
        let narrow = TestModels.render(
            FleetPane(),
            model,
            context: state.context(for: .builtIn(.fleet)),
            width: 30,
            height: 14
        )
        #expect(narrow.text.contains("query: {__name__=~"), "a hanging indent keeps the label with the query")
        #expect(press(&state, .character("i")) == .redraw)
        #expect(!state.fleet.showsDetail)
        _ = press(&state, .tab)
        #expect(press(&state, .character("i")) == .none, "only with the fleet focused")
    }

    @Test("Enter and / do nothing outside the fleet pane")
    func onlyInTheFleet() {
        var state = DashboardViewState(
            settings: DashboardSettings(visiblePanes: [.builtIn(.caches), .builtIn(.fleet)])
        )
        state.receive(Self.model)
        _ = press(&state, .tab)
        #expect(state.focused == .builtIn(.caches))
        #expect(press(&state, .enter) == .none)
        #expect(press(&state, .character("/")) == .none)
        #expect(state.fleet.draft == nil)
        #expect(press(&state, .character("s")) == .redraw)
        #expect(state.trackerSort == .priority, "s sorts the tracker when the fleet is not focused")
    }
}
