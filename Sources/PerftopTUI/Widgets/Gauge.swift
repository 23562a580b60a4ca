/// A labelled gauge on one row: `fill ██████▍░░░░ 79.3% 812/1.02k`, the bar in the gradient
/// style of how full it is, giving way to the text alone when the row is narrow.
public enum Gauge {
    /// The narrowest bar worth drawing.
    public static let minimumBarWidth = 4

    /// Draws `label`, a bar for `fraction` and `text` on one row of the canvas.
    ///
    /// The label sits at the left, the text at the right edge, and the bar takes the columns
    /// between them; below ``minimumBarWidth`` columns (or without a fraction) only label and text
    /// are drawn, the text cut to fit. Cost: O(width).
    /// - Parameters:
    ///   - row: The canvas row.
    ///   - label: What is measured, e.g. `fill`; may be empty.
    ///   - fraction: How full, from 0 to 1 (clamped); nil draws no bar.
    ///   - text: The value, e.g. `79.3% 812/1.02k`.
    ///   - canvas: Where to draw.
    public static func draw(row: Int, label: String, fraction: Double?, text: String, into canvas: inout Canvas) {
        let textStart = label.isEmpty ? 0 : label.displayWidth + 1
        if !label.isEmpty {
            canvas.put(row: row, column: 0, text: label, style: .label)
        }
        let barWidth = canvas.width - textStart - text.displayWidth - 1
        guard let fraction, barWidth >= Self.minimumBarWidth else {
            let shown = text.truncated(toWidth: max(0, canvas.width - textStart), ellipsis: canvas.glyphs.ellipsis)
            canvas.put(row: row, column: textStart, text: shown, style: .normal)
            return
        }
        let bar = Meter.render(fraction: fraction, width: barWidth, glyphs: canvas.glyphs)
        canvas.put(row: row, column: textStart, text: bar, style: Self.style(forFraction: fraction))
        canvas.putRightAligned(row: row, text: text, style: .normal)
    }

    /// The gradient third a fraction falls in: low below 1/3, medium below 2/3, high above.
    public static func style(forFraction fraction: Double) -> Style {
        guard fraction.isFinite else {
            return .graph
        }
        if fraction >= 2.0 / 3 {
            return .graphHigh
        }
        return fraction >= 1.0 / 3 ? .graphMedium : .graphLow
    }
}
