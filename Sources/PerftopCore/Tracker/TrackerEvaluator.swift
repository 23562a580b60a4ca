import FoundationEssentials
import PerfKit

/// A target's live status (docs/tracker.md, "Status").
public enum TrackerStatus: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The goal holds, with room to spare (more than the margin from the threshold).
    case met
    /// The goal holds, but the value is within the margin of the threshold.
    case atRisk = "at risk"
    /// The goal does not hold.
    case missed
    /// The target is bound, but no series matches, or the statistic needs more points than there are.
    case noData = "no data"
    /// The goal is relative and the target has no baseline to compare with.
    case noBaseline = "no baseline"
    /// The target is bound and has a value, but no goal to judge it by.
    case noGoal = "no goal"
    /// The target names no metric.
    case unbound
    /// The row is kept for the record only (``TrackerTarget/tracked`` is false).
    case untracked

    /// The word shown, e.g. `at risk`.
    public var description: String {
        self.rawValue
    }

    /// The order the tracker pane sorts by: missed first, then at risk, no data, no baseline, met, no goal,
    /// unbound, untracked.
    public var rank: Int {
        switch self {
        case .missed: 0
        case .atRisk: 1
        case .noData: 2
        case .noBaseline: 3
        case .met: 4
        case .noGoal: 5
        case .unbound: 6
        case .untracked: 7
        }
    }
}

/// Which way a target's value moved over the window, judged against its goal.
public enum TrackerTrendDirection: String, Sendable, Hashable {
    /// Towards the goal (down for a `<` goal, up for a `>` goal).
    case improving
    /// Away from the goal.
    case worsening
    /// Changed by less than 1% of its first value.
    case flat
}

/// What the evaluator read for one target.
public struct TrackerReading: Sendable, Equatable {
    /// The statistic's value, in base units.
    public var value: Double
    /// The statistic over the window, oldest first, for the trend (one point per poll, or per interval
    /// between polls for rates, ratios and summary means).
    public var history: [SeriesStore.Point]
    /// The source the value came from.
    public var source: String
    /// The series the value came from (for a hit ratio, the hits counter; for a summary, its base name).
    public var series: SeriesID
    /// How many candidate values the selector matched (over all sources); the worst was taken.
    public var candidates: Int

    /// Creates a reading.
    public init(value: Double, history: [SeriesStore.Point], source: String, series: SeriesID, candidates: Int = 1) {
        self.value = value
        self.history = history
        self.source = source
        self.series = series
        self.candidates = candidates
    }
}

/// One target's live result.
public struct TrackerResult: Sendable, Equatable {
    /// The target as written in the tracker.
    public var target: TrackerTarget
    /// The live status.
    public var status: TrackerStatus
    /// What was read; nil without data.
    public var reading: TrackerReading?
    /// The threshold in base units the value is compared with (for a relative goal, from the baseline).
    public var threshold: Double?
    /// The comparison used with ``threshold``.
    public var comparison: TrackerGoal.Comparison?
    /// (value − baseline) / |baseline|: −0.3 is 30% below the baseline. Nil without a value or a non-zero baseline.
    public var changeFromBaseline: Double?
    /// The last value of the window's history minus the first, in base units; nil with fewer than two.
    public var trend: Double?
    /// The trend judged against the goal; nil without a trend or a goal.
    public var trendDirection: TrackerTrendDirection?
    /// Why there is no value, for ``TrackerStatus/noData``, e.g. `no series matches cache_hits_total{cache="x"}`.
    public var reason: String?

    /// Creates a result.
    public init(
        target: TrackerTarget,
        status: TrackerStatus,
        reading: TrackerReading? = nil,
        threshold: Double? = nil,
        comparison: TrackerGoal.Comparison? = nil,
        changeFromBaseline: Double? = nil,
        trend: Double? = nil,
        trendDirection: TrackerTrendDirection? = nil,
        reason: String? = nil
    ) {
        self.target = target
        self.status = status
        self.reading = reading
        self.threshold = threshold
        self.comparison = comparison
        self.changeFromBaseline = changeFromBaseline
        self.trend = trend
        self.trendDirection = trendDirection
        self.reason = reason
    }

