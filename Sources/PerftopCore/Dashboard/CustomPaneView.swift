import PerfKit

/// What a custom pane (a config `[[pane]]` table, ``PaneDefinition``) shows at one moment: its value,
/// judged against its goal as a tracker target is, and per kind its rows or its history.
///
/// Derived once per round by the ``Derivation`` from the tracker's reading code
/// (``TrackerEvaluator``), so a pane and a tracker target over the same series, statistic and window
/// agree. The value is over ``DashboardModel/window`` (the last interval, as the other panes show
/// "now"); a graph's history is over the retained window. Text that came from a source (label values)
/// is escaped (``SafeText``).
public struct CustomPaneView: Sendable, Equatable {
    /// One matching series (for a ratio, one source) of a table pane.
    public struct Row: Sendable, Equatable {
        /// The source the series came from.
        public var source: String
        /// The series' labels as `a="1", b="2"` (escaped, cut to ``maximumLabelsLength``); empty without labels.
        public var labels: String
        /// Its value in base units.
        public var value: Double
        /// Its status against the pane's goal (``TrackerStatus/noGoal`` without one).
        public var status: TrackerStatus

        /// Creates a row.
        public init(source: String, labels: String, value: Double, status: TrackerStatus) {
            self.source = source
            self.labels = labels
            self.value = value
            self.status = status
        }
    }

    /// The longest ``Row/labels`` text, in characters.
    public static let maximumLabelsLength = 200

    /// The pane's definition: name, title, statistic, unit, kind, goal.
    public var definition: PaneDefinition
    /// The value: the worst matching series' for the goal (the largest without a goal), in base units;
    /// nil without data.
    public var value: Double?
    /// The source the value came from; nil without data.
    public var source: String?
    /// The value's status, as a tracker target's: met, at risk, missed, no data, or no goal. The hook for
    /// anything that acts on a pane's goal.
    public var status: TrackerStatus
    /// Why there is no value, e.g. `no series matches …`; nil with one.
    public var reason: String?
    /// A table's rows, in source and series order; empty for other kinds.
    public var rows: [Row]
    /// A graph's values over the retained window, oldest first; empty for other kinds.
    public var history: PointHistory

    /// Creates a view.
    public init(
        definition: PaneDefinition,
        value: Double? = nil,
        source: String? = nil,
        status: TrackerStatus = .noData,
        reason: String? = nil,
        rows: [Row] = [],
        history: PointHistory = []
    ) {
        self.definition = definition
        self.value = value
        self.source = source
        self.status = status
        self.reason = reason
        self.rows = rows
        self.history = history
    }

    /// `value` in the pane's unit, e.g. `45.2ms`; `-` for nil.
    public func format(_ value: Double?) -> String {
        value.map(self.definition.displayUnit.format) ?? UnitFormat.missing
    }
}

// MARK: - Deriving

extension CustomPaneView {
    /// The view of `definition` over `store`: its value and status over ``DashboardModel/window``, a
    /// table's rows, a graph's history over the retained window. Cost: the tracker's reads of the
    /// series the selectors name (twice for a graph).
    public init(_ definition: PaneDefinition, store: SeriesStore) {
        self.init(definition: definition)
        let wantsLower = definition.goal?.wantsLower ?? true
        let now = TrackerEvaluator(window: DashboardModel.window)
        switch Self.read(definition, evaluator: now, store: store, wantsLower: wantsLower) {
        case .success(let reading):
            self.value = reading.value
            self.source = reading.source
            self.status = Self.status(of: reading.value, against: definition.goal)
        case .failure(let error):
            self.reason = error.message
        }
        switch definition.kind {
        case .gauge:
            break
        case .graph:
            let retained = TrackerEvaluator(window: .retained)
            if case .success(let reading) = Self.read(
                definition,
                evaluator: retained,
                store: store,
                wantsLower: wantsLower
            ) {
                self.history = PointHistory(reading.history)
            }
        case .table:
            let each: Result<[TrackerReading], TrackerError> =
                switch definition.statistic {
                case .reading(let statistic): now.readEach(definition.metric, statistic: statistic, store: store)
                case .ratio(let denominator): now.readEach(definition.metric, per: denominator, store: store)
                }
            self.rows = ((try? each.get()) ?? []).map { reading in
                let labels = reading.series.labels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ", ")
                return Row(
                    source: reading.source,
                    labels: SafeText.escaped(labels, limit: Self.maximumLabelsLength),
                    value: reading.value,
                    status: Self.status(of: reading.value, against: definition.goal)
                )
            }
        }
    }

    /// The worst reading of the pane's statistic through `evaluator`.
    private static func read(
        _ definition: PaneDefinition,
        evaluator: TrackerEvaluator,
        store: SeriesStore,
        wantsLower: Bool
    ) -> Result<TrackerReading, TrackerError> {
        switch definition.statistic {
        case .reading(let statistic):
            evaluator.read(definition.metric, statistic: statistic, store: store, wantsLower: wantsLower)
        case .ratio(let denominator):
            evaluator.read(definition.metric, per: denominator, store: store, wantsLower: wantsLower)
        }
    }

    /// The tracker's status rule (``TrackerEvaluator/status(value:comparison:threshold:margin:)``) with
    /// the default margin; ``TrackerStatus/noGoal`` without a goal.
    static func status(of value: Double, against goal: TrackerGoal?) -> TrackerStatus {
        guard let bound = goal?.bound(baseline: nil) else {
            return .noGoal
        }
        return TrackerEvaluator.status(
            value: value,
            comparison: bound.comparison,
            threshold: bound.threshold,
            margin: Tracker.defaultMargin
        )
    }
}
