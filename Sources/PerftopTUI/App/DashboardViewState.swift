import PerfKit
import PerftopCore

/// Everything the dashboard remembers between frames besides the terminal: the settings, which
/// pane has the focus, how far each pane is scrolled, the zoom, the frozen model, the help
/// overlay, the peaks, the tracker's order, selection and `b` picker, and a short notice.
///
/// A pure value: keys and models go in, what the app must do comes out, so every key is testable
/// without a terminal. Times are the app's monotonic uptime, passed in.
public struct DashboardViewState: Sendable {
    /// What the app must do after a key.
    public enum Outcome: Sendable, Hashable {
        /// Nothing changed.
        case none
        /// Draw again.
        case redraw
        /// End the dashboard.
        case quit
        /// The settings changed (interval or panes): save them, then draw again.
        case settingsChanged
        /// The theme changed to the one at this index of the theme list: apply it, save the
        /// settings, then draw again.
        case themeChanged(Int)
        /// A replay key: move the replay, then draw again.
        case playback(PlaybackAction)
        /// A target was bound in the tracker pane's picker: apply the binding, say how it went,
        /// then draw again.
        case bind(TrackerBinding)
    }

    /// The refresh intervals `+` and `-` step through.
    public static let intervalSteps: [Duration] = [
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
    ]

    /// The farthest back the graph cursor goes, in intervals: a graph never shows more.
    public static let maximumCursorSlots = 10_000

    /// How long a notice (e.g. `theme nord`) stays in the footer.
    public static let noticeLifetime: Duration = .seconds(3)
    /// How long a trigger's notice stays in the footer.
    public static let alertLifetime: Duration = .seconds(10)

    /// The rows a mouse wheel notch scrolls.
    public static let wheelRows = 3

    /// The fleet pane, which takes the focus first and owns the fleet keys.
    private static let fleetPane = DashboardSettings.PaneID.builtIn(.fleet)
    private static let trackerPane = DashboardSettings.PaneID.builtIn(.tracker)

    /// The interval, theme and visible panes.
    public private(set) var settings: DashboardSettings
    /// The pane with the keyboard focus; nil when every pane is hidden.
    public private(set) var focused: DashboardSettings.PaneID?
    /// The pane shown alone over the whole body, or nil.
    public private(set) var zoomed: DashboardSettings.PaneID?
    /// True while the screen keeps showing the model it had when frozen.
    public private(set) var isFrozen = false
    /// While frozen, the graph cursor's place: intervals back from the newest value; nil for none.
    public private(set) var cursor: Int?
    /// True while the help overlay is shown.
    public private(set) var isHelpShown = false
    /// Peak values since the last reset.
    public private(set) var peaks = Peaks()
    /// The tracker's order.
    public private(set) var trackerSort = TrackerSort.status
    /// The fleet pane's order, filter, selection and the source drilled into.
    public private(set) var fleet = FleetViewState()
    /// The tracker target selected (its ``TrackerTargetView/targetIndex``); nil selects the first row.
    public private(set) var trackerSelection: Int?
    /// The `b` picker, while it is open.
    public private(set) var picker: TrackerPickerState?
    /// The model on screen: the newest, or the frozen one; nil before the first.
    public private(set) var model: DashboardModel?
    /// A short message for the footer and when it goes away, e.g. after `t`.
    public private(set) var notice: (text: String, until: Duration)?
    /// Whether a trigger asked for the bell since ``takeBell()`` was last called.
    public private(set) var isBellDue = false
    /// The sequence of the last trigger alert taken (``receiveAlerts(_:now:)``).
    private var lastAlertSequence = 0
    /// The names of the themes `t` cycles through; the first is the one in use at the start.
    public let themeNames: [String]
    /// The index in ``themeNames`` of the theme in use.
    public private(set) var themeIndex = 0
    /// The zoom to go back to when the source drilled into is left (Esc).
    private var zoomBeforeDrill: DashboardSettings.PaneID?
    /// The first table row shown per pane.
    private var scrollOffsets: [DashboardSettings.PaneID: Int] = [:]
    /// The largest useful offset per pane at the current size, from ``setScrollLimits(_:)``.
    private var scrollLimits: [DashboardSettings.PaneID: Int] = [:]