    /// The value in base units, if there is one.
    public var value: Double? {
        self.reading?.value
    }

    /// Whether the result counts against the CI gate: a tracked, bound target with a goal that is not met or
    /// at risk (missed, no data or no baseline).
    public var failsGate: Bool {
        self.target.tracked && self.target.isBound && self.target.goal != nil
            && self.status != .met && self.status != .atRisk
    }
}

/// Every target's result at one moment.
public struct TrackerEvaluation: Sendable, Equatable {
    /// The tracker's title.
    public var title: String?
    /// One result per target, in the tracker's order (untracked rows included).
    public var results: [TrackerResult]

    /// Creates an evaluation.
    public init(title: String? = nil, results: [TrackerResult]) {
        self.title = title
        self.results = results
    }

    /// The results that fail the CI gate (``TrackerResult/failsGate``).
    public var failures: [TrackerResult] {
        self.results.filter(\.failsGate)
    }

    /// Whether every tracked, bound target with a goal is met or at risk: `perftop tracker check` exits 0.
    public var passed: Bool {
        !self.results.contains(where: \.failsGate)
    }
}

/// Computes targets' live values and statuses from a ``SeriesStore`` (docs/tracker.md, "Status").
///
/// Stateless and cheap to create; ``evaluate(_:store:)`` costs O(targets × the series of the
/// names they select), each statistic from the one window math (``SeriesStore/Series``).
public struct TrackerEvaluator: Sendable {
    /// The window the statistics and trends look back over: the retained window in the dashboard,
    /// the last `--duration` seconds in `tracker check`.
    public var window: Window

    /// Creates an evaluator looking back over `window`.
    public init(window: Window) {
        self.window = window
    }

    /// Every target's result, in the tracker's order.
    public func evaluate(_ tracker: Tracker, store: SeriesStore) -> TrackerEvaluation {
        TrackerEvaluation(
            title: tracker.title,
            results: tracker.targets.map { self.evaluate($0, store: store, margin: tracker.effectiveMargin) }
        )
    }

    /// One target's result; `margin` is the at-risk margin as a fraction of the threshold.
    public func evaluate(_ target: TrackerTarget, store: SeriesStore, margin: Double = Tracker.defaultMargin)
        -> TrackerResult
    {
        guard target.tracked else {
            return TrackerResult(target: target, status: .untracked)
        }
        guard let metric = target.metric else {
            return TrackerResult(target: target, status: .unbound)
        }
        let statistic = target.statistic ?? .current
        let wantsLower = target.goal?.wantsLower ?? true
        let reading: TrackerReading
        switch self.read(metric, statistic: statistic, store: store, wantsLower: wantsLower) {
        case .success(let value): reading = value
        case .failure(let error): return TrackerResult(target: target, status: .noData, reason: error.message)
        }
        var result = TrackerResult(target: target, status: .noGoal, reading: reading)
        if let baseline = target.baseline?.value, baseline != 0 {
            result.changeFromBaseline = (reading.value - baseline) / abs(baseline)
        }
        if let first = reading.history.first, let last = reading.history.last, reading.history.count >= 2 {
            let trend = last.value - first.value
            result.trend = trend
            if let goal = target.goal {
                let flat = trend == 0 || abs(trend) < 0.01 * abs(first.value)
                result.trendDirection = flat ? .flat : (trend < 0) == goal.wantsLower ? .improving : .worsening
            }
        }
        guard let goal = target.goal else {
            return result
        }
        guard let bound = goal.bound(baseline: target.baseline?.value) else {
            result.status = .noBaseline
            return result
        }
        result.threshold = bound.threshold
        result.comparison = bound.comparison
        result.status = Self.status(
            value: reading.value,
            comparison: bound.comparison,
            threshold: bound.threshold,
            margin: margin
        )
        return result
    }

