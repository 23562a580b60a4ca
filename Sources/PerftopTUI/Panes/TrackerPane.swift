import PerftopCore

/// The optimization tracker: one row per target with its goal and live value side by side, the
/// change from its baseline and its trend, its status in colour, and its priority, owner and due
/// date where the tracker gives them.
///
/// Rows are sorted by ``PaneContext/trackerSort`` (status: missed first; priority: high first; due
/// date: soonest first, undated last), ties kept in tracker order, and scroll with
/// ``PaneContext/scrollOffset``; while the pane has the focus, the selected target
/// (``PaneContext/trackerSelection``, which `b` binds) is marked and kept in view. The change, trend, priority, due and owner columns show only when
/// some target has them, and narrow panes drop them again, owner first.
///
/// Below the table, the advisor's findings (``DashboardModel/advice``), most severe first, each with
/// the numbers it was derived from, word-wrapped; they share the pane with the table, which keeps at
/// least three rows.
public struct TrackerPane: Pane {
    /// The pane's title.
    public let title = "Optimization tracker"
    /// The pane's place in the layout, its toggle key and its config name.
    public let id = DashboardSettings.PaneID.builtIn(.tracker)

    /// The line shown when no tracker is loaded.
    static let notLoaded = "no tracker loaded (--tracker FILE): no optimization targets to show"

    /// Creates the pane.
    public init() {}

    /// Draws one row per target from the scroll offset (or that no tracker is loaded), then the advice.
    public func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {
        let tableHeight = Self.tableHeight(model: model, contentHeight: canvas.height)
        let tableArea = Rect(row: 0, column: 0, height: tableHeight, width: canvas.width)
        canvas.withRegion(tableArea) { self.drawTargets(model: model, context: context, into: &$0) }
        let adviceArea = Rect(row: tableHeight, column: 0, height: canvas.height - tableHeight, width: canvas.width)
        if !model.advice.isEmpty, !adviceArea.isEmpty {
            canvas.withRegion(adviceArea) { Self.drawAdvice(model.advice, model: model, into: &$0) }
        }
    }

    /// How far the table scrolls: to where its last row is at the bottom of its share of the pane.
    public func scrollLimit(model: DashboardModel, contentHeight: Int) -> Int? {
        let height = Self.tableHeight(model: model, contentHeight: contentHeight)
        return Table.visibleRows(total: model.tracker.count, offset: .max, height: height).lowerBound
    }

    /// The rows the table (or the not-loaded line) gets: all it needs when the advice fits below
    /// it, else what the advice leaves, but at least three rows.
    static func tableHeight(model: DashboardModel, contentHeight: Int) -> Int {
        guard !model.advice.isEmpty else {
            return contentHeight
        }
        let wanted = model.tracker.isEmpty ? 2 : model.tracker.count + 1
        let adviceWanted = 1 + 2 * model.advice.count
        return max(0, min(contentHeight, max(min(wanted, 3), min(wanted, contentHeight - adviceWanted))))
    }

    /// The advice under an `advice` title: a severity mark, then the subject, finding, action and
    /// numbers, wrapped; the last row says `… N more` when not every item fits whole. Only the items
    /// up to the first that does not fit are wrapped: a fleet's advice can run to hundreds. Sources
    /// are named as the header names them (``DashboardModel/label(of:)``).
    static func drawAdvice(_ advice: [Advice], model: DashboardModel, into canvas: inout Canvas) {
        canvas.put(row: 0, column: 0, text: "advice", style: .title)
        let space = canvas.height - 1
        var items: [[String]] = []
        var lineCount = 0
        for item in advice where lineCount <= space {
            let subject = item.subject.description(naming: model.label(of: item.subject.source))
            items.append("\(subject): \(item.message)".wrapped(toWidth: max(1, canvas.width - 2)))
            lineCount += items[items.count - 1].count
        }
        let fitsWhole = items.count == advice.count && lineCount <= space
        var row = 1
        for (index, (item, lines)) in zip(advice, items).enumerated() {
            let last = fitsWhole ? space : space - 1
            guard row + lines.count - 1 <= last || (index == 0 && row <= last) else {
                let more = "\(canvas.glyphs.ellipsis) \(advice.count - index) more"
                canvas.put(row: min(row, space), column: 0, text: more, style: .dim)
                return
            }
            canvas.put(row: row, column: 0, text: Self.mark(item.severity), style: Self.severityStyle(item.severity))
            for line in lines where row <= last {
                canvas.put(row: row, column: 2, text: line, style: .normal)
                row += 1
            }
        }
    }

    /// `!` for warnings and worse, `i` for information.
    static func mark(_ severity: AdviceSeverity) -> String {
        severity >= .warning ? "!" : "i"
    }

    /// Red for critical, yellow for warnings, dim for information.
    static func severityStyle(_ severity: AdviceSeverity) -> Style {
        switch severity {
        case .critical: .critical
        case .warning: .warning
        case .info: .dim
        }
    }

