/// A history a graph draws: points held, or a recipe over the store's series that derives them when
/// they are read.
///
/// A model of a hundred sources has hundreds of rows that could each graph a history derived over
/// the retained window, but a frame draws a dozen of them; deriving only on reading makes the rows
/// that are never drawn cost nothing. The recipe holds the series as they were when the model was
/// built (a series is a copy-on-write value), so what is derived later is what the model saw.
struct DerivedHistory: Sendable, Equatable {
    private enum Origin: Sendable {
        case held(PointHistory)
        /// The share of `part` in `part` + `rest` per interval (a hit ratio from hits and misses).
        case shares(part: SeriesStore.Series, rest: SeriesStore.Series)
    }

    private let origin: Origin

    /// A history of these points.
    init(_ points: PointHistory = []) {
        self.origin = .held(points)
    }

    private init(origin: Origin) {
        self.origin = origin
    }

    /// ``SeriesStore/Series/shares(of:and:over:)`` over the retained window, derived when read.
    static func shares(of part: SeriesStore.Series, and rest: SeriesStore.Series) -> DerivedHistory {
        DerivedHistory(origin: .shares(part: part, rest: rest))
    }

    /// The points, oldest first. Cost: O(1) when held; when derived, O(points of the series) on every read.
    var points: PointHistory {
        switch self.origin {
        case .held(let points):
            return points
        case .shares(let part, let rest):
            return PointHistory(SeriesStore.Series.shares(of: part, and: rest, over: .retained))
        }
    }

    /// ``points`` as an array, for a graph that reads them once: a derived history's points are
    /// not packed into a ``PointHistory`` first, which cost more than deriving them.
    var array: [SeriesStore.Point] {
        switch self.origin {
        case .held(let points):
            return Array(points)
        case .shares(let part, let rest):
            return SeriesStore.Series.shares(of: part, and: rest, over: .retained)
        }
    }

    /// The end of ``array`` from its newest point at or before `time` on, all of it when no point is:
    /// a derived history is derived over the last `seconds` of its series first (its points there
    /// are the end of those over the retained window), and over the retained window only when
    /// they reach no point at or before `time`.
    func array(reaching time: Double, within seconds: Double) -> [SeriesStore.Point] {
        guard case .shares(let part, let rest) = self.origin else {
            return self.array
        }
        let recent = SeriesStore.Series.shares(of: part, and: rest, over: .seconds(seconds))
        if let oldest = recent.first, oldest.time <= time {
            return recent
        }
        return self.array
    }

    static func == (lhs: DerivedHistory, rhs: DerivedHistory) -> Bool {
        lhs.points == rhs.points
    }
}