    /// The status rule: ``TrackerStatus/missed`` when the comparison fails; ``TrackerStatus/atRisk`` when it
    /// holds but |value − threshold| < margin × |threshold|; ``TrackerStatus/met`` otherwise.
    public static func status(
        value: Double,
        comparison: TrackerGoal.Comparison,
        threshold: Double,
        margin: Double
    ) -> TrackerStatus {
        guard comparison.holds(value, threshold) else {
            return .missed
        }
        return abs(value - threshold) < margin * abs(threshold) ? .atRisk : .met
    }

    // MARK: - Baselines

    /// The outcome of ``captureBaselines(_:store:at:)``.
    public struct BaselineCapture: Sendable, Equatable {
        /// The tracker with the new baselines.
        public var tracker: Tracker
        /// The names of the targets whose baseline was set.
        public var captured: [String]
        /// The names of the bound targets that had no data; their baselines are unchanged.
        public var missing: [String]
    }

    /// Sets the baseline of every tracked, bound target with data to its current value, captured at `time`
    /// (seconds since 1970); other targets keep theirs. For `perftop tracker baseline FILE`.
    public func captureBaselines(_ tracker: Tracker, store: SeriesStore, at time: Double) -> BaselineCapture {
        var capture = BaselineCapture(tracker: tracker, captured: [], missing: [])
        for index in tracker.targets.indices {
            let target = tracker.targets[index]
            guard target.tracked, let metric = target.metric else {
                continue
            }
            let wantsLower = target.goal?.wantsLower ?? true
            if case .success(let reading) = self.read(
                metric,
                statistic: target.statistic ?? .current,
                store: store,
                wantsLower: wantsLower
            ), reading.value.isFinite {
                // A source can send NaN or ±Inf for a gauge; a baseline must read back from the file.
                capture.tracker.targets[index].baseline = TrackerBaseline(value: reading.value, captured: time)
                capture.captured.append(target.name)
            } else {
                capture.missing.append(target.name)
            }
        }
        return capture
    }

    // MARK: - Reading

    /// Reads `statistic` of the series `selector` matches in every source, and keeps the worst candidate:
    /// the largest when `wantsLower`, else the smallest (ties: the first source and series in sorted order).
    public func read(
        _ selector: MetricSelector,
        statistic: TrackerStatistic,
        store: SeriesStore,
        wantsLower: Bool = true
    ) -> Result<TrackerReading, TrackerError> {
        let candidates = self.candidates(selector, statistic: statistic, store: store)
        guard let worst = Self.worst(of: candidates, wantsLower: wantsLower) else {
            return .failure(TrackerError(self.missingReason(selector, statistic: statistic, store: store)))
        }
        return .success(worst)
    }

    /// Reads `statistic` of every series `selector` matches in every source: one reading per candidate
    /// ``read(_:statistic:store:wantsLower:)`` chooses from, in source and series order, each without a
    /// history (``TrackerReading/history`` is empty; ``TrackerReading/candidates`` is 1).
    public func readEach(
        _ selector: MetricSelector,
        statistic: TrackerStatistic,
        store: SeriesStore
    ) -> Result<[TrackerReading], TrackerError> {
        let candidates = self.candidates(selector, statistic: statistic, store: store)
        guard !candidates.isEmpty else {
            return .failure(TrackerError(self.missingReason(selector, statistic: statistic, store: store)))
        }
        return .success(candidates.map(\.reading))
    }

