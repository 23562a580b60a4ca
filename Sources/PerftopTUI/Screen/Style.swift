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
    /// Sparklines and meters.
    case graph
}
