import PerftopCore

/// One area of the dashboard: a title and a way to draw a ``DashboardModel`` into a canvas.
///
/// Panes are pure functions of the model: they read nothing else, draw only into the canvas
/// they are given (never to the terminal), and say why when they have nothing to show.
public protocol Pane: Sendable {
    /// The title shown in the pane's frame.
    var title: String { get }

    /// Which pane this is: a built-in pane (its place in the default layout, its toggle key and its
    /// config name) or a custom one (its `[[pane]]` name).
    var id: DashboardSettings.PaneID { get }

    /// Draws the pane's content (without its frame) into the whole canvas.
    ///
    /// Called once per frame on the UI thread; should cost O(rows shown).
    func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas)

    /// The largest ``PaneContext/scrollOffset`` that still moves the pane's table when its
    /// content area (inside the frame) has `contentHeight` rows: 0 when every row fits. Keys
    /// and the wheel never scroll past it, so scrolling back up moves the table at once.
    ///
    /// The default, nil, lets the app clamp to the model's row count alone (one row per cache,
    /// processor, …). Cost: O(1) or O(rows); called once per frame per shown pane.
    func scrollLimit(model: DashboardModel, contentHeight: Int) -> Int?
}

extension Pane {
    /// No limit of the pane's own: the app clamps to the model's row count.
    public func scrollLimit(model: DashboardModel, contentHeight: Int) -> Int? {
        nil
    }
}

extension Pane {
    /// Draws the frame with the title (highlighted when `context` says the pane has the focus,
    /// else in `border`) and then the content inside it; clears the canvas first unless `isBlank`
    /// says it is blank already (``PaneFrame/draw(title:kind:isFocused:border:into:isBlank:)``).
    public func drawFramed(
        model: DashboardModel,
        context: PaneContext = PaneContext(),
        into canvas: inout Canvas,
        frame: PaneFrame.Kind = .box,
        border: Style = .border,
        isBlank: Bool = false
    ) {
        let content = PaneFrame.draw(
            title: self.title,
            kind: frame,
            isFocused: context.isFocused,
            border: border,
            into: &canvas,
            isBlank: isBlank
        )
        guard !content.isEmpty else {
            return
        }
        canvas.withRegion(content) { self.draw(model: model, context: context, into: &$0) }
    }
}

// MARK: - No data

/// The honest line a pane shows instead of numbers it does not have.
enum NoData {
    /// Why a pane has nothing to show: no sources, none polled yet, all down, or none reporting
    /// `missing` (e.g. `cache_* metrics`).
    static func reason(_ model: DashboardModel, missing: String) -> String {
        if model.sources.isEmpty {
            return "no data: no sources configured"
        }
        let answering = model.sources.contains { source in
            switch source.state {
            case .ok, .stale: return true
            case .pending, .down: return false
            }
        }
        if !answering {
            let waiting = model.sources.contains { $0.state == .pending }
            return waiting ? "no data yet: waiting for the first poll" : "no data: every source is down"
        }
        return "no data: no source reports \(missing)"
    }

    /// Draws `text` word-wrapped in the dim style from `row`.
    /// - Returns: The number of rows used.
    @discardableResult
    static func draw(_ text: String, row: Int = 0, into canvas: inout Canvas) -> Int {
        let lines = text.wrapped(toWidth: canvas.width)
        for (offset, line) in lines.enumerated() {
            canvas.put(row: row + offset, column: 0, text: line, style: .dim)
        }
        return lines.count
    }
}

// MARK: - Sources

/// Helpers for panes whose rows come from several sources.
enum SourceColumn {
    /// True when the rows come from more than one source, so each row must name its source.
    static func isNeeded(_ sources: some Sequence<String>) -> Bool {
        var first: String?
        for source in sources {
            if let first, first != source {
                return true
            }
            first = source
        }
        return false
    }

    /// The widest a source column needs to be before it is cut: `demo[123456]` and a little more.
    static let maximumWidth = 14

    /// The `source` column of a table whose rows come from several sources: as wide as the longest
    /// of `labels` (up to ``maximumWidth``), so that no label loses what tells it from the others
    /// (an agent's pid) while a less important column can go instead, and kept before all but the
    /// columns of priority 0.
    static func column(labels: some Sequence<String>) -> Table.Column {
        let widest = labels.reduce(6) { max($0, $1.displayWidth) }
        return Table.Column(title: "source", minWidth: min(widest, Self.maximumWidth), alignment: .left, priority: 1)
    }
}
