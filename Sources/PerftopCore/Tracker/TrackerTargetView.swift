/// One optimization-tracker target and its live status.
public struct TrackerTargetView: Sendable, Equatable {
    /// The target's name.
    public var name: String
    /// The goal as written, e.g. `p95 < 50ms`.
    public var goal: String
    /// The live value, formatted, or nil without data.
    public var current: String?
    /// The status word: `met`, `at risk`, `missed`, `no data` or `unbound`.
    public var status: String

    /// Creates a tracker target view.
    public init(name: String, goal: String, current: String? = nil, status: String) {
        self.name = name
        self.goal = goal
        self.current = current
        self.status = status
    }
}
