/// A choice made in the tracker pane's `b` picker: bind one target to a series and a statistic.
public struct TrackerBinding: Sendable, Hashable {
    /// The target's place in ``Tracker/targets`` (``TrackerTargetView/targetIndex``).
    public var targetIndex: Int
    /// The target's name, checked against the tracker's, so a binding never lands on another target.
    public var targetName: String
    /// The series the target reads from now on.
    public var metric: MetricSelector
    /// What is read from it.
    public var statistic: TrackerStatistic

    /// Creates a binding.
    public init(targetIndex: Int, targetName: String, metric: MetricSelector, statistic: TrackerStatistic) {
        self.targetIndex = targetIndex
        self.targetName = targetName
        self.metric = metric
        self.statistic = statistic
    }
}

extension Tracker {
    /// This tracker with `binding`'s target reading its metric and statistic; every other field and
    /// target unchanged. Nil when the tracker has no target at that place with that name.
    public func applying(_ binding: TrackerBinding) -> Tracker? {
        guard self.targets.indices.contains(binding.targetIndex),
            self.targets[binding.targetIndex].name == binding.targetName
        else {
            return nil
        }
        var tracker = self
        tracker.targets[binding.targetIndex].metric = binding.metric
        tracker.targets[binding.targetIndex].statistic = binding.statistic
        return tracker
    }
}
