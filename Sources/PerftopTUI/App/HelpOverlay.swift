/// The help overlay (`?`): every binding of ``KeyBindings/all`` with what it does, in a box
/// centred over the panes. Any key closes it.
///
/// Drawn from the key map itself, so it cannot leave a key out. When the rows are too few the
/// list flows into more columns; summaries too wide for the terminal end in an ellipsis.
enum HelpOverlay {
    /// The overlay's title.
    static let title = "Keys (any key closes)"

    /// The gap between a label and its summary, and between two columns.
    private static let gap = 2

    /// Draws the overlay centred in the canvas; a replay's keys when `isReplay`. Cost: O(bindings).
    static func draw(isReplay: Bool = false, into canvas: inout Canvas) {
        let bindings = isReplay ? KeyBindings.replayHelp : KeyBindings.all
        guard canvas.width >= 12 && canvas.height >= 3 && !bindings.isEmpty else {
            return
        }
        let labelWidth = bindings.map(\.label.displayWidth).max() ?? 0
        let summaryWidth = bindings.map(\.summary.displayWidth).max() ?? 0
        let rowsAvailable = canvas.height - 2
        let columns = (bindings.count + rowsAvailable - 1) / rowsAvailable
        let rows = (bindings.count + columns - 1) / columns
        let naturalColumnWidth = labelWidth + self.gap + summaryWidth
        let innerRoom = canvas.width - 4
        let columnWidth = min(naturalColumnWidth, (innerRoom - (columns - 1) * self.gap) / columns)
        let innerWidth = max(columns * columnWidth + (columns - 1) * self.gap, self.title.displayWidth + 2)
        let box = Rect(
            row: (canvas.height - rows - 2) / 2,
            column: max(0, (canvas.width - innerWidth - 4) / 2),
            height: rows + 2,
            width: min(canvas.width, innerWidth + 4)
        )
        canvas.withRegion(box) { overlay in
            let content = PaneFrame.draw(title: self.title, kind: .box, isFocused: true, into: &overlay)
            let inner = Rect(
                row: content.row,
                column: content.column + 1,
                height: content.height,
                width: content.width - 2
            )
            overlay.withRegion(inner) { list in
                for (index, binding) in bindings.enumerated() {
                    let row = index % rows
                    let column = (index / rows) * (columnWidth + self.gap)
                    let label = binding.label.truncated(toWidth: columnWidth, ellipsis: list.glyphs.ellipsis)
                    list.put(row: row, column: column, text: label, style: .header)
                    let summaryRoom = columnWidth - labelWidth - self.gap
                    guard summaryRoom > 0 else {
                        continue
                    }
                    let summary = binding.summary.truncated(toWidth: summaryRoom, ellipsis: list.glyphs.ellipsis)
                    list.put(row: row, column: column + labelWidth + self.gap, text: summary, style: .normal)
                }
            }
        }
    }
}