    /// Creates the state for a dashboard starting with `settings`.
    /// - Parameters:
    ///   - settings: The starting interval, theme and panes.
    ///   - themeNames: The theme cycle for `t`, the one in use first; empty disables `t`.
    /// Whether the dashboard shows a replay: its keys (``KeyBindings/replay``) come first.
    public let isReplay: Bool

    /// Creates the view state of a dashboard; `isReplay` for `perftop replay`.
    public init(settings: DashboardSettings = DashboardSettings(), themeNames: [String] = [], isReplay: Bool = false) {
        self.isReplay = isReplay
        var settings = settings
        settings.visiblePanes = settings.layout.ordered(settings.visiblePanes)
        self.settings = settings
        self.themeNames = themeNames
        self.focused = settings.visiblePanes.contains(Self.fleetPane) ? Self.fleetPane : settings.visiblePanes.first
    }

    // MARK: - Reading

    /// The panes to lay out: the zoomed one alone, else every visible one in order; while a fleet
    /// source is drilled into, every visible pane but the fleet's (the default layout if none).
    public var shownPanes: [DashboardSettings.PaneID] {
        if let zoomed = self.zoomed {
            return [zoomed]
        }
        guard self.fleet.drilled != nil else {
            return self.settings.visiblePanes
        }
        let panes = self.settings.visiblePanes.filter { $0 != Self.fleetPane }
        return panes.isEmpty ? DashboardSettings.PaneKind.defaultLayout.map(DashboardSettings.PaneID.builtIn) : panes
    }

    /// What the panes show of `model`: the source drilled into alone, else all of it.
    public func shownModel(_ model: DashboardModel) -> DashboardModel {
        self.fleet.drilled.map { model.only(source: $0) } ?? model
    }

    /// The first table row `pane` shows.
    public func scrollOffset(of pane: DashboardSettings.PaneID) -> Int {
        self.scrollOffsets[pane] ?? 0
    }

    /// The context `pane` is drawn with.
    public func context(for pane: DashboardSettings.PaneID) -> PaneContext {
        PaneContext(
            isFocused: pane == self.focused,
            scrollOffset: self.scrollOffset(of: pane),
            peaks: self.peaks,
            trackerSort: self.trackerSort,
            trackerSelection: self.trackerSelection,
            fleet: self.fleet,
            cursor: pane == self.focused
                ? self.cursor.map { GraphCursor(slotsBack: $0, newest: self.model?.timestamp ?? 0) } : nil
        )
    }

    /// The number of rows `pane`'s table has in `model`: one per cache, processor, operation,
    /// process, churn source, tracker target or custom table row.
    public static func rowCount(of pane: DashboardSettings.PaneID, in model: DashboardModel) -> Int {
        guard case .builtIn(let kind) = pane else {
            return model.customPanes.first { $0.definition.name == pane.name }?.rows.count ?? 0
        }
        return switch kind {
        case .caches: model.caches.count
        case .queues: model.processors.count
        case .latency: model.latencies.count
        case .memory: model.memory.processes.count
        case .churn: model.churn.count
        case .tracker: model.tracker.count
        case .queries: model.queries.reduce(0) { $0 + max(1, $1.statements.count) }
        case .fleet: model.fleet.count
        }
    }

    // MARK: - Models

    /// Takes the newest model: shown and observed into the peaks unless frozen. Cost: a copy, and
    /// the peaks' linear pass when the timestamp is new.
    /// - Returns: True when the model on screen changed.
    @discardableResult
    public mutating func receive(_ latest: DashboardModel) -> Bool {
        guard !self.isFrozen else {
            return false
        }
        if let shown = self.model, latest.timestamp == shown.timestamp {
            // The same round; a replay paused or sped up on it still changes the header.
            guard latest.replay != shown.replay else {
                return false
            }
            self.model?.replay = latest.replay
            return true
        }
        self.model = latest
        self.peaks.observe(latest)
        if let drilled = self.fleet.drilled, !latest.sources.contains(where: { $0.name == drilled }) {
            // The source shown alone is gone (its agent stopped): back to the fleet.
            self.leaveDrill()
        }
        return true
    }

