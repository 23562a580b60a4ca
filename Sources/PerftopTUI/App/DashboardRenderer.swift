import PerftopCore

/// Draws a whole dashboard frame — header, panes, footer — for a model at a terminal size,
/// headless, into a ``CellGrid``.
///
/// This is everything ``DashboardApp`` shows, without the terminal: tests and snapshot tools use
/// it directly. Cost: O(width × height) per frame, no I/O.
public struct DashboardRenderer: Sendable {
    /// The panes, in layout order (left to right, top to bottom).
    public let panes: [any Pane]

    /// The six standard panes: caches, queues, latency, memory, allocation churn, tracker.
    public static let standardPanes: [any Pane] = [
        CachePane(), QueuePane(), LatencyPane(), MemoryPane(), ChurnPane(), TrackerPane(),
    ]

    /// Creates a renderer for the given panes.
    public init(panes: [any Pane] = DashboardRenderer.standardPanes) {
        self.panes = panes
    }

    /// Renders one frame.
    /// - Parameters:
    ///   - model: What to show.
    ///   - size: The terminal size; the grid has exactly this size.
    ///   - glyphs: Unicode, or ASCII for terminals without a UTF-8 locale.
    /// - Returns: The frame.
    public func render(_ model: DashboardModel, size: TerminalSize, glyphs: Glyphs = .unicode) -> CellGrid {
        var grid = CellGrid(rows: size.height, columns: size.width)
        let layout = DashboardLayout(width: size.width, height: size.height, paneCount: self.panes.count)
        guard layout.arrangement != .tooSmall else {
            grid.withCanvas(grid.bounds, glyphs: glyphs) { Self.drawTooSmall(into: &$0) }
            return grid
        }
        grid.withCanvas(layout.header, glyphs: glyphs) { HeaderBar.draw(model: model, into: &$0) }
        for (pane, rect) in zip(self.panes, layout.panes) {
            grid.withCanvas(rect, glyphs: glyphs) { pane.drawFramed(model: model, into: &$0, frame: layout.frame) }
        }
        grid.withCanvas(layout.footer, glyphs: glyphs) { FooterBar.draw(into: &$0) }
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