    /// Reads the ratio of two rates in every source, rate(`numerator`) ÷ rate(`denominator`) (each the
    /// summed ``TrackerStatistic/rate`` of the counters its selector matches in the source, e.g. failed
    /// requests per request), and keeps the worst source's, as ``read(_:statistic:store:wantsLower:)``
    /// does. The history pairs the two per-interval rates by time. No value where the denominator's rate
    /// is zero.
    public func read(
        _ numerator: MetricSelector,
        per denominator: MetricSelector,
        store: SeriesStore,
        wantsLower: Bool = true
    ) -> Result<TrackerReading, TrackerError> {
        let candidates = self.ratioCandidates(numerator, per: denominator, store: store)
        guard let worst = Self.worst(of: candidates, wantsLower: wantsLower) else {
            return .failure(TrackerError(self.missingRatioReason(numerator, per: denominator, store: store)))
        }
        return .success(worst)
    }

    /// The ratio of ``read(_:per:store:wantsLower:)`` in every source that has one, each without a history.
    public func readEach(
        _ numerator: MetricSelector,
        per denominator: MetricSelector,
        store: SeriesStore
    ) -> Result<[TrackerReading], TrackerError> {
        let candidates = self.ratioCandidates(numerator, per: denominator, store: store)
        guard !candidates.isEmpty else {
            return .failure(TrackerError(self.missingRatioReason(numerator, per: denominator, store: store)))
        }
        return .success(candidates.map(\.reading))
    }

    /// The worst of `candidates` for the goal's direction, with its history and the number of candidates.
    private static func worst(of candidates: [Candidate], wantsLower: Bool) -> TrackerReading? {
        guard var worst = candidates.first else {
            return nil
        }
        for candidate in candidates.dropFirst()
        where wantsLower ? candidate.reading.value > worst.reading.value : candidate.reading.value < worst.reading.value
        {
            worst = candidate
        }
        var reading = worst.reading
        reading.history = worst.history()
        reading.candidates = candidates.count
        return reading
    }

    /// Every candidate of `selector` and `statistic`, source by source.
    private func candidates(_ selector: MetricSelector, statistic: TrackerStatistic, store: SeriesStore) -> [Candidate]
    {
        var candidates: [Candidate] = []
        for source in store.sources {
            // Only the series the selector can match (and a summary's _sum and _count, for `mean`):
            // copying every series of a source costs far more than the evaluation.
            let series = [selector.name, selector.name + MetricName.sumSuffix, selector.name + MetricName.countSuffix]
                .flatMap {
                    store.series(source: source, named: $0)
                }
            candidates += self.candidates(selector, statistic: statistic, source: source, series: series, store: store)
        }
        return candidates
    }

    /// One candidate per source with both rates: rate(`numerator`) ÷ rate(`denominator`), the denominator's non-zero.
    private func ratioCandidates(
        _ numerator: MetricSelector,
        per denominator: MetricSelector,
        store: SeriesStore
    ) -> [Candidate] {
        store.sources.compactMap { source in
            let parts = store.series(source: source, named: numerator.name).filter {
                numerator.matches($0.id, source: source)
            }
            let wholes = store.series(source: source, named: denominator.name).filter {
                denominator.matches($0.id, source: source)
            }
            guard let part = SeriesStore.Series.sumOfRates(parts, over: self.window),
                let whole = SeriesStore.Series.sumOfRates(wholes, over: self.window), whole.value != 0,
                let first = parts.first
            else {
                return nil
            }
            let id = parts.count == 1 ? first.id : SeriesID(name: first.id.name)
            return self.reading(
                part.value / whole.value,
                Self.ratios(parts, per: wholes, over: self.window),
                source,
                id
            )
        }
    }

    /// The per-interval ratio of the summed rates of `parts` and of `wholes`, at each time both have a
    /// rate and the whole's is not zero, oldest first.
    private static func ratios(
        _ parts: [SeriesStore.Series],
        per wholes: [SeriesStore.Series],
        over window: Window
    ) -> [SeriesStore.Point] {
        let wholeRates = Dictionary(
            Self.summedRates(wholes, over: window).map { ($0.time, $0.value) },
            uniquingKeysWith: { first, _ in first }
        )
        return Self.summedRates(parts, over: window).compactMap { part in
            guard let whole = wholeRates[part.time], whole != 0 else {
                return nil
            }
            return SeriesStore.Point(time: part.time, value: part.value / whole)
        }
    }