    /// Takes the trigger alerts of the newest model, frozen or not: the newest alert not seen before
    /// that asks for a notice becomes the notice (for ``alertLifetime``), and one asking for the bell
    /// makes ``isBellDue`` true.
    /// - Returns: True when the notice changed (the footer must be drawn again).
    public mutating func receiveAlerts(_ alerts: [TriggerAlert], now: Duration) -> Bool {
        let fresh = alerts.filter { $0.sequence > self.lastAlertSequence }
        guard let newest = fresh.last else {
            return false
        }
        self.lastAlertSequence = newest.sequence
        if fresh.contains(where: \.trigger.bell) {
            self.isBellDue = true
        }
        guard let shown = fresh.last(where: \.trigger.notice) else {
            return false
        }
        let more = fresh.filter(\.trigger.notice).count - 1
        self.show(shown.message + (more > 0 ? " (and \(more) more)" : ""), now: now, lifetime: Self.alertLifetime)
        return true
    }

    /// Whether the bell is due, clearing it: the app rings it once.
    public mutating func takeBell() -> Bool {
        defer { self.isBellDue = false }
        return self.isBellDue
    }

    /// Takes how far each pane can scroll now (see ``DashboardRenderer/scrollLimits(_:size:state:)``)
    /// and pulls back offsets beyond it, e.g. after the terminal grew. Panes without a limit here
    /// are clamped to their row count in the model on screen.
    /// - Returns: True when an offset changed.
    @discardableResult
    public mutating func setScrollLimits(_ limits: [DashboardSettings.PaneID: Int]) -> Bool {
        self.scrollLimits = limits
        var changed = false
        for (pane, offset) in self.scrollOffsets {
            if let limit = limits[pane], offset > limit {
                self.scrollOffsets[pane] = max(0, limit)
                changed = true
            }
        }
        return changed
    }

    /// Clears the notice when its time is up.
    /// - Returns: True when a notice went away (the footer must be drawn again).
    public mutating func expireNotice(now: Duration) -> Bool {
        guard let notice = self.notice, now >= notice.until else {
            return false
        }
        self.notice = nil
        return true
    }

    // MARK: - Keys

    /// Handles a key: closes the help overlay if it is open (any key does, but a resize only
    /// redraws), else gives it to the tracker's picker while that is open (the mouse then does
    /// nothing), else runs the key's binding from ``KeyBindings``; mouse events scroll or focus
    /// the pane under the pointer.
    /// - Parameters:
    ///   - key: The key.
    ///   - panes: Where each shown pane is on screen, for the mouse and page sizes.
    ///   - now: The app's uptime, for the notice's lifetime.
    /// - Returns: What the app must do.
    public mutating func handle(
        _ key: Key,
        panes: [(id: DashboardSettings.PaneID, rect: Rect)] = [],
        now: Duration = .zero
    ) -> Outcome {
        if key == .resize {
            return .redraw
        }
        if self.isHelpShown {
            self.isHelpShown = false
            return .redraw
        }
        if self.picker != nil {
            return self.editPicker(key)
        }
        if case .mouse(let event) = key {
            return self.handle(event, panes: panes)
        }
        if self.fleet.draft != nil {
            return self.editFilter(key)
        }
        // Frozen, the arrows move the cursor, in a replay too (where they otherwise step).
        let takesReplayKeys = self.isReplay && !(self.isFrozen && (key == .left || key == .right))
        guard let action = KeyBindings.action(for: key, replay: takesReplayKeys) else {
            return .none
        }
        let page = panes.first { $0.id == self.focused }.map { max(1, $0.rect.height - 3) } ?? 10
        return self.perform(action, pageRows: page, now: now)
    }

