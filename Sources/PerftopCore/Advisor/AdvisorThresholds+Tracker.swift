import PerfKit

extension AdvisorThresholds {
    /// Takes the hit-ratio goals of `tracker` as the advisor's per-cache targets, so the advisor and
    /// the tracker judge a cache against the same number.
    ///
    /// A target counts when it is tracked, its statistic is `hit ratio`, its selector names one cache
    /// (`cache_hits_total{cache="users"}`) and its goal is an absolute lower bound (`>= 60%`). Other
    /// targets are ignored. Cost: linear in the number of targets.
    public mutating func adoptHitRatioGoals(of tracker: Tracker) {
        for target in tracker.targets where target.tracked && target.statistic == .hitRatio {
            guard
                let metric = target.metric,
                let cache = metric.matchers.first(where: { $0.label == LabelName.cache && !$0.negated })?.value,
                let goal = target.goal, !goal.wantsLower,
                let threshold = goal.threshold
            else {
                continue
            }
            self.cacheHitRatioTargets[cache] = threshold
        }
    }
}

extension Advisor {
    /// An advisor with the default thresholds and, when a tracker is given, its hit-ratio goals as
    /// the caches' targets (``AdvisorThresholds/adoptHitRatioGoals(of:)``): what the dashboard and
    /// `perftop tracker check` run.
    public init(adoptingGoalsOf tracker: Tracker?) {
        var thresholds = AdvisorThresholds()
        if let tracker {
            thresholds.adoptHitRatioGoals(of: tracker)
        }
        self.init(thresholds: thresholds)
    }
}