    private func missingRatioReason(
        _ numerator: MetricSelector,
        per denominator: MetricSelector,
        store: SeriesStore
    ) -> String {
        for selector in [numerator, denominator]
        where !store.sources.contains(where: { source in
            store.series(source: source, named: selector.name).contains { selector.matches($0.id, source: source) }
        }) {
            return "no series matches \(selector)"
        }
        return "a ratio needs two polls of both, in one source, and a rate of \(denominator.name) above 0"
    }

    private func missingReason(_ selector: MetricSelector, statistic: TrackerStatistic, store: SeriesStore) -> String {
        let matching = store.sources.contains { source in
            store.series(source: source, named: selector.name).contains { selector.matches($0.id, source: source) }
                || (statistic == .mean
                    && store.series(source: source, named: selector.name + MetricName.countSuffix).contains {
                        selector.matchesLabels(of: $0.id, source: source)
                    })
        }
        guard matching || statistic == .mean else {
            return "no series matches \(selector)"
        }
        switch statistic {
        case .p50, .p90, .p95, .p99, .max:
            return "no quantile=\"\(TrackerUnit.number(statistic.quantile ?? 1))\" series of \(selector)"
        case .rate: return "a rate needs two polls"
        case .hitRatio:
            guard let misses = MetricName.missCounter(pairedWith: selector.name) else {
                return "hit ratio reads a hits counter, e.g. \(MetricName.cacheHits){cache=\"users\"}"
            }
            return "no requests in the window, or no \(misses) with the same labels"
        case .mean: return matching ? "no observations in the window" : "no series or summary matches \(selector)"
        case .current: return "no value"
        }
    }

    private func candidates(
        _ selector: MetricSelector,
        statistic: TrackerStatistic,
        source: String,
        series: [SeriesStore.Series],
        store: SeriesStore
    ) -> [Candidate] {
        let matching = series.filter { selector.matches($0.id, source: source) }
        switch statistic {
        case .p50, .p90, .p95, .p99, .max:
            let quantile = statistic.quantile ?? 1
            let quantiles = matching.filter { $0.id.label(LabelName.quantile).flatMap(Double.init) == quantile }
            if statistic == .max, !matching.contains(where: { $0.id.label(LabelName.quantile) != nil }) {
                return matching.compactMap { one in
                    let points = self.windowPoints(one)
                    return points.map(\.value).max().map { self.reading($0, points, source, one.id) }
                }
            }
            return quantiles.compactMap { one in
                one.latest.map { self.reading($0, self.windowPoints(one), source, one.id) }
            }
        case .current:
            return matching.compactMap { one in
                one.latest.map { self.reading($0, self.windowPoints(one), source, one.id) }
            }
        case .rate:
            return self.rate(matching, source: source).map { [$0] } ?? []
        case .hitRatio:
            return matching.compactMap { self.hitRatio($0, source: source, store: store) }
        case .mean:
            if let summaries = self.summaryMeans(selector, source: source, series: series, store: store) {
                return summaries
            }
            return matching.compactMap { one in
                let points = self.windowPoints(one)
                guard !points.isEmpty else {
                    return nil
                }
                return self.reading(points.map(\.value).reduce(0, +) / Double(points.count), points, source, one.id)
            }
        }
    }

    /// One candidate value of a selector, with the trend drawn only if it is the one kept: a target
    /// matching a hundred sources keeps one of a hundred candidates.
    private struct Candidate {
        /// The value, source and series, without a history.
        var reading: TrackerReading
        /// The reading's history.
        var history: () -> [SeriesStore.Point]
    }

    private func reading(
        _ value: Double,
        _ history: @escaping @autoclosure () -> [SeriesStore.Point],
        _ source: String,
        _ id: SeriesID
    ) -> Candidate {
        Candidate(reading: TrackerReading(value: value, history: [], source: source, series: id), history: history)
    }

