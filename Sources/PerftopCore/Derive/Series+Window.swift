import DequeModule

/// The one window math: counter increases with resets handled, rates, ratios of counters, gauge
/// statistics, over an explicit ``Window``. The panes, the tracker, the advisor and the exports all
/// derive their numbers here, so the same window always gives the same number.
///
/// Counters: an increase between two points is the later value minus the earlier, or, when the value
/// went down (the process restarted and its counter began again from zero), the later value itself;
/// so no rate is ever negative. Two series are paired point by point by time, as a source reports
/// them in the same poll. Cost: every function is linear in the points of the window.
extension SeriesStore.Series {
    // MARK: - Points

    /// The points of the series in `window`, oldest first: the last two for
    /// ``Window/lastInterval``, those no older than the seconds before the newest point (at least the
    /// last two) for ``Window/seconds(_:)``, every point for ``Window/retained``.
    /// Cost: O(1) for the last interval, O(points in the window) otherwise; nothing is copied.
    public func points(in window: Window) -> Slice<PointHistory> {
        let all = self.points
        switch window {
        case .lastInterval:
            return all.suffix(2)
        case .retained:
            return all[...]
        case .seconds(let seconds):
            guard let last = all.last else {
                return all[...]
            }
            let cutoff = last.time - seconds
            let start = all.lastIndex { $0.time < cutoff }.map { $0 + 1 } ?? 0
            return all[min(start, max(all.count - 2, 0))...]
        }
    }

    // MARK: - Counters

    /// The increase between two points of a counter; a decrease is a reset, so the increase is the
    /// new value (never negative).
    public static func increase(from earlier: SeriesStore.Point, to later: SeriesStore.Point) -> Double {
        later.value >= earlier.value ? later.value - earlier.value : max(later.value, 0)
    }

    /// The per-second increase between two points of a counter, or nil when no time passed between them.
    public static func rate(from earlier: SeriesStore.Point, to later: SeriesStore.Point) -> Double? {
        let elapsed = later.time - earlier.time
        return elapsed > 0 ? Self.increase(from: earlier, to: later) / elapsed : nil
    }

    /// The counter's increase over `window`: the sum of the increases between its consecutive
    /// points; nil with fewer than two points. Cost: O(1) plus the resets in the window for every
    /// kind but gauges and summary quantiles, O(points in the window) for those.
    public func increase(over window: Window) -> Derived? {
        if window == .lastInterval {
            return self.previous.map { previous in
                Derived(
                    value: Self.increase(from: previous, to: self.newest),
                    window: window,
                    from: previous.time,
                    to: self.newest.time
                )
            }
        }
        let points = self.points(in: window)
        guard let first = points.first, let last = points.last, points.count >= 2 else {
            return nil
        }
        let total = self.increase(from: points.startIndex, to: points.endIndex - 1)
        return Derived(value: total, window: window, from: first.time, to: last.time)
    }

    /// The sum of the increases between consecutive points from the point at `start` to the point at
    /// `end` (indices of ``points``): the last value minus the first, corrected at each point that
    /// fell below its predecessor, when the series keeps its decreases; a pass over the points otherwise.
    func increase(from start: Int, to end: Int) -> Double {
        let points = self.points
        guard self.tracksDecreases else {
            var total = 0.0
            for index in (start + 1)..<(end + 1) {
                total += Self.increase(from: points[index - 1], to: points[index])
            }
            return total
        }
        var total = points[end].value - points[start].value
        let base = self.appended - points.count
        for number in self.decreases.reversed() {
            let index = number - base
            guard index > start else {
                break
            }
            if index <= end {
                let (earlier, later) = (points[index - 1], points[index])
                total += Self.increase(from: earlier, to: later) - (later.value - earlier.value)
            }
        }
        return total
    }

    /// The counter's mean per-second increase over `window`; nil when the window spans no time.
    public func rate(over window: Window) -> Derived? {
        guard var increase = self.increase(over: window), increase.seconds > 0 else {
            return nil
        }
        increase.value /= increase.seconds
        return increase
    }

    /// The counter's rate in each interval of `window`, stamped with the interval's end, oldest first.
    public func rates(over window: Window) -> [SeriesStore.Point] {
        let points = self.points(in: window)
        return zip(points.dropLast(), points.dropFirst()).compactMap { earlier, later in
            Self.rate(from: earlier, to: later).map { SeriesStore.Point(time: later.time, value: $0) }
        }
    }

