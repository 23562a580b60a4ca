import PerftopCore
import Testing

@testable import PerftopTUI

/// `state.handle(…)` as a free function, so `#expect` can evaluate it (it cannot call mutating members).
private func press(
    _ state: inout DashboardViewState,
    _ key: Key,
    panes: [(id: DashboardSettings.PaneID, rect: Rect)] = [],
    now: Duration = .zero
) -> DashboardViewState.Outcome {
    state.handle(key, panes: panes, now: now)
}

/// `state.receive(…)` as a free function, for `#expect`.
private func receive(_ state: inout DashboardViewState, _ model: DashboardModel) -> Bool {
    state.receive(model)
}

/// `state.expireNotice(…)` as a free function, for `#expect`.
private func expire(_ state: inout DashboardViewState, now: Duration) -> Bool {
    state.expireNotice(now: now)
}

/// `state.setScrollLimits(…)` as a free function, for `#expect`.
private func setLimits(_ state: inout DashboardViewState, _ limits: [DashboardSettings.PaneID: Int]) -> Bool {
    state.setScrollLimits(limits)
}

@Suite("DashboardViewState")
struct DashboardViewStateTests {
    typealias PaneID = DashboardSettings.PaneID

    /// A model with `rows` caches, one process and one p95 of `p95` seconds, at `timestamp`.
    private func model(timestamp: Double = 1, rows: Int = 20, p95: Double = 0.01) -> DashboardModel {
        var model = DashboardModel(timestamp: timestamp, interval: 1)
        model.caches = (0..<rows).map { CacheView(source: "a", name: "cache\($0)") }
        model.latencies = [LatencyView(source: "a", name: "op", distribution: "service", p95: p95)]
        return model
    }

    /// A state that has received `model`.
    private func state(_ model: DashboardModel? = nil, themes: [String] = []) -> DashboardViewState {
        var state = DashboardViewState(themeNames: themes)
        state.receive(model ?? self.model())
        return state
    }

    @Test("a replay: its keys move it; a paused or sped-up round redraws though its timestamp is the same")
    func replay() {
        var state = DashboardViewState(isReplay: true)
        var model = self.model()
        model.replay = ReplayStatus(round: 0, rounds: 5, isPlaying: true, speed: 1)
        #expect(receive(&state, model))
        #expect(!receive(&state, model))
        model.replay?.isPlaying = false
        #expect(receive(&state, model), "the header must say paused")
        #expect(state.model?.replay?.isPlaying == false)
        #expect(state.handle(.character(" ")) == .playback(.togglePlay))
        #expect(!state.isFrozen, "space does not freeze a replay")
        #expect(state.handle(.end) == .playback(.last))
        var live = DashboardViewState()
        #expect(live.handle(.end) != .playback(.last), "live, End scrolls")
    }

    @Test("the arrows freeze with a cursor on the focused pane's graphs, move it, and unfreezing drops it")
    func cursor() {
        var state = self.state(self.model(timestamp: 100))
        #expect(state.handle(.left) == .redraw)
        #expect(state.isFrozen)
        #expect(state.cursor == 0, "first on the newest value")
        _ = state.handle(.left)
        _ = state.handle(.left)
        _ = state.handle(.right)
        #expect(state.cursor == 1)
        let focused = state.focused!
        #expect(state.context(for: focused).cursor == GraphCursor(slotsBack: 1, newest: 100))
        let other = DashboardSettings.PaneKind.allCases.map(PaneID.builtIn).first { $0 != focused }!
        #expect(state.context(for: other).cursor == nil, "only the focused pane")
        _ = state.handle(.right)
        _ = state.handle(.right)
        #expect(state.cursor == 0, "never past the newest")
        _ = state.handle(.character(" "))
        #expect(!state.isFrozen && state.cursor == nil)

        var replay = DashboardViewState(isReplay: true)
        _ = receive(&replay, self.model())
        #expect(replay.handle(.left) == .playback(.step(-1)), "a playing replay steps")
        _ = replay.handle(.character("f"))
        #expect(replay.handle(.left) == .redraw, "a frozen replay moves the cursor")
        #expect(replay.cursor == 0)
    }