    /// The points of `series` in the window.
    private func windowPoints(_ series: SeriesStore.Series) -> [SeriesStore.Point] {
        Array(series.points(in: self.window))
    }

    /// The summed rate of the counters `matching` over the window (one reading for the source), with
    /// the summed per-interval rates as its history.
    private func rate(_ matching: [SeriesStore.Series], source: String) -> Candidate? {
        guard let total = SeriesStore.Series.sumOfRates(matching, over: self.window), let first = matching.first else {
            return nil
        }
        let id = matching.count == 1 ? first.id : SeriesID(name: first.id.name)
        return self.reading(total.value, Self.summedRates(matching, over: self.window), source, id)
    }

    /// The per-interval rates of `series` summed at each time any of them has one, oldest first: one
    /// merge of sorted histories per series.
    static func summedRates(_ series: [SeriesStore.Series], over window: Window) -> [SeriesStore.Point] {
        var summed: [SeriesStore.Point] = []
        for one in series {
            let rates = one.rates(over: window)
            guard !summed.isEmpty else {
                summed = rates
                continue
            }
            var merged: [SeriesStore.Point] = []
            merged.reserveCapacity(max(summed.count, rates.count))
            var (left, right) = (summed[...], rates[...])
            while let earlier = left.first, let later = right.first {
                if earlier.time == later.time {
                    merged.append(SeriesStore.Point(time: earlier.time, value: earlier.value + later.value))
                    (left, right) = (left.dropFirst(), right.dropFirst())
                } else if earlier.time < later.time {
                    merged.append(earlier)
                    left = left.dropFirst()
                } else {
                    merged.append(later)
                    right = right.dropFirst()
                }
            }
            summed = merged + left + right
        }
        return summed
    }

    /// Δhits ÷ (Δhits + Δmisses) over the window, with the misses counter the vocabulary pairs with
    /// the hits counter (``MetricName/missCounter(pairedWith:)``) and the same labels.
    private func hitRatio(_ hits: SeriesStore.Series, source: String, store: SeriesStore) -> Candidate? {
        guard let missesName = MetricName.missCounter(pairedWith: hits.id.name),
            let misses = store.series(source: source, id: SeriesID(name: missesName, labels: hits.id.labelDictionary)),
            let ratio = SeriesStore.Series.share(of: hits, and: misses, over: self.window)
        else {
            return nil
        }
        return self.reading(
            ratio.value,
            SeriesStore.Series.shares(of: hits, and: misses, over: self.window),
            source,
            hits.id
        )
    }

    /// Δ`_sum` ÷ Δ`_count` over the window for each summary `selector` names (by its `_sum` and `_count`
    /// series); with a single point, the lifetime mean sum ÷ count. Nil when the source has no such `_count`.
    private func summaryMeans(
        _ selector: MetricSelector,
        source: String,
        series: [SeriesStore.Series],
        store: SeriesStore
    ) -> [Candidate]? {
        let counts = series.filter {
            $0.id.name == selector.name + MetricName.countSuffix && selector.matchesLabels(of: $0.id, source: source)
        }
        guard !counts.isEmpty else {
            return nil
        }
        return counts.compactMap { count in
            let labels = count.id.labelDictionary
            guard
                let sum = store.series(
                    source: source,
                    id: SeriesID(name: selector.name + MetricName.sumSuffix, labels: labels)
                )
            else {
                return nil
            }
            let id = SeriesID(name: selector.name, labels: labels)
            if count.points.count == 1, let events = count.latest, events > 0, let total = sum.latest {
                return self.reading(total / events, [], source, id)
            }
            return SeriesStore.Series.meanPerEvent(total: sum, count: count, over: self.window).map { mean in
                self.reading(
                    mean.value,
                    SeriesStore.Series.meansPerEvent(total: sum, count: count, over: self.window),
                    source,
                    id
                )
            }
        }
    }
}
