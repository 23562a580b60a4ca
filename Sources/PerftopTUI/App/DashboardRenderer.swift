import PerftopCore

/// Draws a whole dashboard frame — header, panes, footer, help overlay — for a model at a
/// terminal size, headless, into a ``CellGrid``.
///
/// This is everything ``DashboardApp`` shows, without the terminal: tests and snapshot tools use
/// it directly. Cost: O(width × height) per frame, no I/O.
public struct DashboardRenderer: Sendable {
    /// The built-in panes, each knowing its ``Pane/id``; laid out in the order of the settings'
    /// ``DashboardSettings/PaneLayout`` (left to right, top to bottom), whatever their order here;
    /// without a view state, the panes of ``DashboardSettings/PaneKind/defaultLayout``. Custom panes
    /// are made from the model (``CustomPane``).
    public let panes: [any Pane]

    /// The standard panes: caches, queues, latency, memory, allocation churn, tracker, queries, fleet.
    public static let standardPanes: [any Pane] = [
        CachePane(), QueuePane(), LatencyPane(), MemoryPane(), ChurnPane(), TrackerPane(), QueriesPane(), FleetPane(),
    ]

    /// Whether the renderer can draw `pane`: a built-in pane it has, or any custom pane.
    func has(_ pane: DashboardSettings.PaneID) -> Bool {
        pane.kind == nil || self.panes.contains { $0.id == pane }
    }

    /// The pane of `id` drawing `model`, if the renderer has one.
    func pane(_ id: DashboardSettings.PaneID, model: DashboardModel) -> (any Pane)? {
        switch id {
        case .builtIn: self.panes.first { $0.id == id }
        case .custom(let name): CustomPane(name: name, model: model)
        }
    }

    /// The line shown in the body when every pane is hidden.
    public static let allHiddenHint = "every pane is hidden: press \(DashboardSettings.PaneKind.toggleKeys) to show one"

    /// Creates a renderer for the given panes.
    public init(panes: [any Pane] = DashboardRenderer.standardPanes) {
        self.panes = panes
    }

    /// Where the shown panes go at `size`: each pane with its rectangle, in layout order;
    /// empty when the terminal is too small or every pane is hidden.
    /// - Parameters:
    ///   - size: The terminal size.
    ///   - state: The view state: visible panes, their layout and zoom; the default layout when nil.
    public func placement(
        size: TerminalSize,
        state: DashboardViewState? = nil
    ) -> (layout: DashboardLayout, panes: [(id: DashboardSettings.PaneID, rect: Rect)]) {
        let defaults = DashboardSettings.PaneKind.defaultLayout.map(DashboardSettings.PaneID.builtIn)
        let ids = (state?.shownPanes ?? defaults).filter(self.has)
        let paneLayout = state?.settings.layout
        let layout = DashboardLayout(
            width: size.width,
            height: size.height,
            paneCount: ids.count,
            columns: paneLayout?.columns,
            sizes: paneLayout.map { layout in ids.map(layout.size(of:)) }
        )
        return (layout, Array(zip(ids, layout.panes)).map { (id: $0.0, rect: $0.1) })
    }

    /// How far each shown pane can scroll at `size`: the pane's own
    /// ``Pane/scrollLimit(model:contentHeight:)``, or the model's row count less one when the
    /// pane has none. Cost: one call per shown pane.
    /// - Parameters:
    ///   - model: The model on screen.
    ///   - size: The terminal size.
    ///   - state: The view state: visible panes and zoom.
    public func scrollLimits(
        _ model: DashboardModel,
        size: TerminalSize,
        state: DashboardViewState
    ) -> [DashboardSettings.PaneID: Int] {
        let model = state.shownModel(model)
        let (layout, placed) = self.placement(size: size, state: state)
        var limits: [DashboardSettings.PaneID: Int] = [:]
        for (id, rect) in placed {
            guard let pane = self.pane(id, model: model) else {
                continue
            }
            let contentHeight = rect.height - (layout.frame == .box ? 2 : 1)
            let rows = DashboardViewState.rowCount(of: id, in: model)
            let limit = pane.scrollLimit(model: model, contentHeight: contentHeight) ?? (rows - 1)
            limits[id] = max(0, limit)
        }
        return limits
    }