    @Test("q, Q and the Ctrl-C byte quit")
    func quit() {
        for key in [Key.character("q"), .character("Q"), .character("\u{03}")] {
            var state = self.state()
            #expect(press(&state, key) == .quit)
        }
    }

    @Test("unbound keys change nothing")
    func unbound() {
        var state = self.state()
        #expect(press(&state, .character("x")) == .none)
        #expect(press(&state, .function(999)) == .none)
        #expect(press(&state, .resize) == .redraw)
    }

    @Test("space and f freeze: the model on screen stays while newer ones arrive; unfreezing jumps to the newest")
    func freeze() {
        for key in [Key.character(" "), .character("f")] {
            var state = self.state(self.model(timestamp: 1))
            #expect(press(&state, key) == .redraw)
            #expect(state.isFrozen)
            #expect(!receive(&state, self.model(timestamp: 2, p95: 5)))
            #expect(state.model?.timestamp == 1)
            #expect(state.peaks.values.values.max() == 0.01)
            #expect(press(&state, key) == .redraw)
            #expect(!state.isFrozen)
            #expect(receive(&state, self.model(timestamp: 3)))
            #expect(state.model?.timestamp == 3)
        }
    }

    @Test("+ and - step the interval through the steps and stop at the ends")
    func interval() {
        var state = self.state()
        #expect(state.settings.interval == .seconds(1))
        #expect(press(&state, .character("+")) == .settingsChanged)
        #expect(state.settings.interval == .seconds(2))
        #expect(state.notice?.text == "interval 2s")
        for _ in 0..<5 {
            _ = state.handle(.character("+"))
        }
        #expect(state.settings.interval == .seconds(10))
        #expect(press(&state, .character("+")) == .redraw)
        for _ in 0..<10 {
            _ = state.handle(.character("-"))
        }
        #expect(state.settings.interval == .milliseconds(250))
        #expect(press(&state, .character("-")) == .redraw)
        #expect(state.settings.interval == .milliseconds(250))
    }

    @Test("an interval between steps moves to the neighbouring step")
    func intervalBetweenSteps() {
        var state = DashboardViewState(settings: DashboardSettings(interval: .milliseconds(1500)))
        #expect(press(&state, .character("-")) == .settingsChanged)
        #expect(state.settings.interval == .seconds(1))
        var longer = DashboardViewState(settings: DashboardSettings(interval: .milliseconds(1500)))
        _ = longer.handle(.character("+"))
        #expect(longer.settings.interval == .seconds(2))
    }

    @Test("t cycles the themes, names the theme in a notice that expires, and updates the settings")
    func theme() {
        var state = self.state(themes: ["default", "nord", "gruvbox"])
        #expect(press(&state, .character("t"), now: .seconds(10)) == .themeChanged(1))
        #expect(state.settings.theme == "nord")
        #expect(state.notice?.text == "theme nord")
        #expect(!expire(&state, now: .seconds(12)))
        #expect(expire(&state, now: .seconds(13)))
        #expect(state.notice == nil)
        #expect(press(&state, .character("t")) == .themeChanged(2))
        #expect(press(&state, .character("t")) == .themeChanged(0))
        #expect(state.settings.theme == "default")
    }

    @Test(
        "trigger alerts: the newest new one with a notice is shown for ten seconds; a bell is due once; old ones are skipped"
    )
    func alerts() {
        var state = self.state()
        func alert(_ sequence: Int, _ target: String, trigger: Trigger) -> TriggerAlert {
            TriggerAlert(
                sequence: sequence,
                time: 0,
                event: .fired,
                subject: TriggerSubject(key: target, name: target, status: .missed, trigger: trigger)
            )
        }
        let first = [alert(1, "a", trigger: Trigger()), alert(2, "b", trigger: Trigger(bell: true))]
        let shown = state.receiveAlerts(first, now: .seconds(1))
        #expect(shown)
        #expect(state.notice?.text == "trigger: 'b' missed (and 1 more)")
        let rings = [state.takeBell(), state.takeBell()]
        #expect(rings == [true, false])
        let again = state.receiveAlerts(first, now: .seconds(2))
        let silent = state.receiveAlerts(
            first + [alert(3, "c", trigger: Trigger(notice: false, command: ["x"]))],
            now: .seconds(2)
        )
        #expect(!again && !silent)
        #expect(state.notice?.text == "trigger: 'b' missed (and 1 more)")
        #expect(!expire(&state, now: .seconds(10)))
        #expect(expire(&state, now: .seconds(11)))
    }