    /// The targets table, or the not-loaded line.
    private func drawTargets(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {
        guard !model.tracker.isEmpty else {
            NoData.draw(Self.notLoaded, into: &canvas)
            return
        }
        let targets = Self.sorted(model.tracker, by: context.trackerSort)
        let selected =
            context.isFocused ? (targets.firstIndex { $0.targetIndex == context.trackerSelection } ?? 0) : nil
        var visible = Table.visibleRows(total: targets.count, offset: context.scrollOffset, height: canvas.height)
        if let selected, !visible.isEmpty, !visible.contains(selected) {
            // The advice can leave the table fewer rows than a page: scroll to the selection.
            let offset = selected < visible.lowerBound ? selected : selected - visible.count + 1
            visible = Table.visibleRows(total: targets.count, offset: offset, height: canvas.height)
        }
        typealias Optional = (column: Table.Column, isShown: Bool, cell: (TrackerTargetView) -> Table.Content)
        let optional: [Optional] = [
            (
                Table.Column(title: "change", minWidth: 6, priority: 3),
                targets.contains { $0.change != nil },
                { .text($0.change ?? UnitFormat.missing, .normal) }
            ),
            (
                Table.Column(title: "trend", minWidth: 5, alignment: .left, priority: 4),
                targets.contains { $0.trend != nil },
                { .text(Self.trendText($0.trend), Self.trendStyle($0.trend)) }
            ),
            (
                Table.Column(title: "prio", minWidth: 6, alignment: .left, priority: 5),
                targets.contains { $0.priority != nil },
                { .text($0.priority ?? UnitFormat.missing, .normal) }
            ),
            (
                Table.Column(title: "due", minWidth: 10, alignment: .left, priority: 6),
                targets.contains { $0.due != nil },
                { .text($0.due ?? UnitFormat.missing, .normal) }
            ),
            (
                Table.Column(title: "owner", minWidth: 5, alignment: .left, priority: 7),
                targets.contains { $0.owner != nil },
                { .text($0.owner ?? UnitFormat.missing, .dim) }
            ),
        ]
        let extra = optional.filter(\.isShown)
        let columns: [Table.Column] =
            [
                Table.Column(title: "target", minWidth: 14, isFlexible: true, alignment: .left, priority: 0),
                Table.Column(title: "goal", minWidth: 10, alignment: .left, priority: 1),
                Table.Column(title: "now", minWidth: 7, priority: 0),
                Table.Column(title: "status", minWidth: 8, alignment: .left, priority: 0),
            ] + extra.map(\.column)
        let rows: [[Table.Content]] = visible.map { index in
            let target = targets[index]
            let cells: [Table.Content] =
                [
                    .text((index == selected ? FleetPane.selectionMark : "") + target.name, .normal),
                    .text(target.goal, .dim),
                    .text(target.current ?? UnitFormat.missing, .value),
                    .text(target.status, Self.statusStyle(target.status)),
                ] + extra.map { $0.cell(target) }
            return index == selected ? cells.map(Self.selectedCell) : cells
        }
        Table(columns: columns, rows: rows, totalRows: targets.count, firstRow: visible.lowerBound).draw(into: &canvas)
    }

    /// The targets in the order `sort` asks for; a stable sort, so equal targets keep tracker order.
    static func sorted(_ targets: [TrackerTargetView], by sort: TrackerSort) -> [TrackerTargetView] {
        let indexed = Array(targets.enumerated())
        let ordered: [(offset: Int, element: TrackerTargetView)]
        switch sort {
        case .status:
            ordered = indexed.sorted { ($0.element.statusRank, $0.offset) < ($1.element.statusRank, $1.offset) }
        case .priority:
            ordered = indexed.sorted { ($0.element.priorityRank, $0.offset) < ($1.element.priorityRank, $1.offset) }
        case .due:
            // `YYYY-MM-DD` sorts as text; undated targets go last.
            ordered = indexed.sorted {
                ($0.element.due == nil ? 1 : 0, $0.element.due ?? "", $0.offset)
                    < ($1.element.due == nil ? 1 : 0, $1.element.due ?? "", $1.offset)
            }
        }
        return ordered.map(\.element)
    }

    /// A cell of the selected row: its text in the selection's style.
    static func selectedCell(_ cell: Table.Content) -> Table.Content {
        guard case .text(let text, _) = cell else {
            return cell
        }
        return .text(text, .selected)
    }

    /// Green when met, yellow at risk, red when missed, dim otherwise.
    static func statusStyle(_ status: String) -> Style {
        switch status {
        case "met": .good
        case "at risk": .warning
        case "missed": .critical
        default: .dim
        }
    }

    /// `better` (towards the goal), `worse` or `flat`; a dash without a trend.
    static func trendText(_ trend: TrackerTrendDirection?) -> String {
        switch trend {
        case .improving: "better"
        case .worsening: "worse"
        case .flat: "flat"
        case nil: UnitFormat.missing
        }
    }

    /// Green improving, red worsening, dim otherwise.
    static func trendStyle(_ trend: TrackerTrendDirection?) -> Style {
        switch trend {
        case .improving: .good
        case .worsening: .critical
        case .flat, nil: .dim
        }
    }
}