    /// The sum of the rates of `series` (one counter split by labels) over `window`; nil when none has
    /// one. The span is the widest the series covered.
    public static func sumOfRates(_ series: [SeriesStore.Series], over window: Window) -> Derived? {
        let rates = series.compactMap { $0.rate(over: window) }
        guard let first = rates.first else {
            return nil
        }
        return Derived(
            value: rates.reduce(0) { $0 + $1.value },
            window: window,
            from: rates.map(\.from).min() ?? first.from,
            to: rates.map(\.to).max() ?? first.to
        )
    }

    // MARK: - Ratios of counters

    /// `part`'s share of both counters' increase over `window`: Δpart ÷ (Δpart + Δrest), e.g. a hit
    /// ratio from hits and misses. Nil when neither grew (no requests) or they share fewer than two
    /// poll times.
    public static func share(of part: SeriesStore.Series, and rest: SeriesStore.Series, over window: Window) -> Derived?
    {
        guard let (partTotal, restTotal, from, to) = Self.pairedIncreases(part, rest, in: window),
            partTotal + restTotal > 0
        else {
            return nil
        }
        return Derived(value: partTotal / (partTotal + restTotal), window: window, from: from, to: to)
    }

    /// ``share(of:and:over:)`` for each interval of `window` in which either counter grew, stamped
    /// with the interval's end, oldest first.
    public static func shares(
        of part: SeriesStore.Series,
        and rest: SeriesStore.Series,
        over window: Window
    ) -> [SeriesStore.Point] {
        Self.pairedSteps(part, rest, in: window) { earlier, later in
            let partIncrease = Self.increase(from: earlier.0, to: later.0)
            let total = partIncrease + Self.increase(from: earlier.1, to: later.1)
            return total > 0 ? SeriesStore.Point(time: later.0.time, value: partIncrease / total) : nil
        }
    }

    /// Δ`total` ÷ Δ`count` over `window`: the mean size of the events a counter pair describes, e.g.
    /// a summary's mean from its `_sum` and `_count`. Nil when no event happened in the window.
    public static func meanPerEvent(
        total: SeriesStore.Series,
        count: SeriesStore.Series,
        over window: Window
    ) -> Derived? {
        guard let (totalIncrease, countIncrease, from, to) = Self.pairedIncreases(total, count, in: window),
            countIncrease > 0
        else {
            return nil
        }
        return Derived(value: totalIncrease / countIncrease, window: window, from: from, to: to)
    }

    /// ``meanPerEvent(total:count:over:)`` for each interval of `window` with an event, stamped with
    /// the interval's end, oldest first.
    public static func meansPerEvent(
        total: SeriesStore.Series,
        count: SeriesStore.Series,
        over window: Window
    ) -> [SeriesStore.Point] {
        Self.pairedSteps(total, count, in: window) { earlier, later in
            let events = Self.increase(from: earlier.1, to: later.1)
            return events > 0
                ? SeriesStore.Point(time: later.0.time, value: Self.increase(from: earlier.0, to: later.0) / events)
                : nil
        }
    }

    /// The increases of `first` and `second` over the polls of `window` that read both, and the span
    /// of those polls; nil when fewer than two polls read both. Cost: O(1) (plus resets) when both
    /// series were read in every poll of the window, one merge pass otherwise.
    private static func pairedIncreases(
        _ first: SeriesStore.Series,
        _ second: SeriesStore.Series,
        in window: Window
    ) -> (first: Double, second: Double, from: Double, to: Double)? {
        // Both read in the last two polls: their last two points pair up, held in the series.
        if window == .lastInterval, first.lastPoll == second.lastPoll, first.regularRun >= 2, second.regularRun >= 2,
            let firstPrevious = first.previous, let secondPrevious = second.previous
        {
            return (
                Self.increase(from: firstPrevious, to: first.newest),
                Self.increase(from: secondPrevious, to: second.newest),
                firstPrevious.time, first.newest.time
            )
        }
        if let (firstStart, secondStart, count) = Self.aligned(first, second, in: window) {
            guard count >= 2 else {
                return nil
            }
            return (
                first.increase(from: firstStart, to: firstStart + count - 1),
                second.increase(from: secondStart, to: secondStart + count - 1),
                first.points[firstStart].time, first.points[firstStart + count - 1].time
            )
        }
        var pairs = 0
        var totals = (first: 0.0, second: 0.0, from: 0.0, to: 0.0)
        var earlier: (SeriesStore.Point, SeriesStore.Point)?
        Self.forEachPair(first, second, in: window) { pair in
            pairs += 1
            if let earlier {
                totals.first += Self.increase(from: earlier.0, to: pair.0)
                totals.second += Self.increase(from: earlier.1, to: pair.1)
            } else {
                totals.from = pair.0.time
            }
            totals.to = pair.0.time
            earlier = pair
        }
        return pairs >= 2 ? totals : nil
    }