    @Test("t without a theme list only says so")
    func noThemes() {
        var state = self.state()
        #expect(press(&state, .character("t")) == .redraw)
        #expect(state.notice?.text == "no themes")
    }

    @Test("1-6 hide and show panes in layout order; the focus leaves a hidden pane")
    func togglePanes() {
        var state = self.state()
        #expect(state.focused == .builtIn(.caches))
        #expect(press(&state, .character("1")) == .settingsChanged)
        #expect(
            state.settings.visiblePanes == [
                .builtIn(.queues), .builtIn(.latency), .builtIn(.memory), .builtIn(.churn), .builtIn(.tracker),
            ]
        )
        #expect(state.focused == .builtIn(.queues))
        for digit in "23456" {
            _ = state.handle(.character(digit))
        }
        #expect(state.settings.visiblePanes.isEmpty)
        #expect(state.shownPanes.isEmpty)
        #expect(state.focused == nil)
        _ = state.handle(.character("4"))
        _ = state.handle(.character("1"))
        #expect(state.settings.visiblePanes == [.builtIn(.caches), .builtIn(.memory)])
        #expect(state.focused == .builtIn(.memory))
    }

    @Test("the panes of the settings are put in layout order")
    func settingsOrder() {
        let state = DashboardViewState(
            settings: DashboardSettings(visiblePanes: [.builtIn(.tracker), .builtIn(.caches)])
        )
        #expect(state.shownPanes == [.builtIn(.caches), .builtIn(.tracker)])
        #expect(state.focused == .builtIn(.caches))
    }

    @Test("Tab and Shift-Tab move the focus over the visible panes, wrapping")
    func focus() {
        var state = self.state()
        #expect(press(&state, .tab) == .redraw)
        #expect(state.focused == .builtIn(.queues))
        _ = state.handle(.backTab)
        _ = state.handle(.backTab)
        #expect(state.focused == .builtIn(.tracker))
        _ = state.handle(.character("1"))
        _ = state.handle(.tab)
        #expect(state.focused == .builtIn(.queues))
        #expect(state.context(for: .builtIn(.queues)).isFocused)
        #expect(!state.context(for: .builtIn(.tracker)).isFocused)
    }

    @Test(
        "with a layout order, panes follow it, Tab reaches custom panes, and a pane shown again goes back to its place"
    )
    func layoutOrder() {
        var settings = DashboardSettings(visiblePanes: [.builtIn(.caches), .custom("load"), .builtIn(.memory)])
        settings.layout = DashboardSettings.PaneLayout(
            order: [.builtIn(.memory), .custom("load"), .builtIn(.caches)],
            custom: ["load"]
        )
        var state = DashboardViewState(settings: settings)
        #expect(state.shownPanes == [.builtIn(.memory), .custom("load"), .builtIn(.caches)])
        #expect(state.focused == .builtIn(.memory))
        _ = state.handle(.tab)
        #expect(state.focused == .custom("load"))
        #expect(state.context(for: .custom("load")).isFocused)
        _ = state.handle(.character("z"))
        #expect(state.shownPanes == [.custom("load")])
        _ = state.handle(.character("z"))
        _ = state.handle(.character("4"))
        #expect(state.shownPanes == [.custom("load"), .builtIn(.caches)])
        _ = state.handle(.character("4"))
        #expect(state.shownPanes == [.builtIn(.memory), .custom("load"), .builtIn(.caches)])
        _ = state.handle(.character("2"))
        #expect(state.shownPanes.last == .builtIn(.queues), "a pane the order lacks goes last")
    }

    @Test("z zooms the focused pane, Tab moves the zoom, z or Esc go back, hiding it ends the zoom")
    func zoom() {
        var state = self.state()
        #expect(press(&state, .character("z")) == .redraw)
        #expect(state.shownPanes == [.builtIn(.caches)])
        _ = state.handle(.tab)
        #expect(state.shownPanes == [.builtIn(.queues)])
        _ = state.handle(.character("z"))
        #expect(state.shownPanes == DashboardSettings.PaneKind.defaultLayout.map(PaneID.builtIn))
        _ = state.handle(.character("z"))
        #expect(press(&state, .escape) == .redraw)
        #expect(state.zoomed == nil)
        #expect(press(&state, .escape) == .none)
        _ = state.handle(.character("z"))
        _ = state.handle(.character("2"))
        #expect(state.zoomed == nil)
        #expect(
            state.shownPanes == [
                .builtIn(.caches), .builtIn(.latency), .builtIn(.memory), .builtIn(.churn), .builtIn(.tracker),
            ]
        )
    }

    @Test("arrows, j/k, PgUp/PgDn, Home and End scroll the focused pane, clamped to its rows")
    func scroll() {
        var state = self.state(self.model(rows: 20))
        let panes = [(id: PaneID.builtIn(.caches), rect: Rect(row: 1, column: 0, height: 8, width: 40))]
        #expect(press(&state, .up, panes: panes) == .none)
        #expect(press(&state, .down, panes: panes) == .redraw)
        _ = state.handle(.character("j"), panes: panes)
        #expect(state.scrollOffset(of: .builtIn(.caches)) == 2)
        _ = state.handle(.character("k"), panes: panes)
        #expect(state.scrollOffset(of: .builtIn(.caches)) == 1)
        _ = state.handle(.pageDown, panes: panes)
        #expect(state.scrollOffset(of: .builtIn(.caches)) == 6)
        _ = state.handle(.pageUp, panes: panes)
        #expect(state.scrollOffset(of: .builtIn(.caches)) == 1)
        _ = state.handle(.end, panes: panes)
        #expect(state.scrollOffset(of: .builtIn(.caches)) == 19)
        #expect(press(&state, .down, panes: panes) == .none)
        _ = state.handle(.home, panes: panes)
        #expect(state.scrollOffset(of: .builtIn(.caches)) == 0)
        #expect(state.context(for: .builtIn(.caches)).scrollOffset == 0)
        _ = state.handle(.tab)
        #expect(press(&state, .down) == .none)
        #expect(state.scrollOffset(of: .builtIn(.queues)) == 0)
    }

    @Test("a pane's scroll limit stops End and pulls back an offset beyond it")
    func scrollLimits() {
        var state = self.state(self.model(rows: 20))
        _ = state.handle(.end)
        #expect(state.scrollOffset(of: .builtIn(.caches)) == 19)
        #expect(setLimits(&state, [.builtIn(.caches): 14]))
        #expect(state.scrollOffset(of: .builtIn(.caches)) == 14)
        #expect(!setLimits(&state, [.builtIn(.caches): 14]))
        _ = state.handle(.home)
        _ = state.handle(.end)
        #expect(state.scrollOffset(of: .builtIn(.caches)) == 14)
        #expect(press(&state, .up) == .redraw)
        #expect(state.scrollOffset(of: .builtIn(.caches)) == 13)
    }

    @Test("the renderer asks each shown pane for its limit, else uses the row count")
    func rendererLimits() {
        struct Limited: Pane {
            let title = "limited"
            let id = DashboardSettings.PaneID.builtIn(.caches)
            func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {}
            func scrollLimit(model: DashboardModel, contentHeight: Int) -> Int? { 100 - contentHeight }
        }
        // A pane is found by its id, wherever it stands in the list.
        let panes = DashboardRenderer.standardPanes.filter { $0.id != .builtIn(.caches) } + [Limited()]
        let renderer = DashboardRenderer(panes: panes)
        let state = self.state(self.model(rows: 20))
        let limits = renderer.scrollLimits(
            self.model(rows: 20),
            size: TerminalSize(width: 80, height: 24),
            state: state
        )
        #expect(limits[.builtIn(.caches)] == 100 - 6)
        #expect(limits[.builtIn(.latency)] == 0)
        #expect(limits.count == 6)
    }

    @Test("s cycles the tracker's order and passes it to the panes")
    func trackerSort() {
        var state = self.state()
        #expect(state.trackerSort == .status)
        #expect(press(&state, .character("s")) == .redraw)
        #expect(state.context(for: .builtIn(.tracker)).trackerSort == .priority)
        _ = state.handle(.character("s"))
        #expect(state.trackerSort == .due)
        _ = state.handle(.character("s"))
        #expect(state.trackerSort == .status)
    }

    @Test("peaks follow new models and r starts them afresh from the model on screen")
    func peaks() {
        var state = self.state(self.model(timestamp: 1, p95: 3))
        state.receive(self.model(timestamp: 2, p95: 1))
        let key = Peaks.Key.latencyP95(source: "a", name: "op", distribution: "service")
        #expect(state.peaks[key] == 3)
        #expect(press(&state, .character("r")) == .redraw)
        #expect(state.peaks[key] == 1)
        #expect(state.notice?.text == "peaks reset")
        #expect(state.context(for: .builtIn(.latency)).peaks[key] == 1)
    }

    @Test("? and h open the help; any key closes it without doing anything else")
    func help() {
        for opener in [Key.character("?"), .character("h")] {
            var state = self.state()
            #expect(press(&state, opener) == .redraw)
            #expect(state.isHelpShown)
            #expect(press(&state, .character("q")) == .redraw)
            #expect(!state.isHelpShown)
        }
        var state = self.state()
        _ = state.handle(.character("?"))
        #expect(press(&state, .resize) == .redraw)
        #expect(state.isHelpShown)
        #expect(press(&state, .escape) == .redraw)
        #expect(!state.isHelpShown)
    }

    @Test("the wheel scrolls the pane under the pointer and a click focuses it")
    func mouse() {
        var state = self.state(self.model(rows: 20))
        let panes = [
            (id: PaneID.builtIn(.caches), rect: Rect(row: 1, column: 0, height: 10, width: 40)),
            (id: PaneID.builtIn(.queues), rect: Rect(row: 1, column: 40, height: 10, width: 40)),
        ]
        let wheel = MouseEvent(action: .wheelDown, row: 5, column: 10)
        #expect(press(&state, .mouse(wheel), panes: panes) == .redraw)
        #expect(state.scrollOffset(of: .builtIn(.caches)) == DashboardViewState.wheelRows)
        _ = state.handle(.mouse(MouseEvent(action: .wheelUp, row: 5, column: 10)), panes: panes)
        #expect(state.scrollOffset(of: .builtIn(.caches)) == 0)
        #expect(press(&state, .mouse(MouseEvent(action: .click, row: 2, column: 50)), panes: panes) == .redraw)
        #expect(state.focused == .builtIn(.queues))
        #expect(press(&state, .mouse(MouseEvent(action: .click, row: 0, column: 50)), panes: panes) == .none)
    }

    // MARK: - Tracker binding

    /// A model with three tracker targets (the second unbound, the third untracked so not listed) and
    /// the live series the picker offers.
    private func trackerModel() -> DashboardModel {
        var model = DashboardModel(timestamp: 1, interval: 1)
        model.tracker = [
            TrackerTargetView(name: "memory", goal: "< 1GB", status: "met", targetIndex: 0),
            TrackerTargetView(name: "Resolver Lookup", goal: "< 5ms", status: "unbound", targetIndex: 1),
            TrackerTargetView(name: "jobs", goal: "> 1/s", status: "missed", targetIndex: 3),
        ]
        let lookup = MetricSelector(name: "operation_seconds", matchers: [.init(label: "op", value: "resolver.lookup")])
        model.bindableSeries = [
            BindableSeries(selector: MetricSelector(name: "cache_hits_total"), kind: .counter),
            BindableSeries(selector: lookup, kind: .summary),
            BindableSeries(selector: MetricSelector(name: "process_resident_memory_bytes"), kind: .gauge),
        ]
        return model
    }

    @Test("↑/↓ in the focused tracker move its selection in the order shown, which the pane is told")
    func trackerSelection() {
        var state = self.state(self.trackerModel())
        while state.focused != .builtIn(.tracker) {
            _ = state.handle(.tab)
        }
        #expect(state.trackerSelection == nil)
        #expect(press(&state, .down) == .redraw)
        // Sorted by status: missed (jobs, 3), met (memory, 0), unbound (Resolver Lookup, 1).
        #expect(state.trackerSelection == 0)
        _ = state.handle(.down)
        #expect(state.context(for: .builtIn(.tracker)).trackerSelection == 1)
        #expect(press(&state, .down) == .none, "the last row")
        _ = state.handle(.home)
        #expect(state.trackerSelection == 3)
    }

    @Test("b opens the picker on the selected target, ranked by its name; Enter, Enter binds the default statistic")
    func bindFlow() {
        var state = self.state(self.trackerModel())
        #expect(press(&state, .character("b")) == .redraw)
        #expect(state.picker == nil && state.notice?.text.contains("focus the tracker pane") == true)
        while state.focused != .builtIn(.tracker) {
            _ = state.handle(.tab)
        }
        _ = state.handle(.end)
        #expect(state.trackerSelection == 1)
        #expect(press(&state, .character("b")) == .redraw)
        let picker = state.picker
        #expect(picker?.targetName == "Resolver Lookup")
        #expect(picker?.listed.first?.selector.name == "operation_seconds")
        // Keys go to the picker now: q types, it does not quit.
        #expect(press(&state, .character("q")) == .redraw)
        #expect(state.picker?.filter == "q" && state.picker?.listed.isEmpty == true)
        _ = state.handle(.backspace)
        #expect(state.picker?.listed.count == 3)
        #expect(press(&state, .enter) == .redraw)
        #expect(state.picker?.chosen?.selector.name == "operation_seconds")
        #expect(state.picker?.statistics.first == .p95)
        _ = state.handle(.down)
        let outcome = state.handle(.enter)
        #expect(
            outcome
                == .bind(
                    TrackerBinding(
                        targetIndex: 1,
                        targetName: "Resolver Lookup",
                        metric: MetricSelector(
                            name: "operation_seconds",
                            matchers: [.init(label: "op", value: "resolver.lookup")]
                        ),
                        statistic: .p50
                    )
                )
        )
        #expect(state.picker == nil)
        #expect(state.trackerSelection == 1)
    }

    @Test("Esc goes back from the statistics to the series, then closes the picker; a filter narrows the list")
    func pickerEscape() {
        var state = self.state(self.trackerModel())
        while state.focused != .builtIn(.tracker) {
            _ = state.handle(.tab)
        }
        _ = state.handle(.character("b"))
        for character in "mem" {
            _ = state.handle(.character(character))
        }
        #expect(state.picker?.listed.map(\.selector.name) == ["process_resident_memory_bytes"])
        let click = Key.mouse(MouseEvent(action: .click, row: 2, column: 2))
        let panes = [(id: PaneID.builtIn(.caches), rect: Rect(row: 1, column: 0, height: 10, width: 40))]
        #expect(press(&state, click, panes: panes) == .none, "the mouse does nothing while the picker is open")
        #expect(state.focused == .builtIn(.tracker) && state.picker != nil)
        _ = state.handle(.enter)
        #expect(state.picker?.statistics.first == .current)
        _ = state.handle(.escape)
        #expect(state.picker?.chosen == nil && state.picker?.filter == "mem")
        #expect(press(&state, .escape) == .redraw)
        #expect(state.picker == nil)
        #expect(press(&state, .escape) == .none, "Esc with no picker, zoom or fleet changes nothing")
    }

    @Test("b in a replay, or with no live series, says why it cannot bind")
    func bindRefused() {
        var replay = DashboardViewState(isReplay: true)
        replay.receive(self.trackerModel())
        while replay.focused != .builtIn(.tracker) {
            _ = replay.handle(.tab)
        }
        _ = replay.handle(.character("b"))
        #expect(replay.picker == nil && replay.notice?.text == "a replay cannot bind targets")
        var model = self.trackerModel()
        model.bindableSeries = []
        var state = self.state(model)
        while state.focused != .builtIn(.tracker) {
            _ = state.handle(.tab)
        }
        _ = state.handle(.character("b"))
        #expect(state.picker == nil && state.notice?.text == "no live series to bind to yet")
    }
}
