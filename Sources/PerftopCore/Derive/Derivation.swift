import PerfKit

/// The third stage: everything perftop shows, judges or advises, derived from one snapshot of the
/// store: the dashboard model (every pane's views, the custom panes' too), the tracker's targets and the
/// advisor's findings.
///
/// A plain value but for ``triggers``: the collector runs it once per round on a copy of the store
/// (copy-on-write, so no copy is made), off the UI thread and never under the recording lock; a test
/// or a benchmark runs it on any store. Every number comes from the one window math (``SeriesStore/Series``).
/// Cost: linear in the series of the sources, plus the tracker's and the advisor's reads.
public struct Derivation: Sendable {
    /// The tracker whose targets are evaluated over the retained window; nil for none.
    public var tracker: Tracker?
    /// The advisor run after the views; nil for no advice.
    public var advisor: Advisor?
    /// The custom panes (config `[[pane]]` tables) whose views are derived.
    public var panes: [PaneDefinition]
    /// The tracker's triggers: the one part that remembers rounds (how long each target has been
    /// missed), so a derivation with one must run once per round, in order. Nil fires none (a replay).
    public var triggers: TriggerEngine?
    /// Where each source's latency distributions were found last round, kept while its series stay the same.
    let latencyLayouts = LatencyLayouts()

    /// Creates a derivation.
    public init(
        tracker: Tracker? = nil,
        advisor: Advisor? = nil,
        panes: [PaneDefinition] = [],
        triggers: TriggerEngine? = nil
    ) {
        self.tracker = tracker
        self.advisor = advisor
        self.panes = panes
        self.triggers = triggers
    }

    /// Evaluates `tracker` from now on instead of ``tracker``; the advisor, if any, adopts its
    /// hit-ratio goals as the caches' targets (``AdvisorThresholds/adoptHitRatioGoals(of:)``), as
    /// ``Advisor/init(adoptingGoalsOf:)`` does for the first tracker.
    /// - Parameter tracker: The new tracker; nil for none.
    public mutating func replaceTracker(_ tracker: Tracker?) {
        self.tracker = tracker
        if let tracker {
            self.advisor?.thresholds.adoptHitRatioGoals(of: tracker)
        }
    }

    /// The model of `store` at `timestamp`, derived on the calling thread.
    ///
    /// - Parameters:
    ///   - store: The recorded series.
    ///   - sources: Every source's state; a stale or down source gets no advice.
    ///   - timestamp: When the round read, in seconds since 1970.
    ///   - interval: The interval in force, in seconds.
    ///   - selfCost: What perftop itself costs, for the header.
    ///   - adviceSchedule: spreads the advisor's work over the rounds, advising only the sources
    ///     whose advice is due; nil advises every source.
    ///   - reusedBindableSeries: the ``DashboardModel/bindableSeries`` of an earlier round of the same
    ///     ``SeriesStore/identityGeneration``, to keep instead of listing them again; nil lists them.
    public func derive(
        from store: SeriesStore,
        sources: [SourceStatus],
        timestamp: Double,
        interval: Double,
        selfCost: SelfCost = SelfCost(),
        adviceSchedule: AdviceSchedule? = nil,
        reusedBindableSeries: [BindableSeries]? = nil
    ) -> DashboardModel {
        var model = DashboardModel(
            store: store,
            sources: sources,
            timestamp: timestamp,
            interval: interval,
            selfCost: selfCost,
            latencyLayouts: self.latencyLayouts
        )
        self.judge(
            store,
            sources: sources,
            timestamp: timestamp,
            interval: interval,
            adviceSchedule: adviceSchedule,
            reusedBindableSeries: reusedBindableSeries
        )
        .complete(&model)
        return model
    }

    /// The same model as ``derive(from:sources:timestamp:interval:selfCost:adviceSchedule:reusedBindableSeries:)``,
    /// with the panes' views in a child task while this task judges (the tracker, the custom panes,
    /// the triggers and the advice): with a second core free, a round takes about the longer of the
    /// two instead of their sum. The work, and so the CPU time, is the same. What the collector runs.
    public func derive(
        concurrentlyFrom store: SeriesStore,
        sources: [SourceStatus],
        timestamp: Double,
        interval: Double,
        selfCost: SelfCost = SelfCost(),
        adviceSchedule: AdviceSchedule? = nil,
        reusedBindableSeries: [BindableSeries]? = nil
    ) async -> DashboardModel {
        async let views = DashboardModel(
            store: store,
            sources: sources,
            timestamp: timestamp,
            interval: interval,
            selfCost: selfCost,
            latencyLayouts: self.latencyLayouts
        )
        let judgement = self.judge(
            store,
            sources: sources,
            timestamp: timestamp,
            interval: interval,
            adviceSchedule: adviceSchedule,
            reusedBindableSeries: reusedBindableSeries
        )
        var model = await views
        judgement.complete(&model)
        return model
    }

    /// What a round adds to the panes' views: the tracker's targets, the custom panes, the
    /// triggers' alerts and the advice. None of it reads the views, so it can be derived beside them.
    struct Judgement: Sendable {
        var tracker: [TrackerTargetView] = []
        var bindableSeries: [BindableSeries] = []
        var customPanes: [CustomPaneView] = []
        var alerts: [TriggerAlert] = []
        var advice: [Advice] = []

        /// Puts the judgement into `model`, whose views are of the same round.
        func complete(_ model: inout DashboardModel) {
            model.tracker = self.tracker
            model.bindableSeries = self.bindableSeries
            model.customPanes = self.customPanes
            model.alerts = self.alerts
            model.advice = self.advice
        }
    }

    /// The round's ``Judgement`` of `store`; the triggers remember it.
    func judge(
        _ store: SeriesStore,
        sources: [SourceStatus],
        timestamp: Double,
        interval: Double,
        adviceSchedule: AdviceSchedule?,
        reusedBindableSeries: [BindableSeries]?
    ) -> Judgement {
        var judgement = Judgement()
        var subjects: [TriggerSubject] = []
        if let tracker = self.tracker {
            let evaluation = TrackerEvaluator(window: .retained).evaluate(tracker, store: store)
            judgement.tracker = evaluation.views
            judgement.bindableSeries = reusedBindableSeries ?? BindableSeries.catalog(of: store)
            subjects = TriggerSubject.targets(evaluation.results)
        }
        judgement.customPanes = self.panes.map { CustomPaneView($0, store: store) }
        if let triggers = self.triggers {
            _ = triggers.observe(subjects + TriggerSubject.panes(judgement.customPanes), at: timestamp)
            judgement.alerts = triggers.recentAlerts
        }
        if let advisor = self.advisor {
            judgement.advice =
                adviceSchedule?.advise(advisor, store: store, sources: sources, at: timestamp, interval: interval)
                ?? advisor.advise(store: store, sources: sources)
        }
        return judgement
    }
}
