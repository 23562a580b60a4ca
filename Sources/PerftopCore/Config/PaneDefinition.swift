/// A pane of the config file's `[[pane]]` tables (docs/configuration.md, "Your own panes"): a
/// statistic of the series a selector matches, shown as a graph, a table or a gauge, and judged against
/// an optional goal as a tracker target is.
public struct PaneDefinition: Sendable, Hashable {
    /// How the pane shows its value.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The value over the retained window, as a line graph under the value.
        case graph
        /// One row per matching series (per source for a ratio): source, labels, value, status.
        case table
        /// The value as a bar filled to ``PaneDefinition/scale``, with the goal.
        case gauge
    }

    /// What the pane reads.
    public enum Statistic: Sendable, Hashable {
        /// A tracker statistic of the series ``PaneDefinition/metric`` matches (`current`, `rate`, `p95`, …).
        case reading(TrackerStatistic)
        /// rate(``PaneDefinition/metric``) ÷ rate(`denominator`), per source (`statistic = "ratio"`,
        /// `ratio_of = '…'`).
        case ratio(of: MetricSelector)
    }

    /// The pane's name: its identity in `panes` and `[layout]`; never a built-in pane's name.
    public var name: String
    /// The title in the pane's frame; the name when the table gives none.
    public var title: String
    /// The series read (for a ratio, the numerator).
    public var metric: MetricSelector
    /// What is read from them.
    public var statistic: Statistic
    /// How values are shown; nil to infer it as the tracker does (the goal's unit, the statistic, the
    /// metric's name).
    public var unit: TrackerUnit?
    /// Graph, table or gauge.
    public var kind: Kind
    /// An absolute goal (`< 50ms`, `>= 90%`) the value is judged against; relative goals need a baseline
    /// and are refused.
    public var goal: TrackerGoal?
    /// A gauge's full scale, in base units; nil for the default (see ``scale``).
    public var maximum: Double?
    /// What happens when the value's status against ``goal`` crosses a line (as a tracker target's
    /// ``Trigger``); nil for nothing.
    public var trigger: Trigger?

    /// Creates a pane definition.
    public init(
        name: String,
        title: String? = nil,
        metric: MetricSelector,
        statistic: Statistic = .reading(.current),
        unit: TrackerUnit? = nil,
        kind: Kind = .graph,
        goal: TrackerGoal? = nil,
        maximum: Double? = nil,
        trigger: Trigger? = nil
    ) {
        self.name = name
        self.title = title ?? name
        self.metric = metric
        self.statistic = statistic
        self.unit = unit
        self.kind = kind
        self.goal = goal
        self.maximum = maximum
        self.trigger = trigger
    }

    /// The unit values are shown in: ``unit``, else the unit of the kind of quantity the tracker infers
    /// (a ratio is a fraction).
    public var displayUnit: TrackerUnit {
        if let unit = self.unit {
            return unit
        }
        switch self.statistic {
        case .reading(let statistic):
            return TrackerUnit(base: TrackerUnit.Kind(goal: self.goal, statistic: statistic, metric: self.metric))
        case .ratio:
            guard let unit = self.goal?.unit, unit != .none else {
                return .percent
            }
            return TrackerUnit(base: unit.kind)
        }
    }

    /// A gauge's full scale in base units: ``maximum``, else 1 (100%) for a fraction, else twice the
    /// goal's threshold; nil when none applies (the gauge shows the value without a bar).
    public var scale: Double? {
        if let maximum = self.maximum {
            return maximum
        }
        if self.displayUnit.kind == .fraction {
            return 1
        }
        return self.goal?.threshold.map { 2 * $0 }.flatMap { $0 > 0 ? $0 : nil }
    }
}
