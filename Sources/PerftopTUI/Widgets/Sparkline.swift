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
    /// of zeros draws the lowest bar. Cost: O(width).
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
        let range: ClosedRange<Double>
        switch scale {
        case .fixed(let fixed):
            range = fixed
        case .fromZero:
            let top = shown.filter(\.isFinite).max() ?? 0
            range = min(0, top)...max(0, top)
        }
        let levels = glyphs.sparkLevels
        let span = range.upperBound - range.lowerBound
        var result = ""
        for value in shown {
            guard value.isFinite else {
                result.append(" ")
                continue
            }
            guard span > 0 else {
                result.append(levels[0])
                continue
            }
            let position = (min(max(value, range.lowerBound), range.upperBound) - range.lowerBound) / span
            let index = Int((position * Double(levels.count - 1)).rounded())
            result.append(levels[index])
        }
        return result
    }
}