    /// Runs one action.
    /// - Parameters:
    ///   - action: What to do.
    ///   - pageRows: The rows PgUp and PgDn move.
    ///   - now: The app's uptime, for the notice's lifetime.
    /// - Returns: What the app must do.
    public mutating func perform(_ action: DashboardAction, pageRows: Int = 10, now: Duration = .zero) -> Outcome {
        switch action {
        case .quit:
            return .quit
        case .playback(let playback):
            return .playback(playback)
        case .toggleFreeze:
            self.isFrozen.toggle()
            self.cursor = nil
            return .redraw
        case .moveCursor(let older):
            // The first arrow freezes the screen and puts the cursor on the newest value; the next move it.
            guard self.isFrozen, let cursor = self.cursor else {
                self.isFrozen = true
                self.cursor = 0
                return .redraw
            }
            self.cursor = min(max(0, cursor + (older ? 1 : -1)), Self.maximumCursorSlots)
            return .redraw
        case .longerInterval, .shorterInterval:
            return self.stepInterval(longer: action == .longerInterval, now: now)
        case .nextTheme:
            guard self.themeNames.count > 1 else {
                self.show(self.themeNames.isEmpty ? "no themes" : "only one theme", now: now)
                return .redraw
            }
            self.themeIndex = (self.themeIndex + 1) % self.themeNames.count
            self.settings.theme = self.themeNames[self.themeIndex]
            self.show("theme " + self.settings.theme, now: now)
            return .themeChanged(self.themeIndex)
        case .togglePane(let kind):
            self.toggle(.builtIn(kind))
            return .settingsChanged
        case .toggleZoom:
            self.zoomed = self.zoomed == nil ? self.focused : nil
            return .redraw
        case .focusNext, .focusPrevious:
            self.moveFocus(by: action == .focusNext ? 1 : -1)
            return .redraw
        case .scrollUp:
            return self.scroll(by: -1, pageRows: pageRows)
        case .scrollDown:
            return self.scroll(by: 1, pageRows: pageRows)
        case .pageUp:
            return self.scroll(by: -pageRows, pageRows: pageRows)
        case .pageDown:
            return self.scroll(by: pageRows, pageRows: pageRows)
        case .scrollToTop:
            return self.scroll(by: Int.min / 2, pageRows: pageRows)
        case .scrollToBottom:
            return self.scroll(by: Int.max / 2, pageRows: pageRows)
        case .cycleSort:
            if self.focused == Self.fleetPane, self.fleet.drilled == nil {
                self.fleet.sort = self.fleet.sort.next
                self.show("fleet sorted by " + self.fleet.sort.rawValue, now: now)
            } else {
                self.trackerSort = self.trackerSort.next
                self.show("tracker sorted by " + self.trackerSort.rawValue, now: now)
            }
            return .redraw
        case .startFilter:
            guard self.focused == Self.fleetPane, self.fleet.drilled == nil else {
                return .none
            }
            self.fleet.draft = self.fleet.filter
            return .redraw
        case .drillIn:
            return self.drillIn(now: now)
        case .bindTarget:
            return self.openPicker(now: now)
        case .toggleSourceDetail:
            guard self.focused == Self.fleetPane, self.fleet.drilled == nil else {
                return .none
            }
            self.fleet.showsDetail.toggle()
            return .redraw
        case .resetPeaks:
            self.peaks.reset()
            if let model = self.model {
                self.peaks.observe(model)
            }
            self.show("peaks reset", now: now)
            return .redraw
        case .toggleHelp:
            self.isHelpShown = true
            return .redraw
        case .dismiss:
            if self.fleet.drilled != nil {
                self.leaveDrill()
                return .redraw
            }
            if self.focused == Self.fleetPane, !self.fleet.filter.isEmpty {
                self.fleet.filter = ""
                self.fleet.selected = 0
                self.scrollOffsets[Self.fleetPane] = 0
                return .redraw
            }
            guard self.zoomed != nil else {
                return .none
            }
            self.zoomed = nil
            return .redraw
        }
    }

    // MARK: - Tracker

    /// The tracker's rows in the order shown (``trackerSort``).
    private var trackerRows: [TrackerTargetView] {
        self.model.map { TrackerPane.sorted($0.tracker, by: self.trackerSort) } ?? []
    }

    /// `b`: opens the picker for the selected target, when the tracker pane has the focus.
    private mutating func openPicker(now: Duration) -> Outcome {
        guard self.focused == Self.trackerPane else {
            self.show("b binds a tracker target: focus the tracker pane (Tab) first", now: now)
            return .redraw
        }
        guard !self.isReplay else {
            self.show("a replay cannot bind targets", now: now)
            return .redraw
        }
        let rows = self.trackerRows
        guard let target = rows.first(where: { $0.targetIndex == self.trackerSelection }) ?? rows.first,
            let index = target.targetIndex, let model = self.model
        else {
            self.show("no tracker target to bind", now: now)
            return .redraw
        }
        guard !model.bindableSeries.isEmpty else {
            self.show("no live series to bind to yet", now: now)
            return .redraw
        }
        self.picker = TrackerPickerState(targetIndex: index, targetName: target.name, candidates: model.bindableSeries)
        return .redraw
    }

