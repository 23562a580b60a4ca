/// One optimization-tracker target and its live status, as the tracker pane shows it.
///
/// Built by ``TrackerEvaluation/views``; every field after `status` has a default so a row can be made by hand.
public struct TrackerTargetView: Sendable, Equatable {
    /// The target's name.
    public var name: String
    /// The goal as written, e.g. `< 50ms`, or `-30% vs baseline (<= 35MiB)` with a relative goal's bound.
    public var goal: String
    /// The live value, formatted, or nil without data.
    public var current: String?
    /// The status word: `met`, `at risk`, `missed`, `no data`, `no baseline`, `no goal` or `unbound`.
    public var status: String
    /// The markdown section the target came from, if any.
    public var section: String?
    /// The priority as written (`high`, `medium`, `low` or other text), if any.
    public var priority: String?
    /// The sort order of ``priority``: 0 high, 1 medium, 2 low, 3 other text, 4 none.
    public var priorityRank: Int
    /// Who owns the target, if anyone.
    public var owner: String?
    /// The due date as `YYYY-MM-DD` (sorts as text), if any.
    public var due: String?
    /// The sort order of ``status``: ``TrackerStatus/rank`` (missed first).
    public var statusRank: Int
    /// The change from the baseline, formatted, e.g. `-32%`; nil without a baseline or value.
    public var change: String?
    /// Whether the value moved towards or away from the goal over the window; nil without a trend or goal.
    public var trend: TrackerTrendDirection?
    /// The target's place in ``Tracker/targets``, which a binding names (``TrackerBinding``); nil for a
    /// row made by hand.
    public var targetIndex: Int?

    /// Creates a tracker target view.
    public init(
        name: String,
        goal: String,
        current: String? = nil,
        status: String,
        section: String? = nil,
        priority: String? = nil,
        priorityRank: Int = 4,
        owner: String? = nil,
        due: String? = nil,
        statusRank: Int? = nil,
        change: String? = nil,
        trend: TrackerTrendDirection? = nil,
        targetIndex: Int? = nil
    ) {
        self.name = name
        self.goal = goal
        self.current = current
        self.status = status
        self.section = section
        self.priority = priority
        self.priorityRank = priorityRank
        self.owner = owner
        self.due = due
        self.statusRank = statusRank ?? TrackerStatus(rawValue: status)?.rank ?? TrackerStatus.allCases.count
        self.change = change
        self.trend = trend
        self.targetIndex = targetIndex
    }
}
