import PerfKit
import PerftopCore

/// One row per source, to compare a fleet of services on one screen: its state, cache hit ratio and
/// lookups per second, worst p95, queue depth, refusals per second, resident memory, heap growth
/// and CPU (``FleetRow``); the fleet's own row on top (hit ratio as Σhits / Σlookups, the worst p95,
/// the rest summed).
///
/// `s` sorts by the next column (worst first), `/` filters by name, ↑ ↓ select a row, Enter
/// shows that source's panes alone and `i` shows under the table where its values come from (its
/// name, state and query) (``FleetViewState``); the sort column is marked in the header.
public struct FleetPane: Pane {
    /// The pane's title.
    public let title = "Fleet"
    /// The pane's place in the layout, its toggle key and its config name.
    public let id = DashboardSettings.PaneID.builtIn(.fleet)

    /// The mark before the selected row's name.
    static let selectionMark = "> "

    /// Creates the pane.
    public init() {}

    /// Draws the filter line when a filter is in force, then the table: the fleet's row, then the
    /// sources from the scroll offset, the selected one marked while the pane has the focus.
    public func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {
        guard !model.fleet.isEmpty else {
            NoData.draw(NoData.reason(model, missing: "sources"), into: &canvas)
            return
        }
        let fleet = context.fleet
        var top = 0
        if !fleet.activeFilter.isEmpty || fleet.draft != nil {
            let cursor = fleet.draft != nil ? "_" : ""
            canvas.put(
                row: 0,
                column: 0,
                text: "filter: " + SafeText.escaped(fleet.activeFilter) + cursor,
                style: .warning
            )
            top = 1
        }
        let rows = fleet.rows(of: model)
        var height = canvas.height - top
        if fleet.showsDetail, !rows.isEmpty {
            let source = rows[min(fleet.selected, rows.count - 1)].source
            let lines = Self.detail(of: source, model: model, width: canvas.width).prefix(max(0, height - 2))
            height -= lines.count
            for (index, line) in lines.enumerated() {
                canvas.put(row: top + height + index, column: 0, text: line, style: .dim)
            }
        }
        // The fleet's row takes one line of the table's height, so the sources get one less.
        let visible = Table.visibleRows(total: rows.count, offset: context.scrollOffset, height: height - 1)
        let selected = context.isFocused ? min(fleet.selected, rows.count - 1) : -1
        let warned = Set(model.sources.lazy.filter { $0.warning != nil }.map(\.name))
        var tableRows = [self.cells(FleetRow.total(of: rows), label: "fleet (\(rows.count))", isTotal: true)]
        for index in visible {
            let mark = index == selected ? Self.selectionMark : ""
            tableRows.append(
                self.cells(
                    rows[index],
                    label: mark + model.label(of: rows[index].source),
                    isSelected: index == selected,
                    isWarned: warned.contains(rows[index].source)
                )
            )
        }
        let table = Table(
            columns: Self.columns(sortedBy: fleet.sort, mark: canvas.glyphs.arrowDown),
            rows: tableRows,
            totalRows: rows.count + 1,
            firstRow: visible.lowerBound
        )
        canvas.withRegion(Rect(row: top, column: 0, height: height, width: canvas.width)) { table.draw(into: &$0) }
    }

    /// How far the sources scroll: to where the last is on the last line.
    public func scrollLimit(model: DashboardModel, contentHeight: Int) -> Int? {
        Table.visibleRows(total: model.fleet.count, offset: .max, height: contentHeight - 1).lowerBound
    }