    /// A key while the picker is open: a character filters, Backspace takes one back, the arrows,
    /// PgUp, PgDn, Home and End move, Enter chooses the series and then the statistic, Esc goes back
    /// from the statistics to the series, and from the series closes the picker.
    private mutating func editPicker(_ key: Key) -> Outcome {
        guard var picker = self.picker else {
            return .none
        }
        switch key {
        case .escape:
            guard picker.back() else {
                self.picker = nil
                return .redraw
            }
        case .enter:
            if let binding = picker.choose() {
                self.picker = nil
                self.trackerSelection = binding.targetIndex
                return .bind(binding)
            }
        case .up: picker.move(by: -1)
        case .down: picker.move(by: 1)
        case .pageUp: picker.move(by: -TrackerPickerOverlay.pageRows)
        case .pageDown: picker.move(by: TrackerPickerOverlay.pageRows)
        case .home: picker.move(by: Int.min / 2)
        case .end: picker.move(by: Int.max / 2)
        case .backspace:
            guard picker.deleteBackward() else {
                return .none
            }
        case .character(let character):
            guard picker.type(character) else {
                return .none
            }
        default:
            return .none
        }
        self.picker = picker
        return .redraw
    }

    /// Moves the tracker's selection by `rows` among the rows shown, and scrolls the pane so that
    /// the selection stays within the `pageRows` shown.
    private mutating func moveTrackerSelection(by rows: Int, pageRows: Int) -> Outcome {
        let targets = self.trackerRows
        guard !targets.isEmpty else {
            return .none
        }
        let current = targets.firstIndex { $0.targetIndex == self.trackerSelection } ?? 0
        let next = min(max(0, current.addingReportingOverflow(rows).partialValue), targets.count - 1)
        guard next != current || self.trackerSelection == nil else {
            return .none
        }
        self.trackerSelection = targets[next].targetIndex
        self.keepVisible(row: next, in: Self.trackerPane, pageRows: pageRows)
        return .redraw
    }

    /// Scrolls `pane` so that `row` is within the `pageRows` shown (its header takes one).
    private mutating func keepVisible(row: Int, in pane: DashboardSettings.PaneID, pageRows: Int) {
        let offset = self.scrollOffset(of: pane)
        let shown = max(1, pageRows - 1)
        if row < offset {
            self.scrollOffsets[pane] = row
        } else if row >= offset + shown {
            self.scrollOffsets[pane] = row - shown + 1
        }
    }

    // MARK: - Fleet

    /// A key while the fleet's filter is typed: a character adds to it, Backspace takes the last
    /// one back, Enter keeps it, Esc drops it (and the filter kept before).
    private mutating func editFilter(_ key: Key) -> Outcome {
        var draft = self.fleet.draft ?? ""
        switch key {
        case .enter:
            self.fleet.filter = draft
            self.fleet.draft = nil
        case .escape:
            self.fleet.filter = ""
            self.fleet.draft = nil
        case .backspace:
            guard !draft.isEmpty else {
                return .none
            }
            draft.removeLast()
            self.fleet.draft = draft
        case .character(let character):
            guard !character.unicodeScalars.contains(where: SafeText.isUnsafe),
                draft.count < FleetViewState.maximumFilterLength
            else {
                return .none
            }
            self.fleet.draft = draft + String(character)
        default:
            return .none
        }
        self.fleet.selected = 0
        self.scrollOffsets[Self.fleetPane] = 0
        return .redraw
    }

    /// Back from the source shown alone to the fleet pane, zoomed again if it was.
    private mutating func leaveDrill() {
        self.fleet.drilled = nil
        self.zoomed = self.zoomBeforeDrill
        self.focused =
            self.settings.visiblePanes.contains(Self.fleetPane) ? Self.fleetPane : self.settings.visiblePanes.first
    }

    /// Shows the selected fleet source's panes alone, when the fleet pane has the focus.
    private mutating func drillIn(now: Duration) -> Outcome {
        guard self.focused == Self.fleetPane, self.fleet.drilled == nil, let model = self.model else {
            return .none
        }
        let rows = self.fleet.rows(of: model)
        guard !rows.isEmpty else {
            return .none
        }
        let source = rows[min(self.fleet.selected, rows.count - 1)].source
        self.fleet.drilled = source
        self.zoomBeforeDrill = self.zoomed
        self.zoomed = nil
        self.focused = self.shownPanes.first
        self.show(model.label(of: source) + " alone: Esc for the fleet", now: now)
        return .redraw
    }

