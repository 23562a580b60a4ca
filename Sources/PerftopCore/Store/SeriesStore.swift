import DequeModule
import PerfKit

/// Bounded history of every series every source reported, and the one place that turns counters into rates.
///
/// Each series keeps at most ``retention`` points (a ring buffer), and each source at most
/// ``maximumSeriesPerSource`` series whose names and labels take at most
/// ``maximumIdentityBytesPerSource`` bytes together; a source that reports more has the extra series
/// dropped and ``droppedSeries(source:)`` says how many. A series its source has not reported for
/// ``retention`` polls (the retained window) is removed, so a source that keeps inventing new label
/// values cannot fill the store with dead series. Memory is therefore bounded by
/// `sources × (maximumSeriesPerSource × retention × 16 bytes + maximumIdentityBytesPerSource)` plus
/// per-series overhead.
///
/// Not thread-safe by itself: the ``Collector`` owns one behind a lock.
public struct SeriesStore: Sendable {
    /// One point of a series: when it was read and its value.
    public struct Point: Sendable, Equatable {
        /// Seconds since 1970-01-01 UTC.
        public var time: Double
        /// The value read.
        public var value: Double

        /// Creates a point.
        public init(time: Double, value: Double) {
            self.time = time
            self.value = value
        }
    }

    /// One series: its identity, its type and its recent points, oldest first.
    public struct Series: Sendable {
        /// The series identity.
        public let id: SeriesID
        /// The type the source gave it last.
        public fileprivate(set) var kind: Sample.Kind
        /// The recent points, oldest first; at most the store's retention.
        public fileprivate(set) var points: Deque<Point>
        /// The source's poll that last reported the series, counted from 1.
        fileprivate var lastPoll: Int

        /// The newest value.
        public var latest: Double? {
            self.points.last?.value
        }

        /// The per-second increase of a counter between its last two points.
        ///
        /// A decrease means the source restarted and the counter began again from zero, so the
        /// increase is the new value itself; the rate is never negative. Nil with fewer than two points.
        public var rate: Double? {
            guard self.points.count >= 2 else {
                return nil
            }
            return Self.rate(from: self.points[self.points.count - 2], to: self.points[self.points.count - 1])
        }

        /// The increase of a counter between its last two points, with resets handled as in ``rate``.
        public var lastIncrease: Double? {
            guard self.points.count >= 2 else {
                return nil
            }
            return Self.increase(from: self.points[self.points.count - 2], to: self.points[self.points.count - 1])
        }

        /// The per-second rates between each pair of consecutive points, oldest first.
        public var rateHistory: [Double] {
            zip(self.points.dropLast(), self.points.dropFirst()).compactMap { Self.rate(from: $0, to: $1) }
        }

        /// The increase between two points of a counter; a decrease is a reset, so the increase is the new value.
        public static func increase(from earlier: Point, to later: Point) -> Double {
            later.value >= earlier.value ? later.value - earlier.value : max(later.value, 0)
        }

        /// The per-second increase between two points of a counter, or nil when no time passed between them.
        public static func rate(from earlier: Point, to later: Point) -> Double? {
            let elapsed = later.time - earlier.time
            guard elapsed > 0 else {
                return nil
            }
            return Self.increase(from: earlier, to: later) / elapsed
        }
    }

    /// The most points kept per series.
    public let retention: Int
    /// The most series kept per source.
    public let maximumSeriesPerSource: Int
    /// The most bytes of metric names, label names and label values kept per source, over all its series.
    public let maximumIdentityBytesPerSource: Int

    private var seriesBySource: [String: [SeriesID: Series]] = [:]
    private var droppedBySource: [String: Int] = [:]
    private var lastRecordBySource: [String: Double] = [:]
    private var pollsBySource: [String: Int] = [:]
    private var identityBytesBySource: [String: Int] = [:]

    /// Creates an empty store.
    ///
    /// - Parameters:
    ///   - retention: points kept per series, at least 2 so rates can be computed; also the number of
    ///     polls after which a series its source stopped reporting is removed.
    ///   - maximumSeriesPerSource: series kept per source, at least 1.
    ///   - maximumIdentityBytesPerSource: bytes of names and labels kept per source; 8 MiB by default.
    public init(retention: Int, maximumSeriesPerSource: Int = 10_000, maximumIdentityBytesPerSource: Int = 8 << 20) {
        precondition(retention >= 2, "retention must be at least 2 points")
        precondition(maximumSeriesPerSource >= 1, "maximumSeriesPerSource must be at least 1")
        precondition(maximumIdentityBytesPerSource >= 1, "maximumIdentityBytesPerSource must be at least 1")
        self.retention = retention
        self.maximumSeriesPerSource = maximumSeriesPerSource
        self.maximumIdentityBytesPerSource = maximumIdentityBytesPerSource
    }

    // MARK: - Writing

