import PerfKit
import PerftopCore

/// The tracker pane's `b` picker (``TrackerPickerState``), in a box centred over the panes: first the
/// live series ranked by how well they match the target's name, under the filter typed, with each
/// series' kind; after Enter, the statistics that can read the chosen series, the default first.
///
/// The list scrolls to keep the selection in view; selectors too wide end in an ellipsis, and label
/// values are escaped (``SafeText``), so a source's text never reaches the terminal raw.
enum TrackerPickerOverlay {
    /// The rows PgUp and PgDn move the selection.
    static let pageRows = 10
    /// The narrowest box drawn.
    private static let minimumWidth = 24

    /// Draws the picker centred in the canvas. Cost: O(rows shown).
    static func draw(_ picker: TrackerPickerState, into canvas: inout Canvas) {
        guard canvas.width >= Self.minimumWidth && canvas.height >= 5 else {
            return
        }
        let lines: [(text: String, detail: String)]
        if let chosen = picker.chosen {
            lines = picker.statistics.enumerated().map { index, statistic in
                (statistic.rawValue, index == 0 ? "default for a \(chosen.kind.rawValue)" : "")
            }
        } else {
            lines = picker.listed.map { (SafeText.escaped($0.selector.description), $0.kind.rawValue) }
        }
        let natural = (lines.map { $0.text.displayWidth + $0.detail.displayWidth + 5 }.max() ?? 0) + 2
        let width = min(canvas.width, max(60, natural))
        let listRows = max(1, min(lines.count, canvas.height - 5))
        let box = Rect(
            row: max(0, (canvas.height - listRows - 4) / 2),
            column: max(0, (canvas.width - width) / 2),
            height: listRows + 4,
            width: width
        )
        let title = "Bind '" + SafeText.escaped(picker.targetName) + "'"
        canvas.withRegion(box) { overlay in
            let content = PaneFrame.draw(title: title, kind: .box, isFocused: true, into: &overlay)
            let inner = Rect(
                row: content.row,
                column: content.column + 1,
                height: content.height,
                width: content.width - 2
            )
            overlay.withRegion(inner) { Self.drawContent(picker, lines: lines, listRows: listRows, into: &$0) }
        }
    }

    /// The first line (the filter, or the series chosen), the list and the hint line.
    private static func drawContent(
        _ picker: TrackerPickerState,
        lines: [(text: String, detail: String)],
        listRows: Int,
        into canvas: inout Canvas
    ) {
        let ellipsis = canvas.glyphs.ellipsis
        if let chosen = picker.chosen {
            let series = SafeText.escaped(chosen.selector.description)
            canvas.put(
                row: 0,
                column: 0,
                text: series.truncated(toWidth: canvas.width, ellipsis: ellipsis),
                style: .header
            )
        } else {
            let count = "\(picker.listed.count) of \(picker.candidates.count) series"
            canvas.putRightAligned(row: 0, text: count, style: .dim)
            let filter = "filter: " + SafeText.escaped(picker.filter) + "_"
            let room = max(0, canvas.width - count.displayWidth - 1)
            canvas.put(row: 0, column: 0, text: filter.truncated(toWidth: room, ellipsis: ellipsis), style: .warning)
        }
        if lines.isEmpty {
            canvas.put(row: 1, column: 2, text: "no series matches the filter", style: .dim)
        }
        let first = min(max(0, picker.selected - listRows + 1), max(0, lines.count - listRows))
        for (row, index) in (first..<min(lines.count, first + listRows)).enumerated() {
            let isSelected = index == picker.selected
            let line = lines[index]
            let style: Style = isSelected ? .selected : .normal
            if isSelected {
                canvas.fill(Rect(row: 1 + row, column: 0, height: 1, width: canvas.width), style: .selected)
            }
            let detailWidth = line.detail.displayWidth
            canvas.putRightAligned(row: 1 + row, text: line.detail, style: isSelected ? .selected : .dim)
            let room = max(0, canvas.width - 2 - (detailWidth > 0 ? detailWidth + 1 : 0))
            let text = (isSelected ? "> " : "  ") + line.text.truncated(toWidth: room, ellipsis: ellipsis)
            canvas.put(row: 1 + row, column: 0, text: text, style: style)
        }
        let arrows = "\(canvas.glyphs.arrowUp)\(canvas.glyphs.arrowDown)"
        let hint =
            picker.chosen == nil
            ? "type to filter  \(arrows) select  Enter choose  Esc cancel" : "\(arrows) select  Enter bind  Esc back"
        canvas.put(
            row: listRows + 1,
            column: 0,
            text: hint.truncated(toWidth: canvas.width, ellipsis: ellipsis),
            style: .dim
        )
    }
}
