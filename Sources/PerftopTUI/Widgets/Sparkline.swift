/// A one-row trend graph: one bar per value, `▁▂▃▄▅▆▇█` (or `_.-=#` in ASCII).
public enum Sparkline {
    /// How values map to bar heights.
    public enum Scale: Sendable, Hashable {
        /// The range is fixed, e.g. 0...1 for a hit rate; values outside it are clamped.
        case fixed(ClosedRange<Double>)
        /// From zero to the largest value shown; the right scale for depths and counts.
        case fromZero
    }

    /// The graph of the last `width` values, oldest first.
    ///
    /// Returns at most `width` characters, fewer when there are fewer values (callers right-align
    /// it so the newest value sits at the same place). Non-finite values leave a space; a series
    /// of zeros draws the lowest bar; any value a source sends, however large, draws a bar
    /// (``Scale/step(of:in:steps:)``). Cost: O(width).
    /// - Parameters:
    ///   - values: The series, oldest first.
    ///   - width: The number of columns available.
    ///   - scale: How values map to bar heights.
    ///   - glyphs: The glyph set; its `sparkLevels` are the bars, lowest first.
    public static func render(_ values: [Double], width: Int, scale: Scale, glyphs: Glyphs) -> String {
        guard width > 0, !values.isEmpty, !glyphs.sparkLevels.isEmpty else {
            return ""
        }
        let shown = values.suffix(width)
        let range = scale.range(of: shown)
        let levels = glyphs.sparkLevels
        var result = ""
        for value in shown {
            guard let step = Scale.step(of: value, in: range, steps: levels.count) else {
                result.append(" ")
                continue
            }
            result.append(levels[step])
        }
        return result
    }
}
