/// A horizontal gauge: a bar filled in proportion to a fraction, with eighth-cell resolution in
/// Unicode (`████▌░░░`) and whole cells in ASCII (`####....`).
public enum Meter {
    /// The bar for `fraction` (clamped to 0...1) in exactly `width` columns.
    ///
    /// A non-finite fraction draws an empty bar. Cost: O(width).
    public static func render(fraction: Double, width: Int, glyphs: Glyphs) -> String {
        guard width > 0 else {
            return ""
        }
        let clamped = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let steps = glyphs.meterPartials.count + 1
        let filled = Int((clamped * Double(width * steps)).rounded())
        let full = filled / steps
        let partial = filled % steps
        var result = String(repeating: glyphs.meterFull, count: full)
        if partial > 0 {
            result.append(glyphs.meterPartials[partial - 1])
        }
        result += String(repeating: glyphs.meterEmpty, count: width - full - (partial > 0 ? 1 : 0))
        return result
    }

    /// The style for a fraction of a resource in use: good below 70 %, warning below 90 %,
    /// critical from 90 %.
    public static func style(forUsedFraction fraction: Double) -> Style {
        if fraction >= 0.9 {
            return .critical
        }
        return fraction >= 0.7 ? .warning : .good
    }
}