    /// Renders one frame.
    /// - Parameters:
    ///   - model: What to show (the app passes the frozen model while frozen).
    ///   - size: The terminal size; the grid has exactly this size.
    ///   - glyphs: Unicode, or ASCII for terminals without a UTF-8 locale.
    ///   - state: The interactive state — visible panes, zoom, focus, scrolling, peaks, frozen,
    ///     interval, notice, the tracker's picker, help overlay; nil draws every pane unfocused, as a snapshot.
    /// - Returns: The frame.
    public func render(
        _ model: DashboardModel,
        size: TerminalSize,
        glyphs: Glyphs = .unicode,
        state: DashboardViewState? = nil
    ) -> CellGrid {
        var grid = CellGrid(rows: size.height, columns: size.width)
        let model = state?.shownModel(model) ?? model
        let (layout, placed) = self.placement(size: size, state: state)
        guard layout.arrangement != .tooSmall else {
            grid.withCanvas(grid.bounds, glyphs: glyphs) { Self.drawTooSmall(into: &$0) }
            return grid
        }
        grid.withCanvas(layout.header, glyphs: glyphs) { canvas in
            HeaderBar.draw(
                model: model,
                // A replay's interval is the record's, in its model.
                interval: state?.isReplay == true ? nil : state?.settings.interval,
                isFrozen: state?.isFrozen ?? false,
                into: &canvas
            )
        }
        for (id, rect) in placed {
            guard let pane = self.pane(id, model: model) else {
                continue
            }
            let context = state?.context(for: id) ?? PaneContext()
            grid.withCanvas(rect, glyphs: glyphs) { canvas in
                pane.drawFramed(
                    model: model,
                    context: context,
                    into: &canvas,
                    frame: layout.frame,
                    border: id.kind.map(Style.border(for:)) ?? .border,
                    // The grid is new and the panes do not overlap: nothing to clear.
                    isBlank: true
                )
            }
        }
        if layout.arrangement == .noPanes {
            grid.withCanvas(layout.body, glyphs: glyphs) { canvas in
                let hint = Self.allHiddenHint.truncated(toWidth: canvas.width, ellipsis: canvas.glyphs.ellipsis)
                canvas.put(
                    row: canvas.height / 2,
                    column: max(0, (canvas.width - hint.displayWidth) / 2),
                    text: hint,
                    style: .dim
                )
            }
        }
        grid.withCanvas(layout.footer, glyphs: glyphs) { canvas in
            FooterBar.draw(
                isFrozen: state?.isFrozen ?? false,
                notice: state?.notice?.text,
                isReplay: state?.isReplay ?? false,
                into: &canvas
            )
        }
        if let picker = state?.picker {
            grid.withCanvas(layout.body, glyphs: glyphs) { TrackerPickerOverlay.draw(picker, into: &$0) }
        }
        if state?.isHelpShown == true {
            grid.withCanvas(layout.body, glyphs: glyphs) {
                HelpOverlay.draw(isReplay: state?.isReplay ?? false, into: &$0)
            }
        }
        return grid
    }

    /// The too-small message, word-wrapped and centered, with the quit hint below it.
    private static func drawTooSmall(into canvas: inout Canvas) {
        let message = DashboardLayout.tooSmallMessage(width: canvas.width, height: canvas.height)
        let lines = message.wrapped(toWidth: canvas.width) + ["", "q quit"]
        let top = max(0, (canvas.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let column = max(0, (canvas.width - line.displayWidth) / 2)
            canvas.put(row: top + offset, column: column, text: line, style: offset < lines.count - 2 ? .warning : .dim)
        }
    }
}
