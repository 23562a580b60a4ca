import PerftopCore

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
    /// The border of the cache pane when it does not have the focus.
    case cacheBorder
    /// The border of the queue pane when it does not have the focus.
    case queueBorder
    /// The border of the latency pane when it does not have the focus.
    case latencyBorder
    /// The border of the memory pane when it does not have the focus.
    case memoryBorder
    /// The border of the allocation churn pane when it does not have the focus.
    case churnBorder
    /// The border of the optimization tracker pane when it does not have the focus.
    case trackerBorder
    /// The border of the queries pane when it does not have the focus.
    case queriesBorder
    /// The border of the fleet pane when it does not have the focus.
    case fleetBorder

    /// The border style of `pane` when it does not have the focus; a theme can color each pane's
    /// box (`perftop_cache_box`, …) and falls back to ``border``'s color.
    public static func border(for pane: DashboardSettings.PaneKind) -> Style {
        switch pane {
        case .caches: .cacheBorder
        case .queues: .queueBorder
        case .latency: .latencyBorder
        case .memory: .memoryBorder
        case .churn: .churnBorder
        case .tracker: .trackerBorder
        case .queries: .queriesBorder
        case .fleet: .fleetBorder
        }
    }
}

// MARK: - Attributes

/// The text attributes a style adds to its colors: bold, dim, reverse video, underline.
public struct TextAttributes: OptionSet, Sendable, Hashable {
    /// The attribute bits.
    public let rawValue: UInt8

    /// Creates attributes from their bits.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Bold (or bright) text.
    public static let bold = TextAttributes(rawValue: 1 << 0)
    /// Faint text.
    public static let dim = TextAttributes(rawValue: 1 << 1)
    /// Foreground and background swapped.
    public static let reverse = TextAttributes(rawValue: 1 << 2)
    /// Underlined text.
    public static let underline = TextAttributes(rawValue: 1 << 3)
}

extension Style {
    /// The attributes of the style on a terminal without colors (or with `NO_COLOR`): the only way
    /// styles differ there, so warnings, headers and selections stay visible.
    public var monochromeAttributes: TextAttributes {
        switch self {
        case .normal, .label, .good, .graph, .graphLow, .graphMedium: []
        case .title, .value, .warning, .focusedBorder, .graphHigh: .bold
        case .dim, .border, .cacheBorder, .queueBorder, .latencyBorder, .memoryBorder, .churnBorder, .trackerBorder,
            .queriesBorder, .fleetBorder:
            .dim
        case .critical: [.bold, .underline]
        case .header, .selected: .reverse
        }
    }

    /// The attributes the style adds to its theme colors on a color terminal.
    public var colorAttributes: TextAttributes {
        switch self {
        case .title, .value, .critical, .focusedBorder: .bold
        default: []
        }
    }
}
