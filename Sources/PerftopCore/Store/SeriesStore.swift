import DequeModule
import PerfKit
import Synchronization

/// Bounded history of every series every source reported, indexed by source and metric name; the
/// window math that turns it into rates and ratios is ``SeriesStore/Series``' (Derive).
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
    ///
    /// Besides its points a series keeps what makes its window math O(1): which points fell below
    /// the one before (a counter's resets), so an increase over any window is the last value minus
    /// the first plus a correction per reset in it, and how many of its newest points were read one
    /// per poll without a gap, so two series of a source pair up poll by poll without a merge; and
    /// for a gauge, the sums of a least-squares line through its points, updated as a point enters
    /// and the oldest leaves, so the line over the retained window needs no pass over the points.
    public struct Series: Sendable {
        /// Everything a series holds, behind one reference: copying a series (as every scan of an
        /// array of them does) costs one retain instead of one per field.
        ///
        /// `@unchecked Sendable`: a storage is mutated only through ``Series/mutableStorage``, which
        /// copies it first unless this series is its only owner (copy-on-write), so a storage another
        /// series or thread can see is never written.
        private final class Storage: @unchecked Sendable {
            let id: SeriesID
            var kind: Sample.Kind
            var points: PointHistory
            /// The last two of ``points`` (`previous` nil with one), as read back from it: the
            /// last interval's math and the latest value read them here, in the storage the series
            /// already loaded, instead of from the history's newest chunk.
            var newest: Point
            var previous: Point?
            var lastPoll: Int
            var appended: Int
            var tracksDecreases: Bool
            var decreases: Deque<Int>
            var regularRun: Int
            /// For a gauge, the line fit's sums over the finite points of ``points``, kept as points
            /// come and go (the trends the panes and the advisor fit are gauges'); nil otherwise.
            var line: LinearFit.Sums?
            /// The points of ``points`` whose value is not finite (left out of ``line``).
            var nonFiniteValues: Int

            init(
                id: SeriesID,
                kind: Sample.Kind,
                points: PointHistory,
                newest: Point,
                previous: Point?,
                lastPoll: Int,
                appended: Int,
                tracksDecreases: Bool,
                decreases: Deque<Int>,
                regularRun: Int,
                line: LinearFit.Sums?,
                nonFiniteValues: Int
            ) {
                self.id = id
                self.kind = kind
                self.points = points
                self.newest = newest
                self.previous = previous
                self.lastPoll = lastPoll
                self.appended = appended
                self.tracksDecreases = tracksDecreases
                self.decreases = decreases
                self.regularRun = regularRun
                self.line = line
                self.nonFiniteValues = nonFiniteValues
            }

            /// Sums the line again from the points.
            func sumLine() {
                var line = LinearFit.Sums()
                var nonFiniteValues = 0
                self.points.forEach(in: self.points.indices) { point in
                    line.add(point)
                    nonFiniteValues += point.value.isFinite ? 0 : 1
                }
                (self.line, self.nonFiniteValues) = (line, nonFiniteValues)
            }

            func copy() -> Storage {
                Storage(
                    id: self.id,
                    kind: self.kind,
                    points: self.points,
                    newest: self.newest,
                    previous: self.previous,
                    lastPoll: self.lastPoll,
                    appended: self.appended,
                    tracksDecreases: self.tracksDecreases,
                    decreases: self.decreases,
                    regularRun: self.regularRun,
                    line: self.line,
                    nonFiniteValues: self.nonFiniteValues
                )
            }
        }

        private var storage: Storage

        /// The series identity.
        public var id: SeriesID { self.storage.id }
        /// The type the source gave it last.
        public var kind: Sample.Kind { self.storage.kind }
        /// The recent points, oldest first; at most the store's retention.
        public var points: PointHistory { self.storage.points }
        /// The newest point, and the one before it (nil when the series holds one): the same as the
        /// last two of ``points``, without reading them there.
        var newest: Point { self.storage.newest }
        var previous: Point? { self.storage.previous }
        /// The source's poll that last reported the series, counted from 1.
        var lastPoll: Int { self.storage.lastPoll }
        /// How many points were ever appended: the newest point is number `appended - 1`.
        var appended: Int { self.storage.appended }
        /// Whether ``decreases`` is kept: for every kind but gauges and summary quantiles, whose
        /// values go down all the time and are never summed as increases.
        var tracksDecreases: Bool { self.storage.tracksDecreases }
        /// The numbers of the held points whose value is not at least the point's before, oldest first.
        var decreases: Deque<Int> { self.storage.decreases }
        /// How many of the newest points were read in consecutive polls, one per poll.
        var regularRun: Int { self.storage.regularRun }
        /// The line fit's sums over every point, for a gauge whose values are all finite and whose
        /// sums are numbers that kept their precision; nil otherwise (a fit then passes over the
        /// points, until the sums are summed again).
        var retainedLine: LinearFit.Sums? {
            let storage = self.storage
            guard let line = storage.line, storage.nonFiniteValues == 0, line.isFinite, !line.hasLostPrecision
            else {
                return nil
            }
            return line
        }

        /// How many appends a series' line sums are kept by adding and taking away points before
        /// they are summed again from the points: this bounds the rounding that the updates in both
        /// directions accumulate, and moves the sums' time origin to the oldest point.
        static let lineResumPeriod = 512

        /// A series holding one point, read in `poll`.
        fileprivate init(id: SeriesID, kind: Sample.Kind, point: Point, poll: Int) {
            let points: PointHistory = [point]
            self.storage = Storage(
                id: id,
                kind: kind,
                points: points,
                newest: points[0],
                previous: nil,
                lastPoll: poll,
                appended: 1,
                tracksDecreases: Self.tracksDecreases(id: id, kind: kind),
                decreases: [],
                regularRun: 1,
                line: nil,
                nonFiniteValues: 0
            )
            if kind == .gauge {
                self.storage.sumLine()
            }
        }

        /// The newest value.
        public var latest: Double? {
            self.storage.newest.value
        }

        /// The storage, copied first unless this series is its only owner.
        private var mutableStorage: Storage {
            mutating get {
                if !isKnownUniquelyReferenced(&self.storage) {
                    self.storage = self.storage.copy()
                }
                return self.storage
            }
        }

        /// Whether a series of this identity and kind keeps its decreases.
        private static func tracksDecreases(id: SeriesID, kind: Sample.Kind) -> Bool {
            kind != .gauge && id.label(LabelName.quantile) == nil
        }

        /// Appends `point`, read in `poll`, dropping the oldest point beyond `retention`.
        fileprivate mutating func append(_ point: Point, kind: Sample.Kind, poll: Int, retention: Int) {
            let series = self.mutableStorage
            if kind != series.kind {
                series.kind = kind
                series.tracksDecreases = Self.tracksDecreases(id: series.id, kind: kind)
                series.decreases = []
                if series.tracksDecreases {
                    let first = series.appended - series.points.count
                    for index in series.points.indices.dropFirst()
                    where !(series.points[index].value >= series.points[index - 1].value) {
                        series.decreases.append(first + index)
                    }
                }
            }
            if series.points.count >= retention {
                // Only a kept line needs the point that leaves: reading it costs a load of its chunk.
                let oldest = series.line != nil ? series.points.first : nil
                series.points.removeFirst()
                if let oldest {
                    if oldest.value.isFinite {
                        series.line?.remove(oldest)
                    } else {
                        series.nonFiniteValues -= 1
                    }
                    if let first = series.points.first {
                        series.line?.firstTime = first.time
                    }
                }
            }
            if series.tracksDecreases, let last = series.points.last, !(point.value >= last.value) {
                series.decreases.append(series.appended)
            }
            series.points.append(point)
            series.previous = series.points.count >= 2 ? series.newest : nil
            series.newest = series.points[series.points.count - 1]
            series.appended += 1
            if series.kind != .gauge {
                series.line = nil
            } else if series.line == nil || series.line?.hasLostPrecision == true
                || series.appended % Self.lineResumPeriod == 0
            {
                // After a point that carried nearly all of a sum left, summed again at once: at worst
                // (spikes each far larger than the next) a pass per point, what every fit cost before.
                series.sumLine()
            } else if series.newest.value.isFinite {
                series.line?.add(series.newest)
            } else {
                series.nonFiniteValues += 1
            }
            let first = series.appended - series.points.count
            while let oldest = series.decreases.first, oldest <= first {
                series.decreases.removeFirst()
            }
            series.regularRun = series.lastPoll == poll - 1 ? min(series.regularRun + 1, series.points.count) : 1
            series.lastPoll = poll
        }
    }

    /// The most points kept per series.
    public let retention: Int
    /// The most series kept per source.
    public let maximumSeriesPerSource: Int
    /// The most bytes of metric names, label names and label values kept per source, over all its series.
    public let maximumIdentityBytesPerSource: Int

    /// Everything one source reported: its series by metric name, each name's series sorted by
    /// identity, so a lookup by name never scans the source's other series and never sorts.
    fileprivate struct SourceSeries: Sendable {
        var byName: [String: [Series]] = [:]
        var count = 0
        /// Series added or removed so far: what ``SeriesStore/identityGeneration`` follows.
        var identityChanges = 0
        /// A number no other set of series of any source in any store had (``SeriesStore/nextStamp()``),
        /// taken whenever a series is added or removed or changes kind; nil before the first.
        var identityStamp: Int?
        /// Whether every series held was reported in the last poll.
        var isAllCurrent = true
        var identityBytes = 0
        /// Polls recorded, counted from 1; a series is current when its last poll is this one.
        var poll = 0
        var lastTime: Double?
        var dropped = 0
        /// What each sample of the last poll was found as, by the sample's place in the poll (nil
        /// where it was not found): a source sends its samples in the same order every time, so the
        /// next poll's sample at a place is most often the same series. It is told so by its name
        /// and labels, which an agent's feed shares from poll to poll (`SnapshotIdentities`), so
        /// comparing them is a pointer comparison each, instead of making its identity again; and
        /// found by one comparison instead of a binary search.
        var places: [Place?] = []

        /// One sample of a poll as it was found: its labels as the source sent them, the identity made
        /// from them and its name, and where the series was among the series of its name.
        struct Place {
            let labels: [String: String]
            let id: SeriesID
            let position: Int
        }

        /// Where `id` is, or would go, among the series of its name: a binary search by identity.
        static func position(of id: SeriesID, in named: [Series]) -> (index: Int, found: Bool) {
            var low = 0
            var high = named.count
            while low < high {
                let middle = (low + high) / 2
                if named[middle].id < id {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            return (low, low < named.count && named[low].id == id)
        }

        subscript(id: SeriesID) -> Series? {
            guard let named = self.byName[id.name] else {
                return nil
            }
            let (index, found) = Self.position(of: id, in: named)
            return found ? named[index] : nil
        }

        /// Adds `series`, which the source does not hold yet.
        mutating func insert(_ series: Series) {
            let index = self.byName[series.id.name].map { Self.position(of: series.id, in: $0).index } ?? 0
            self.byName[series.id.name, default: []].insert(series, at: index)
            self.count += 1
            self.identityChanges += 1
        }

        /// Removes the series `id`, if held.
        mutating func remove(_ id: SeriesID) {
            guard let (index, found) = self.byName[id.name].map({ Self.position(of: id, in: $0) }), found else {
                return
            }
            self.byName[id.name]!.remove(at: index)
            if self.byName[id.name]!.isEmpty {
                self.byName[id.name] = nil
            }
            self.count -= 1
            self.identityChanges += 1
        }

        /// Runs `body` on the series `id` where it is held, so appending a point does not copy the
        /// series' points; nil when there is no such series.
        mutating func modify<Result>(_ id: SeriesID, _ body: (inout Series) -> Result) -> Result? {
            self.modify(id, near: nil, body)?.result
        }

        /// ``modify(_:_:)``, looking at `position` among the series of the name first; also returns
        /// where the series was.
        mutating func modify<Result>(
            _ id: SeriesID,
            near position: Int?,
            _ body: (inout Series) -> Result
        ) -> (result: Result, position: Int)? {
            // Optional chaining through the dictionary's subscript mutates in place: one hash of the name.
            self.byName[id.name]?.modifySeries(id, near: position, body) ?? nil
        }

        /// Every series held, current or not.
        var all: some Sequence<Series> {
            self.byName.values.lazy.joined()
        }
    }

    private var bySource: [String: SourceSeries] = [:]

    /// Counts the changes of the set of series held: it grows whenever a series is added or removed
    /// (or a source with its series), and stays put while polls only append points. A reader that
    /// derives something from the identities alone (``BindableSeries/catalog(of:)``) can keep its
    /// result until this changes.
    public private(set) var identityGeneration = 0

    /// The source of ``SourceSeries/identityStamp``: process-wide, so that two copies of a store that
    /// change apart never share a stamp.
    private static let stamps = Atomic<Int>(0)

    private static func nextStamp() -> Int {
        Self.stamps.wrappingAdd(1, ordering: .relaxed).newValue
    }

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

    /// Forgets `source` and every series it reported, as when a watched agent goes away. O(1) plus
    /// freeing its series.
    public mutating func removeSource(_ source: String) {
        if self.bySource.removeValue(forKey: source) != nil {
            self.identityGeneration += 1
        }
    }

    /// Appends one poll's samples from `source`, all read at `time`.
    ///
    /// A counter value that is negative, NaN or infinite is a lying source, not a count: it is not
    /// recorded, so it can never turn into a negative or endless rate. Series the source has not
    /// reported for ``retention`` polls are removed. When the source is at its series cap and reports
    /// new series, series it no longer reports make room first (those read longest ago go first);
    /// what still does not fit, in number or in identity bytes, is dropped and counted in
    /// ``droppedSeries(source:)``. A poll whose time is not after the source's last one is ignored: it
    /// holds nothing newer (a source that says when its values were measured, such as a Prometheus
    /// server's last scrape, may give the same scrape twice).
    ///
    /// Cost: O(samples) amortised, two hash lookups per sample; the oldest point of a full series is
    /// dropped. Removing expired series costs O(series) for the source, only in a poll that left some
    /// series out; making room costs O(series log series), only when the source is over its cap.
    public mutating func record(source: String, samples: [Sample], at time: Double) {
        if let last = self.bySource[source]?.lastTime, time <= last {
            return
        }
        var held = self.bySource.removeValue(forKey: source) ?? SourceSeries()
        let identityChanges = held.identityChanges
        held.poll += 1
        let poll = held.poll
        let retention = self.retention
        var fresh: [(id: SeriesID, sample: Sample)] = []
        var reported = 0
        let lastPlaces = held.places
        var isKindChanged = false
        var places = [SourceSeries.Place?](repeating: nil, count: samples.count)
        for (place, sample) in samples.enumerated() {
            guard sample.kind != .counter || (sample.value.isFinite && sample.value >= 0) else {
                continue
            }
            let last = place < lastPlaces.count ? lastPlaces[place] : nil
            let id =
                if let last, last.id.name == sample.name, last.labels == sample.labels { last.id } else {
                    sample.seriesID
                }
            let point = Point(time: time, value: sample.value)
            let found = held.modify(id, near: last?.position) { existing in
                let isFirst = existing.lastPoll != poll
                isKindChanged = isKindChanged || existing.kind != sample.kind
                existing.append(point, kind: sample.kind, poll: poll, retention: retention)
                return isFirst
            }
            guard let (isFirstThisPoll, position) = found else {
                fresh.append((id, sample))
                continue
            }
            places[place] = SourceSeries.Place(labels: sample.labels, id: id, position: position)
            reported += isFirstThisPoll ? 1 : 0
        }
        held.places = places
        if held.count > reported {
            Self.removeSeries(from: &held) { $0.lastPoll <= poll - self.retention }
        }
        let freshCount = Set(fresh.lazy.map(\.id)).count
        if held.count + freshCount > self.maximumSeriesPerSource {
            Self.evictUnreported(from: &held, count: held.count + freshCount - self.maximumSeriesPerSource, at: poll)
        }
        var dropped = 0
        var inserted = 0
        for (id, sample) in fresh {
            let point = Point(time: time, value: sample.value)
            let isHeld = held.modify(id) { existing in
                isKindChanged = isKindChanged || existing.kind != sample.kind
                existing.append(point, kind: sample.kind, poll: poll, retention: retention)
                return true
            }
            if isHeld == true {
                continue
            }
            let bytes = Self.identityBytes(of: id)
            guard held.count < self.maximumSeriesPerSource,
                held.identityBytes + bytes <= self.maximumIdentityBytesPerSource
            else {
                dropped += 1
                continue
            }
            held.insert(Series(id: id, kind: sample.kind, point: point, poll: poll))
            held.identityBytes += bytes
            inserted += 1
        }
        held.dropped = dropped
        held.lastTime = time
        held.isAllCurrent = held.count == reported + inserted
        if held.identityChanges != identityChanges {
            self.identityGeneration += 1
        }
        if held.identityChanges != identityChanges || isKindChanged {
            held.identityStamp = Self.nextStamp()
        }
        self.bySource[source] = held
    }

    /// The bytes a series' identity takes: its name, and each label's name and value, in UTF-8.
    static func identityBytes(of id: SeriesID) -> Int {
        id.labels.reduce(id.name.utf8.count) { $0 + $1.name.utf8.count + $1.value.utf8.count }
    }

    /// Removes the series `isRemoved` picks, keeping the identity bytes in step.
    private static func removeSeries(from held: inout SourceSeries, where isRemoved: (Series) -> Bool) {
        let removed = held.all.filter(isRemoved).map(\.id)
        for id in removed {
            held.remove(id)
            held.identityBytes -= Self.identityBytes(of: id)
        }
    }

    /// Removes up to `count` series that were not reported in the poll `poll`, those read longest ago first.
    private static func evictUnreported(from held: inout SourceSeries, count: Int, at poll: Int) {
        let unreported = held.all.filter { $0.lastPoll < poll }.sorted {
            ($0.points.last?.time ?? 0) < ($1.points.last?.time ?? 0)
        }
        for series in unreported.prefix(count) {
            held.remove(series.id)
            held.identityBytes -= Self.identityBytes(of: series.id)
        }
    }

    // MARK: - Reading

    /// The sources that have reported at least once, sorted by name.
    public var sources: [String] {
        self.bySource.keys.sorted()
    }

    /// How many series of `source`'s last poll were dropped because it was over its series cap; the
    /// collector shows a non-zero count as `truncated to N series`.
    public func droppedSeries(source: String) -> Int {
        self.bySource[source]?.dropped ?? 0
    }

    /// When `source` last reported, or nil if it never has.
    public func lastRecordTime(source: String) -> Double? {
        self.bySource[source]?.lastTime
    }

    /// The series `source` reported in its last poll, sorted by identity.
    ///
    /// Series the source has stopped reporting keep their history but are left out here, so a
    /// removed cache does not linger on screen. Cost: O(series log series) of the source.
    public func series(source: String) -> [Series] {
        guard let held = self.bySource[source] else {
            return []
        }
        return held.all.filter { $0.lastPoll == held.poll }.sorted { $0.id < $1.id }
    }

    /// The series of `source` with the metric name `name` that it reported in its last poll, sorted by
    /// identity. Cost: O(k) for the k series of that name, and no copy when all are current; the
    /// source's others are not looked at.
    public func series(source: String, named name: String) -> [Series] {
        self.index(of: source).series(named: name)
    }

    /// The series `source` reported in its last poll whose metric name `isIncluded` accepts, in no
    /// particular order. Cost: one call of `isIncluded` per name, then the series of the names accepted.
    public func series(source: String, namesWhere isIncluded: (String) -> Bool) -> [Series] {
        self.index(of: source).series(namesWhere: isIncluded)
    }

    /// The series of `source` with exactly this identity, reported last poll or not. Cost: O(1).
    public func series(source: String, id: SeriesID) -> Series? {
        self.index(of: source).series(id: id)
    }

    /// One source's series by name, found once: a view that looks up many names of one source then
    /// hashes only the names, not the source's name each time. Cost: one lookup and a few retains.
    func index(of source: String) -> SourceIndex {
        SourceIndex(held: self.bySource[source])
    }

    /// One source's series by name, as the store held them when ``index(of:)`` was called; the
    /// lookups of ``SeriesStore/series(source:named:)`` and its siblings, without the source's.
    struct SourceIndex: Sendable {
        fileprivate let held: SourceSeries?

        /// ``SeriesStore/series(source:named:)``.
        func series(named name: String) -> [Series] {
            guard let held = self.held, let named = held.byName[name] else {
                return []
            }
            for index in named.indices where named[index].lastPoll != held.poll {
                return named.filter { $0.lastPoll == held.poll }
            }
            return named
        }

        /// ``SeriesStore/series(source:namesWhere:)``.
        func series(namesWhere isIncluded: (String) -> Bool) -> [Series] {
            guard let held = self.held else {
                return []
            }
            var found: [Series] = []
            for (name, named) in held.byName where isIncluded(name) {
                found += named.lazy.filter { $0.lastPoll == held.poll }
            }
            return found
        }

        /// ``SeriesStore/series(source:id:)``.
        func series(id: SeriesID) -> Series? {
            self.held?[id]
        }

        /// A number that is the same in two indexes of the source only if they hold the same series
        /// of the same kinds, every one of them reported in the last poll: what a reader that derives something from
        /// the identities of the current series (``LatencyLayout``) can keep its result by. Nil while
        /// some series held was not reported, or for a source without series.
        var currentSeriesStamp: Int? {
            guard let held = self.held, held.isAllCurrent else {
                return nil
            }
            return held.identityStamp
        }

        /// Where the series `id` is held, reported last poll or not; nil when it is not. Cost: a
        /// binary search among the series of its name.
        func place(of id: SeriesID) -> Place? {
            guard let named = self.held?.byName[id.name] else {
                return nil
            }
            let (position, found) = SourceSeries.position(of: id, in: named)
            return found ? Place(id: id, position: position) : nil
        }

        /// The series at `place`, when it is still there; nil otherwise. Valid across rounds while
        /// ``currentSeriesStamp`` stays the same. Cost: one hash of the name.
        func series(at place: Place) -> Series? {
            guard let named = self.held?.byName[place.id.name], named.indices.contains(place.position),
                named[place.position].id == place.id
            else {
                return nil
            }
            return named[place.position]
        }

        /// A series' identity and where it is among the series of its name.
        struct Place: Sendable {
            let id: SeriesID
            let position: Int
        }
    }

    /// The series held for `source`, reported last poll or not, and the bytes of their names and
    /// labels; for checking the bounds.
    func held(source: String) -> (series: Int, identityBytes: Int) {
        (self.bySource[source]?.count ?? 0, self.bySource[source]?.identityBytes ?? 0)
    }

    /// The total number of points held, for checking the memory bound.
    public var pointCount: Int {
        self.bySource.values.reduce(0) { total, held in total + held.all.reduce(0) { $0 + $1.points.count } }
    }
}

extension Array where Element == SeriesStore.Series {
    /// Runs `body` on the series `id` of these series of one name, sorted by identity, where it is
    /// held; nil when there is no such series. Cost: a binary search.
    fileprivate mutating func modifySeries<Result>(
        _ id: SeriesID,
        near position: Int?,
        _ body: (inout SeriesStore.Series) -> Result
    ) -> (result: Result, position: Int)? {
        if let position, self.indices.contains(position), self[position].id == id {
            return (body(&self[position]), position)
        }
        let (index, found) = SeriesStore.SourceSeries.position(of: id, in: self)
        return found ? (body(&self[index]), index) : nil
    }
}
