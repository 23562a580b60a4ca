import PerftopCore

/// A history placed by time into slots one interval wide, for a sparkline or a graph: the newest
/// slot ends at the model's time, and each point lands in the slot its own time falls in, so a graph
/// stays true when the interval changes (points read a second apart after it was 250 ms sit four
/// slots apart).
///
/// A slot without a point between two that have one holds the earlier value (the value last read,
/// as a monitor shows it), also when the earlier point is older than the slots asked for (up to
/// ``maximumCount`` slots back); slots before the first point are left out, so a short history is
/// drawn right-aligned; slots after the last point (a source that stopped answering) are NaN and
/// draw as gaps. The points must be in time order, as the store keeps them: they are read from the
/// newest back, and reading stops at the first point older than the slots. Cost: O(count + the
/// points in the slots).
enum TimeSlots {
    /// The most slots a history is cut to: wider than any terminal.
    static let maximumCount = 512

    /// The values of the last `count` slots of `interval` seconds ending at `now`, oldest first: the
    /// last `count` of all ``maximumCount`` slots' values. A sparkline in a table, which shows at
    /// most its pane's width of them and scales to those it shows, asks for no more.
    ///
    /// Without a positive, finite interval the points' values are returned in order (one per slot).
    static func values(
        of points: some BidirectionalCollection<SeriesStore.Point>,
        now: Double,
        interval: Double,
        count: Int = TimeSlots.maximumCount
    ) -> [Double] {
        guard interval > 0, interval.isFinite, now.isFinite, count > 0 else {
            return points.suffix(count).map(\.value)
        }
        let count = min(count, Self.maximumCount)
        // The slots that hold a point, newest first: how many slots back from the newest, and the
        // value of the newest point in it. Slots back are rounded to the nearest (halves away from
        // the newest): adding one half and truncating rounds as `rounded()` does over this range,
        // without its call into libm. NaN fails every comparison.
        var placed: [(back: Int, value: Double)] = []
        var carried: Double?
        for point in points.reversed() {
            let back = (now - point.time) / interval
            if back >= Double(count) - 0.5 {
                // Older than the slots: its value fills them up to the first point in them.
                if back < Double(Self.maximumCount) - 0.5 {
                    carried = point.value
                }
                break
            }
            guard back > -0.5 else {
                continue
            }
            let slot = Int(back + 0.5)
            if placed.last?.back != slot {
                placed.append((slot, point.value))
            }
        }
        guard let newest = placed.first else {
            // Every point is older than the slots: they all come after the last one.
            return carried == nil ? [] : Array(repeating: .nan, count: count)
        }
        let oldest = carried == nil ? placed[placed.count - 1].back : count - 1
        var values: [Double] = []
        values.reserveCapacity(oldest + 1)
        var held = carried ?? .nan
        var next = placed.count - 1
        for back in stride(from: oldest, through: 0, by: -1) {
            if next >= 0 && placed[next].back == back {
                held = placed[next].value
                next -= 1
            }
            values.append(back >= newest.back ? held : .nan)
        }
        return values
    }
}

extension DashboardModel {
    /// `cache`'s hit rate in the last `count` slots (``slots(_:count:)``), derived from its counters
    /// only as far back as the slots reach, not over the whole retained window.
    func hitRateSlots(_ cache: CacheView, count: Int) -> [Double] {
        let count = min(count, TimeSlots.maximumCount)
        guard self.interval > 0, self.interval.isFinite, self.timestamp.isFinite, count > 0 else {
            return self.slots(cache.hitRatePoints, count: count)
        }
        // The newest point this old or older is the last one `TimeSlots` reads (it fills the slots
        // before the first point in them); one interval more keeps rounding from moving it.
        let span = (Double(count) + 0.5) * self.interval
        let points = cache.hitRatePoints(reaching: self.timestamp - span, within: span + 2 * self.interval)
        return self.slots(points, count: count)
    }

    /// `points` in slots of the model's interval ending at its time (``TimeSlots``).
    func slots(_ points: some BidirectionalCollection<SeriesStore.Point>, count: Int = TimeSlots.maximumCount)
        -> [Double]
    {
        TimeSlots.values(of: points, now: self.timestamp, interval: self.interval, count: count)
    }
}
