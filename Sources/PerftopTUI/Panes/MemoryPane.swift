import PerfKit
import PerftopCore

/// Memory and CPU of the machine (MemAvailable of MemTotal with a meter, CPU busy share) and the
/// resident memory of every watched process: its size, heap in use where the process reports one,
/// growth in bytes per minute, the peak since the last reset, and a trend.
///
/// The growth is the slope of the least-squares line through every retained resident-size point
/// (``ProcessMemoryView/residentGrowthBytesPerSecond``), i.e. over the window the trend graph
/// shows, shown per minute: a steady leak reads as a steady positive number while one spike barely
/// moves it. The table's trend is scaled to the range of the last pane-width of intervals (at least
/// 10 % of its peak); in a tall pane the rows left hold one resident-size graph per process, over
/// the retained window.
public struct MemoryPane: Pane {
    /// The pane's title.
    public let title = "Memory"
    /// The pane's place in the layout, its toggle key and its config name.
    public let id = DashboardSettings.PaneID.builtIn(.memory)

    /// Creates the pane.
    public init() {}

    /// Draws the system lines, then one row per process or why there are none.
    public func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {
        let memory = model.memory
        self.drawSystemMemory(memory, model: model, into: &canvas)
        self.drawCPU(memory, model: model, into: &canvas)
        canvas.withRegion(Rect(row: 2, column: 0, height: canvas.height - 2, width: canvas.width)) { region in
            guard !memory.processes.isEmpty else {
                NoData.draw(NoData.reason(model, missing: MetricName.processResidentMemory), into: &region)
                return
            }
            self.drawProcesses(memory.processes, model: model, context: context, into: &region)
        }
    }

    // MARK: - Processes

    /// The process table from the scroll offset, then resident-size graphs where there is room.
    private func drawProcesses(
        _ processes: [ProcessMemoryView],
        model: DashboardModel,
        context: PaneContext,
        into canvas: inout Canvas
    ) {
        let graphRows = GraphStack.graphRows(height: canvas.height, tableRows: processes.count + 1)
        let tableHeight = canvas.height - (graphRows > 0 ? graphRows + 1 : 0)
        let visible = Table.visibleRows(total: processes.count, offset: context.scrollOffset, height: tableHeight)
        let showHeap = processes.contains { $0.heapInUseBytes != nil }
        var columns: [Table.Column] = [
            Table.Column(title: "process", minWidth: 7, alignment: .left, priority: 0),
            Table.Column(title: "rss", minWidth: 7, priority: 0),
            Table.Column(title: "growth", minWidth: 12, priority: 2),
            Table.Column(title: "trend", minWidth: 5, isFlexible: true, priority: 1),
        ]
        let showPeak = processes.contains { Self.peak($0, context) != nil }
        if showPeak {
            columns.insert(Table.Column(title: "peak", minWidth: 7, priority: 4), at: 3)
        }
        if showHeap {
            columns.insert(Table.Column(title: "heap", minWidth: 7, priority: 0), at: 2)
        }
        let rows: [[Table.Content]] = processes[visible].map { process in
            // No more slots than the pane is wide: the column shows fewer, scaled to these.
            let history = model.slots(process.residentHistory, count: canvas.width)
            var row: [Table.Content] = [
                .text(model.label(of: process.source), .normal),
                .text(UnitFormat.bytes(process.residentBytes), .value),
                .text(Self.growth(process), Self.growthStyle(process.residentGrowthBytesPerSecond)),
                .sparkline(history, Self.residentScale(history)),
            ]
            if showPeak {
                row.insert(.text(UnitFormat.bytes(Self.peak(process, context)), .dim), at: 3)
            }
            if showHeap {
                row.insert(Self.heap(process), at: 2)
            }
            return row
        }
        let table = Table(columns: columns, rows: rows, totalRows: processes.count, firstRow: visible.lowerBound)
        canvas.withRegion(Rect(row: 0, column: 0, height: tableHeight, width: canvas.width)) { table.draw(into: &$0) }
        guard graphRows > 0 else {
            return
        }
        let entries = processes.map { process in
            var detail = UnitFormat.bytes(process.residentBytes) + " " + Self.growth(process)
            if let peak = Self.peak(process, context) {
                detail += " peak " + UnitFormat.bytes(peak)
            }
            let history = model.slots(process.residentHistory)
            return GraphStack.Entry(
                title: model.label(of: process.source) + " rss",
                detail: detail,
                graph: LineGraph(
                    values: history,
                    interval: model.interval,
                    scale: Self.residentScale(history),
                    format: { UnitFormat.bytes($0) }
                )
            )
        }
        canvas.withRegion(Rect(row: tableHeight + 1, column: 0, height: graphRows, width: canvas.width)) {
            GraphStack(entries: entries, cursor: context.cursor).draw(from: context.scrollOffset, into: &$0)
        }
    }

    /// The resident size's growth per minute, e.g. `+1.20MiB/min`.
    static func growth(_ process: ProcessMemoryView) -> String {
        UnitFormat.growthPerMinute(bytesPerSecond: process.residentGrowthBytesPerSecond)
    }