    /// Appends one poll's samples from `source`, all read at `time`.
    ///
    /// A counter value that is negative, NaN or infinite is a lying source, not a count: it is not
    /// recorded, so it can never turn into a negative or endless rate. Series the source has not
    /// reported for ``retention`` polls are removed. When the source is at its series cap and reports
    /// new series, series it no longer reports make room first (those read longest ago go first);
    /// what still does not fit, in number or in identity bytes, is dropped and counted in
    /// ``droppedSeries(source:)``.
    ///
    /// Cost: O(samples) amortised; the oldest point of a full series is dropped. Removing expired
    /// series costs O(series) for the source, only in a poll that left some series out; making room
    /// costs O(series log series), only when the source is over its cap.
    public mutating func record(source: String, samples: [Sample], at time: Double) {
        var series = self.seriesBySource[source, default: [:]]
        var identityBytes = self.identityBytesBySource[source, default: 0]
        let poll = self.pollsBySource[source, default: 0] + 1
        var fresh: [Sample] = []
        var reported = 0
        for sample in samples {
            guard sample.kind != .counter || (sample.value.isFinite && sample.value >= 0) else {
                continue
            }
            let id = sample.seriesID
            guard var existing = series[id] else {
                fresh.append(sample)
                continue
            }
            existing.kind = sample.kind
            if existing.points.count >= self.retention {
                existing.points.removeFirst()
            }
            existing.points.append(Point(time: time, value: sample.value))
            if existing.lastPoll != poll {
                existing.lastPoll = poll
                reported += 1
            }
            series[id] = existing
        }
        if series.count > reported {
            Self.removeExpired(from: &series, identityBytes: &identityBytes, before: poll - self.retention + 1)
        }
        let freshCount = Set(fresh.lazy.map(\.seriesID)).count
        if series.count + freshCount > self.maximumSeriesPerSource {
            let excess = series.count + freshCount - self.maximumSeriesPerSource
            Self.evictUnreported(from: &series, identityBytes: &identityBytes, count: excess, at: time)
        }
        var dropped = 0
        for sample in fresh {
            let id = sample.seriesID
            if var existing = series[id] {
                existing.points.append(Point(time: time, value: sample.value))
                series[id] = existing
                continue
            }
            let bytes = Self.identityBytes(of: id)
            if series.count < self.maximumSeriesPerSource, identityBytes + bytes <= self.maximumIdentityBytesPerSource {
                series[id] = Series(
                    id: id,
                    kind: sample.kind,
                    points: [Point(time: time, value: sample.value)],
                    lastPoll: poll
                )
                identityBytes += bytes
            } else {
                dropped += 1
            }
        }
        self.seriesBySource[source] = series
        self.identityBytesBySource[source] = identityBytes
        self.pollsBySource[source] = poll
        self.droppedBySource[source] = dropped
        self.lastRecordBySource[source] = time
    }

    /// The bytes a series' identity takes: its name, and each label's name and value, in UTF-8.
    static func identityBytes(of id: SeriesID) -> Int {
        id.labels.reduce(id.name.utf8.count) { $0 + $1.name.utf8.count + $1.value.utf8.count }
    }

    /// Removes the series last reported before the poll `oldest`.
    private static func removeExpired(
        from series: inout [SeriesID: Series],
        identityBytes: inout Int,
        before oldest: Int
    ) {
        for entry in series.values where entry.lastPoll < oldest {
            series[entry.id] = nil
            identityBytes -= Self.identityBytes(of: entry.id)
        }
    }

    /// Removes up to `count` series that were not reported at `time`, those read longest ago first.
    private static func evictUnreported(
        from series: inout [SeriesID: Series],
        identityBytes: inout Int,
        count: Int,
        at time: Double
    ) {
        let unreported = series.values
            .compactMap { entry in entry.points.last.flatMap { $0.time < time ? (entry.id, $0.time) : nil } }
            .sorted { $0.1 < $1.1 }
        for (id, _) in unreported.prefix(count) {
            series[id] = nil
            identityBytes -= Self.identityBytes(of: id)
        }
    }

    // MARK: - Reading

    /// The sources that have reported at least once, sorted by name.
    public var sources: [String] {
        self.seriesBySource.keys.sorted()
    }

    /// How many series of `source`'s last poll were dropped because it was over its series cap; the
    /// collector shows a non-zero count as `truncated to N series`.
    public func droppedSeries(source: String) -> Int {
        self.droppedBySource[source] ?? 0
    }

    /// When `source` last reported, or nil if it never has.
    public func lastRecordTime(source: String) -> Double? {
        self.lastRecordBySource[source]
    }

    /// The series `source` reported in its last poll, sorted by identity.
    ///
    /// Series the source has stopped reporting keep their history but are left out here, so a
    /// removed cache does not linger on screen.
    public func series(source: String) -> [Series] {
        self.currentSeries(source: source) { _ in true }
    }

    /// The series of `source` with the metric name `name` that it reported in its last poll, sorted by identity.
    public func series(source: String, named name: String) -> [Series] {
        self.currentSeries(source: source) { $0.name == name }
    }

    private func currentSeries(source: String, where include: (SeriesID) -> Bool) -> [Series] {
        guard let all = self.seriesBySource[source], let last = self.lastRecordBySource[source] else {
            return []
        }
        return all.values.filter { $0.points.last?.time == last && include($0.id) }.sorted { $0.id < $1.id }
    }

    /// The series of `source` with exactly this identity.
    public func series(source: String, id: SeriesID) -> Series? {
        self.seriesBySource[source]?[id]
    }

    /// The series held for `source`, reported last poll or not, and the bytes of their names and
    /// labels; for checking the bounds.
    func held(source: String) -> (series: Int, identityBytes: Int) {
        (self.seriesBySource[source]?.count ?? 0, self.identityBytesBySource[source] ?? 0)
    }

    /// The total number of points held, for checking the memory bound.
    public var pointCount: Int {
        self.seriesBySource.values.reduce(0) { total, series in
            total + series.values.reduce(0) { $0 + $1.points.count }
        }
    }
}