    /// `step` applied to each two consecutive pairs of points of `first` and `second` in `window`
    /// (read at the same times), oldest first; nils left out.
    private static func pairedSteps(
        _ first: SeriesStore.Series,
        _ second: SeriesStore.Series,
        in window: Window,
        _ step: ((SeriesStore.Point, SeriesStore.Point), (SeriesStore.Point, SeriesStore.Point)) -> SeriesStore.Point?
    ) -> [SeriesStore.Point] {
        var steps: [SeriesStore.Point] = []
        var earlier: (SeriesStore.Point, SeriesStore.Point)?
        Self.forEachPair(first, second, in: window) { pair in
            if let earlier, let point = step(earlier, pair) {
                steps.append(point)
            }
            earlier = pair
        }
        return steps
    }

    /// Where the pairs of `first` and `second` in `window` start in each series' points, and how
    /// many there are, when both were read once in each of the same last polls (their newest points
    /// pair up poll by poll); nil when a merge by time is needed.
    private static func aligned(
        _ first: SeriesStore.Series,
        _ second: SeriesStore.Series,
        in window: Window
    ) -> (first: Int, second: Int, count: Int)? {
        let (firstPoints, secondPoints) = (first.points(in: window), second.points(in: window))
        guard first.lastPoll == second.lastPoll, first.regularRun >= firstPoints.count,
            second.regularRun >= secondPoints.count
        else {
            return nil
        }
        let count = min(firstPoints.count, secondPoints.count)
        return (firstPoints.endIndex - count, secondPoints.endIndex - count, count)
    }

    /// Calls `body` with each pair of points of `first` and `second` in `window` read at the same
    /// time, oldest first: in step when both were read once in each of the same last polls, else one
    /// merge pass, as both series are in time order; nothing is allocated.
    static func forEachPair(
        _ first: SeriesStore.Series,
        _ second: SeriesStore.Series,
        in window: Window,
        _ body: ((SeriesStore.Point, SeriesStore.Point)) -> Void
    ) {
        if let (firstStart, secondStart, count) = Self.aligned(first, second, in: window) {
            let (firstPoints, secondPoints) = (first.points, second.points)
            for offset in 0..<count {
                body((firstPoints[firstStart + offset], secondPoints[secondStart + offset]))
            }
            return
        }
        let others = second.points(in: window)
        var other = others.startIndex
        for point in first.points(in: window) {
            while other < others.endIndex, others[other].time < point.time {
                other += 1
            }
            if other < others.endIndex, others[other].time == point.time {
                body((point, others[other]))
            }
        }
    }

    // MARK: - Gauges

    /// The gauge's mean over `window`; nil without points.
    public func mean(over window: Window) -> Derived? {
        let points = self.points(in: window)
        guard let first = points.first, let last = points.last else {
            return nil
        }
        let mean = points.reduce(0) { $0 + $1.value } / Double(points.count)
        return Derived(value: mean, window: window, from: first.time, to: last.time)
    }

    /// The gauge's largest value over `window`; nil without points.
    public func maximum(over window: Window) -> Derived? {
        let points = self.points(in: window)
        guard let first = points.first, let last = points.last, let maximum = points.map(\.value).max() else {
            return nil
        }
        return Derived(value: maximum, window: window, from: first.time, to: last.time)
    }

    /// The gauge's change per second from the first point of `window` to the last (negative when it
    /// shrank); nil when the window spans no time.
    public func change(over window: Window) -> Derived? {
        let points = self.points(in: window)
        guard let first = points.first, let last = points.last, last.time > first.time else {
            return nil
        }
        return Derived(
            value: (last.value - first.value) / (last.time - first.time),
            window: window,
            from: first.time,
            to: last.time
        )
    }

    /// The least-squares line through the gauge's points in `window`: a steady trend's slope per
    /// second, which one spike barely moves; nil with fewer than two points or no time between them.
    /// Cost: O(1) over the retained window, from the sums the series keeps as points come and go
    /// (equal to a pass over the points but for rounding, about 1e-12 of the slope); O(points in the
    /// window) otherwise, or when a value in the window is not finite.
    public func fit(over window: Window) -> LinearFit? {
        if window == .retained, let line = self.retainedLine {
            return LinearFit(line, duration: line.lastTime - line.firstTime)
        }
        return LinearFit(self.points(in: window))
    }
}