    /// Warning for growth of a mebibyte a minute or more, plain otherwise.
    static func growthStyle(_ bytesPerSecond: Double?) -> Style {
        (bytesPerSecond ?? 0) * 60 >= 1_048_576 ? .warning : .normal
    }

    /// The highest resident size since the peaks were last reset, or nil when none was seen.
    static func peak(_ process: ProcessMemoryView, _ context: PaneContext) -> Double? {
        context.peaks[.resident(source: process.source)]
    }

    // MARK: - System lines

    /// `mem ███░░ 62.3% avail 5.90GiB/15.6GiB`, dropping the meter and percentage when narrow.
    private func drawSystemMemory(_ memory: MemoryView, model: DashboardModel, into canvas: inout Canvas) {
        canvas.put(row: 0, column: 0, text: "mem", style: .label)
        guard memory.systemTotalBytes != nil || memory.systemAvailableBytes != nil else {
            self.putReason(NoData.reason(model, missing: "MemTotal/MemAvailable"), row: 0, into: &canvas)
            return
        }
        let amounts =
            "avail " + UnitFormat.bytes(memory.systemAvailableBytes) + "/" + UnitFormat.bytes(memory.systemTotalBytes)
        guard let total = memory.systemTotalBytes, let available = memory.systemAvailableBytes, total > 0 else {
            self.putReason(amounts, row: 0, into: &canvas)
            return
        }
        let used = (total - available) / total
        self.putMeter(
            row: 0,
            fraction: used,
            style: Meter.style(forUsedFraction: used),
            texts: [
                (UnitFormat.percent(fraction: used) + " " + amounts, .normal),
                (amounts, .normal),
                (UnitFormat.percent(fraction: used), Meter.style(forUsedFraction: used)),
            ],
            into: &canvas
        )
    }

    /// `cpu ██░░░ 23.1%`, then one bar per core (`▂█▁▃`, each 0–100%) when cores are reported and fit.
    private func drawCPU(_ memory: MemoryView, model: DashboardModel, into canvas: inout Canvas) {
        canvas.put(row: 1, column: 0, text: "cpu", style: .label)
        guard let busy = memory.systemCPUBusyPercent else {
            self.putReason(NoData.reason(model, missing: "CPU time"), row: 1, into: &canvas)
            return
        }
        let style = Meter.style(forUsedFraction: busy / 100)
        let percent = UnitFormat.percent(busy)
        let cores = Sparkline.render(
            memory.perCoreBusyPercent,
            width: memory.perCoreBusyPercent.count,
            scale: .fixed(0...100),
            glyphs: canvas.glyphs
        )
        self.putMeter(
            row: 1,
            fraction: busy / 100,
            style: style,
            texts: cores.isEmpty ? [(percent, style)] : [(percent + " " + cores, style), (percent, style)],
            into: &canvas
        )
    }

    /// A meter after the label and the first of `texts` that leaves the meter six columns;
    /// without room for a meter, only the first text that fits.
    private func putMeter(
        row: Int,
        fraction: Double,
        style: Style,
        texts: [(String, Style)],
        into canvas: inout Canvas
    ) {
        let start = 4
        for (text, textStyle) in texts {
            let meterWidth = canvas.width - start - 1 - text.displayWidth
            if meterWidth >= 6 {
                canvas.put(
                    row: row,
                    column: start,
                    text: Meter.render(fraction: fraction, width: meterWidth, glyphs: canvas.glyphs),
                    style: style
                )
                canvas.putRightAligned(row: row, text: text, style: textStyle)
                return
            }
        }
        self.putReason(texts.last?.0 ?? "", row: row, into: &canvas)
    }

    /// Text after the label, cut to fit.
    private func putReason(_ text: String, row: Int, into canvas: inout Canvas) {
        let shown = text.truncated(toWidth: canvas.width - 4, ellipsis: canvas.glyphs.ellipsis)
        canvas.put(row: row, column: 4, text: shown, style: .dim)
    }

    // MARK: - Trend scale

    /// The series' own range, widened to at least 10 % of its peak so noise stays small.
    static func residentScale(_ history: [Double]) -> Sparkline.Scale {
        let finite = history.filter(\.isFinite)
        guard let high = finite.max(), let low = finite.min(), high > 0 else {
            return .fromZero
        }
        return .fixed(min(low, high * 0.9)...high)
    }

    /// The heap in use, `used/limit` when the process has a limit (Redis' `maxmemory`), as a warning
    /// from 90 % of it.
    static func heap(_ process: ProcessMemoryView) -> Table.Content {
        guard let limit = process.heapLimitBytes, let used = process.heapInUseBytes else {
            return .text(UnitFormat.bytes(process.heapInUseBytes), .normal)
        }
        return .text(UnitFormat.bytes(used) + "/" + UnitFormat.bytes(limit), used / limit >= 0.9 ? .warning : .normal)
    }
}
