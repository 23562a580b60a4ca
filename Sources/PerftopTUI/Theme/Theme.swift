/// The colors a dashboard uses for each ``Style``, read from a theme file in btop's format.
///
/// A theme holds the colors its file set, by key: perftop's own keys (`perftop_title`,
/// `graph_start`, `perftop_cache_box`, …) and btop's (`main_fg`, `title`, `cpu_start`, …). Each
/// style takes the first key of its fallback list that is set (docs/themes.md has the table), so a
/// btop theme file loads as is. How the colors reach the terminal (truecolor, 256, 8 colors or
/// none) is the terminal's business: see ``ColorMode`` and ``Palette``. Cheap to copy.
public struct Theme: Sendable, Equatable {
    /// The theme's name: a built-in name such as `nord`, or the file name without `.theme`.
    public var name: String
    /// Every key the file set to a color; keys set to `""` (the terminal's default) are absent.
    public var values: [String: RGB]

    /// Creates a theme from its name and its colors by key.
    public init(name: String, values: [String: RGB] = [:]) {
        self.name = name
        self.values = values
    }

    // MARK: - Resolved colors

    /// The background of the whole screen (`main_bg`), or nil for the terminal's own background.
    public var background: RGB? {
        self.values["main_bg"]
    }

    /// The text color of `style`: the first of its keys that is set, or nil for the terminal's
    /// default foreground. Cost: a few dictionary lookups.
    public func foreground(for style: Style) -> RGB? {
        switch style {
        case .good: self.values["perftop_good"] ?? self.severityGradient?.start
        case .warning: self.values["perftop_warning"] ?? self.severityGradient?.middle
        case .critical: self.values["perftop_critical"] ?? self.severityGradient?.end
        case .graph: self.values["perftop_graph"] ?? self.graphGradient?.start ?? self.values["proc_misc"]
        case .graphLow: self.graphGradient?.start
        case .graphMedium: self.graphGradient?.middle
        case .graphHigh: self.graphGradient?.end
        default: self.firstValue(Self.foregroundKeys[style] ?? [])
        }
    }

    /// The background of `style` when it has its own (``Style/selected`` and ``Style/header``), or
    /// nil for the screen's background.
    public func background(for style: Style) -> RGB? {
        self.firstValue(Self.backgroundKeys[style] ?? [])
    }

    /// The value of the first key in `keys` that is set.
    private func firstValue(_ keys: [String]) -> RGB? {
        keys.lazy.compactMap { self.values[$0] }.first
    }

    // MARK: - Fallback table

    /// The keys each style's text color is read from, first set wins; the styles with gradients
    /// (good to critical, graphs) are resolved through ``gradientFamilies``.
    static let foregroundKeys: [Style: [String]] = [
        .normal: ["main_fg"],
        .title: ["perftop_title", "title", "main_fg"],
        .label: ["perftop_label", "title", "main_fg"],
        .value: ["perftop_value", "main_fg"],
        .dim: ["perftop_dim", "graph_text", "inactive_fg"],
        .header: ["perftop_header_fg", "hi_fg", "title"],
        .border: ["perftop_border", "div_line", "cpu_box"],
        .focusedBorder: ["perftop_focused_border", "hi_fg", "title"],
        .selected: ["perftop_selected_fg", "selected_fg", "main_fg"],
        .cacheBorder: ["perftop_cache_box", "cpu_box", "perftop_border", "div_line"],
        .queueBorder: ["perftop_queue_box", "proc_box", "perftop_border", "div_line"],
        .latencyBorder: ["perftop_latency_box", "net_box", "perftop_border", "div_line"],
        .memoryBorder: ["perftop_memory_box", "mem_box", "perftop_border", "div_line"],
        .churnBorder: ["perftop_churn_box", "mem_box", "perftop_border", "div_line"],
        .trackerBorder: ["perftop_tracker_box", "proc_box", "perftop_border", "div_line"],
        .queriesBorder: ["perftop_queries_box", "net_box", "perftop_border", "div_line"],
        .fleetBorder: ["perftop_fleet_box", "proc_box", "perftop_border", "div_line"],
    ]

    /// The keys of the styles that have their own background.
    static let backgroundKeys: [Style: [String]] = [
        .header: ["perftop_header_bg"],
        .selected: ["perftop_selected_bg", "selected_bg"],
    ]

    /// The three-color gradients: the health colors (good, warning, critical) come from
    /// `temp_*`, else `cpu_*`; the graph colors from `graph_*`, else `cpu_*`.
    static let gradientFamilies: (severity: [String], graph: [String]) = (["temp", "cpu"], ["graph", "cpu"])

    /// Every key perftop reads, its own and btop's; a theme file's other keys are ignored.
    public static let knownKeys: Set<String> = {
        var keys: Set<String> = [
            "main_bg", "proc_misc", "perftop_good", "perftop_warning", "perftop_critical", "perftop_graph",
        ]
        for list in Self.foregroundKeys.values { keys.formUnion(list) }
        for list in Self.backgroundKeys.values { keys.formUnion(list) }
        for family in Self.gradientFamilies.severity + Self.gradientFamilies.graph {
            keys.formUnion(["\(family)_start", "\(family)_mid", "\(family)_end"])
        }
        return keys
    }()

    // MARK: - Gradients

    /// A gradient's three colors.
    struct Gradient: Equatable {
        var start: RGB
        var middle: RGB
        var end: RGB
    }

    /// The first family in `families` whose `_start` is set, completed as btop does: without
    /// `_end` the gradient is one color; without `_mid` the middle is halfway from start to end.
    func gradient(_ families: [String]) -> Gradient? {
        for family in families {
            guard let start = self.values["\(family)_start"] else {
                continue
            }
            let end = self.values["\(family)_end"] ?? start
            let middle = self.values["\(family)_mid"] ?? start.midpoint(to: end)
            return Gradient(start: start, middle: middle, end: end)
        }
        return nil
    }

    /// The health gradient: good, warning, critical.
    private var severityGradient: Gradient? {
        self.gradient(Self.gradientFamilies.severity)
    }

    /// The graph gradient: low, medium, high.
    private var graphGradient: Gradient? {
        self.gradient(Self.gradientFamilies.graph)
    }
}
