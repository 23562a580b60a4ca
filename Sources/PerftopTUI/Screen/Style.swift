/// The role a piece of text plays on screen; a terminal maps each role to colors and attributes.
///
/// Panes choose roles, never colors, so a theme (or `NO_COLOR`) can change the look without
/// touching a pane.
public enum Style: Sendable, Hashable, CaseIterable {
    /// Ordinary text.
    case normal
    /// A pane title.
    case title
    /// A label in front of a value, e.g. `mem`.
    case label
    /// A measured value that deserves emphasis.
    case value
    /// Secondary text: units, hints, explanations.
    case dim
    /// A value in a healthy range.
    case good
    /// A value that needs attention.
    case warning
    /// A value in a bad range, or a source that is down.
    case critical
    /// A table header or key hint bar.
    case header
    /// Pane borders.
    case border
    /// The border and title of the pane that has the keyboard focus.
    case focusedBorder
    /// A selected table row or an overlay's background.
    case selected
    /// Sparklines and meters.
    case graph
    /// The low third of a graph's gradient (e.g. a nearly empty gauge).
    case graphLow
    /// The middle third of a graph's gradient.
    case graphMedium
    /// The high third of a graph's gradient (e.g. a nearly full gauge).
    case graphHigh
}