    /// The columns, the one sorted by marked with `mark` (`↓`, or `v` in ASCII: every order is worst
    /// first).
    static func columns(sortedBy sort: FleetSort, mark: Character) -> [Table.Column] {
        let columns: [(FleetSort, Table.Column)] = [
            (.source, Table.Column(title: "source", minWidth: 12, alignment: .left, priority: 0)),
            (.state, Table.Column(title: "state", minWidth: 5, alignment: .left, priority: 1)),
            (.hit, Table.Column(title: "hit", minWidth: 6, priority: 0)),
            (.requests, Table.Column(title: "req/s", minWidth: 7, priority: 2)),
            (.p95, Table.Column(title: "p95", minWidth: 7, priority: 1)),
            (.queue, Table.Column(title: "queue", minWidth: 5, priority: 3)),
            (.rejections, Table.Column(title: "rej/s", minWidth: 6, priority: 4)),
            (.resident, Table.Column(title: "rss", minWidth: 8, priority: 3)),
            (.heap, Table.Column(title: "heap/s", minWidth: 9, priority: 6)),
            (.cpu, Table.Column(title: "cpu", minWidth: 6, priority: 5)),
        ]
        return columns.map { kind, column in
            var column = column
            if kind == sort {
                column.title.append(mark)
            }
            return column
        }
    }

    /// One row's cells; the fleet's p95 is the worst source's, so it says `max`; an ok source that
    /// warned (e.g. a Prometheus query's `warnings`; `i` shows it) is `warn`.
    private func cells(
        _ row: FleetRow,
        label: String,
        isTotal: Bool = false,
        isSelected: Bool = false,
        isWarned: Bool = false
    ) -> [Table.Content] {
        let style: (Style) -> Style = { isSelected ? .selected : $0 }
        let p95 = UnitFormat.seconds(row.worstP95)
        let warned = isWarned && row.state == .ok
        return [
            .text(label, style(isTotal ? .title : .normal)),
            .text(warned ? "warn" : Self.state(row.state), style(warned ? .warning : Self.stateStyle(row.state))),
            .text(UnitFormat.percent(fraction: row.hitRate), style(CachePane.hitRateStyle(row.hitRate))),
            .text(UnitFormat.rate(row.requestsPerSecond), style(.normal)),
            .text(isTotal && row.worstP95 != nil ? "max " + p95 : p95, style(.normal)),
            .text(UnitFormat.count(row.queueDepth), style(.normal)),
            .text(UnitFormat.rate(row.rejectedPerSecond), style(QueuePane.alarm(row.rejectedPerSecond, .warning))),
            .text(UnitFormat.bytes(row.residentBytes), style(.normal)),
            .text(UnitFormat.byteRate(row.heapGrowthBytesPerSecond), style(.normal)),
            .text(UnitFormat.percent(row.cpuPercent), style(.normal)),
        ]
    }

    /// The most lines the selected source's detail (`i`) takes under the table.
    static let maximumDetailLines = 4

    /// Where `source`'s values come from, wrapped to `width` in at most ``maximumDetailLines`` lines:
    /// its name and state (with the reason, or the warning of an ok source), then its query if it has
    /// one. Everything from outside is escaped.
    static func detail(of source: String, model: DashboardModel, width: Int) -> [String] {
        guard let status = model.sources.first(where: { $0.name == source }) else {
            return []
        }
        var text = SafeText.escaped(status.name) + ": " + status.state.description
        if let warning = status.warning {
            text += " (warning: " + warning + ")"
        }
        var lines = text.wrapped(toWidth: width)
        if let query = status.query {
            // A hanging indent: a query is mostly one long word, which would wrap away from its label.
            let label = "query: "
            let wrapped = SafeText.escaped(query).wrapped(toWidth: max(1, width - label.count))
            lines += wrapped.enumerated().map {
                ($0.offset == 0 ? label : String(repeating: " ", count: label.count)) + $0.element
            }
        }
        return Array(lines.prefix(Self.maximumDetailLines))
    }

    /// `ok`, `stale`, `down`, `wait`: one word, the reason being in the header and the source's panes.
    static func state(_ state: SourceState) -> String {
        switch state {
        case .ok: "ok"
        case .pending: "wait"
        case .stale: "stale"
        case .down: "down"
        }
    }

    /// The state's colour, as the header shows it.
    static func stateStyle(_ state: SourceState) -> Style {
        HeaderBar.state(state).style
    }
}