    /// Moves the fleet's selection by `rows` within the rows listed, and scrolls the pane so that
    /// the selection stays within the `pageRows` shown.
    private mutating func moveSelection(by rows: Int, pageRows: Int) -> Outcome {
        let count = self.model.map { self.fleet.rows(of: $0).count } ?? 0
        let current = min(self.fleet.selected, max(0, count - 1))
        let next = min(max(0, current.addingReportingOverflow(rows).partialValue), max(0, count - 1))
        guard next != self.fleet.selected else {
            return .none
        }
        self.fleet.selected = next
        self.keepVisible(row: next, in: Self.fleetPane, pageRows: pageRows)
        return .redraw
    }

    // MARK: - Internals

    /// Scrolls or focuses the pane under the pointer.
    private mutating func handle(
        _ event: MouseEvent,
        panes: [(id: DashboardSettings.PaneID, rect: Rect)]
    ) -> Outcome {
        let hit = panes.first { pane in
            (pane.rect.row..<pane.rect.maxRow).contains(event.row)
                && (pane.rect.column..<pane.rect.maxColumn).contains(event.column)
        }
        guard let id = hit?.id else {
            return .none
        }
        switch event.action {
        case .click:
            self.focused = id
            return .redraw
        case .wheelUp:
            return self.scroll(id, by: -Self.wheelRows)
        case .wheelDown:
            return self.scroll(id, by: Self.wheelRows)
        }
    }

    /// Moves the interval to the next step up or down, clamped to the ends of ``intervalSteps``.
    private mutating func stepInterval(longer: Bool, now: Duration) -> Outcome {
        let current = self.settings.interval
        let next = longer ? Self.intervalSteps.first { $0 > current } : Self.intervalSteps.last { $0 < current }
        guard let next else {
            self.show("interval " + HeaderBar.interval(current) + " (limit)", now: now)
            return .redraw
        }
        self.settings.interval = next
        self.show("interval " + HeaderBar.interval(next), now: now)
        return .settingsChanged
    }

    /// Shows or hides a pane; the focus and the zoom leave a pane that is hidden.
    private mutating func toggle(_ kind: DashboardSettings.PaneID) {
        var visible = Set(self.settings.visiblePanes)
        if visible.contains(kind) {
            visible.remove(kind)
        } else {
            visible.insert(kind)
        }
        self.settings.visiblePanes = self.settings.layout.ordered(visible)
        if self.zoomed == kind {
            self.zoomed = nil
        }
        if let focused = self.focused, visible.contains(focused) {
            return
        }
        self.focused = visible.contains(kind) ? kind : self.settings.visiblePanes.first
    }

    /// Moves the focus `step` visible panes on, wrapping; a zoom follows the focus.
    private mutating func moveFocus(by step: Int) {
        let visible = self.settings.visiblePanes
        guard !visible.isEmpty else {
            self.focused = nil
            return
        }
        let index = self.focused.flatMap { visible.firstIndex(of: $0) } ?? 0
        let next = visible[((index + step) % visible.count + visible.count) % visible.count]
        self.focused = next
        if self.zoomed != nil {
            self.zoomed = next
        }
    }

    /// Scrolls the focused pane; in the fleet and tracker panes, moves the selection.
    private mutating func scroll(by rows: Int, pageRows: Int) -> Outcome {
        guard let focused = self.focused else {
            return .none
        }
        if focused == Self.fleetPane {
            return self.moveSelection(by: rows, pageRows: pageRows)
        }
        if focused == Self.trackerPane {
            return self.moveTrackerSelection(by: rows, pageRows: pageRows)
        }
        return self.scroll(focused, by: rows)
    }

    /// Scrolls `pane` by `rows`, clamped to its scroll limit, or to its rows in the model on
    /// screen when it has none.
    private mutating func scroll(_ pane: DashboardSettings.PaneID, by rows: Int) -> Outcome {
        let count = self.model.map { Self.rowCount(of: pane, in: $0) } ?? 0
        let limit = self.scrollLimits[pane] ?? (count - 1)
        let current = self.scrollOffset(of: pane)
        let next = min(max(0, current + rows), max(0, limit))
        guard next != current else {
            return .none
        }
        self.scrollOffsets[pane] = next
        return .redraw
    }

    /// Shows `text` in the footer for ``noticeLifetime``.
    /// Shows `text` in the footer from `now` for `lifetime` (``noticeLifetime`` by default).
    public mutating func show(_ text: String, now: Duration, lifetime: Duration = Self.noticeLifetime) {
        self.notice = (text, now + lifetime)
    }
}
