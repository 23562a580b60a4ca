import PerftopCore

/// Allocation churn of every source: a line (wrapped when narrow) naming where the numbers come from (a GC
/// runtime such as `Go runtime (go_memstats)`, exact allocator counters, glibc mallinfo2, or /proc minor
/// faults as a stand-in), then one line per readout: GC collections per second and pauses,
/// allocations, frees and bytes per second, or minor faults per second, and the heap in use with
/// its growth.
public struct ChurnPane: Pane {
    /// The pane's title.
    public let title = "Allocation churn"
    /// The pane's place in the layout, its toggle key and its config name.
    public let id = DashboardSettings.PaneID.builtIn(.churn)

    /// The widest a readout line gets, so values sit next to their names in a wide pane.
    static let readoutWidth = 32

    /// Creates the pane.
    public init() {}

    /// Draws each source's origin and readouts from the scroll offset (clamped so the last page is
    /// full), as many lines as fit with a note of what lies below or above; or why there is nothing.
    public func draw(model: DashboardModel, context: PaneContext, into canvas: inout Canvas) {
        guard !model.churn.isEmpty else {
            NoData.draw(NoData.reason(model, missing: "allocation, heap or page-fault counters"), into: &canvas)
            return
        }
        let showSource = SourceColumn.isNeeded(model.churn.map(\.source))
        let lines = model.churn.flatMap { churn in
            let origin = (showSource ? model.label(of: churn.source) + " from " : "from ") + churn.origin
            return origin.wrapped(toWidth: canvas.width).map(Line.origin) + churn.readouts.map(Line.readout)
        }
        let fits = lines.count <= canvas.height
        let shown = fits ? lines.count : max(0, canvas.height - 1)
        let first = fits ? 0 : min(max(0, context.scrollOffset), lines.count - shown)
        for (row, line) in lines[first..<(first + shown)].enumerated() {
            self.draw(line, row: row, into: &canvas)
        }
        if !fits {
            let below = lines.count - first - shown
            var note =
                below > 0
                ? "\(canvas.glyphs.arrowDown) \(below) more" : "\(canvas.glyphs.arrowUp) \(first) above"
            if first > 0 {
                note += ", lines \(first + 1)-\(first + shown) of \(lines.count)"
            }
            canvas.put(row: shown, column: 0, text: note.truncated(toWidth: canvas.width), style: .dim)
        }
    }

    /// One line of the pane.
    private enum Line {
        /// `source from origin` (the source only when several report churn), or a part of it.
        case origin(String)
        /// `  measure      value`.
        case readout(ChurnReadout)
    }

    private func draw(_ line: Line, row: Int, into canvas: inout Canvas) {
        switch line {
        case .origin(let text):
            canvas.put(row: row, column: 0, text: text, style: .dim)
        case .readout(let readout):
            let value = Self.format(readout)
            let width = min(canvas.width, Self.readoutWidth)
            let nameWidth = max(0, width - value.displayWidth - 1)
            let name = ("  " + readout.measure).truncated(toWidth: nameWidth, ellipsis: canvas.glyphs.ellipsis)
            canvas.put(row: row, column: 0, text: name, style: .normal)
            canvas.putRightAligned(row: row, text: value, style: .value, endColumn: width)
        }
    }

    /// The readout's value in its unit.
    static func format(_ readout: ChurnReadout) -> String {
        switch readout.unit {
        case .perSecond: UnitFormat.rate(readout.value)
        case .bytesPerSecond: UnitFormat.byteRate(readout.value)
        case .bytes: UnitFormat.bytes(readout.value)
        case .seconds: UnitFormat.seconds(readout.value)
        }
    }
}
