import PerftopCore

/// A history placed by time into slots one interval wide, for a sparkline or a graph: the newest
/// slot ends at the model's time, and each point lands in the slot its own time falls in, so a graph
/// stays true when the interval changes (points read a second apart after it was 250 ms sit four
/// slots apart).
///
/// A slot without a point between two that have one holds the earlier value (the value last read,
/// as a monitor shows it); slots before the first point are left out, so a short history is drawn
/// right-aligned; slots after the last point (a source that stopped answering) are NaN and draw as
/// gaps. Cost: O(points + count).
enum TimeSlots {
    /// The most slots a history is cut to: wider than any terminal.
    static let maximumCount = 512

    /// The values of the last `count` slots of `interval` seconds ending at `now`, oldest first.
    ///
    /// Without a positive, finite interval the points' values are returned in order (one per slot).
    static func values(
        of points: some Collection<SeriesStore.Point>,
        now: Double,
        interval: Double,
        count: Int = TimeSlots.maximumCount
    ) -> [Double] {
        guard interval > 0, interval.isFinite, now.isFinite, count > 0 else {
            return points.suffix(count).map(\.value)
        }
        var slots = [Double?](repeating: nil, count: count)
        for point in points {
            // Slots back from the newest, to the nearest (halves away from it): adding one half
            // and truncating rounds as `rounded()` does over this range, without its call into libm
            // (a quarter of this function's time). NaN fails both comparisons.
            let back = (now - point.time) / interval
            guard back > -0.5, back < Double(count) - 0.5 else {
                continue
            }
            slots[count - 1 - Int(back + 0.5)] = point.value
        }
        guard let first = slots.firstIndex(where: { $0 != nil }), let last = slots.lastIndex(where: { $0 != nil })
        else {
            return []
        }
        var values: [Double] = []
        values.reserveCapacity(count - first)
        var held = Double.nan
        for index in first..<count {
            if let value = slots[index] {
                held = value
            }
            values.append(index <= last ? held : .nan)
        }
        return values
    }
}

extension DashboardModel {
    /// `points` in slots of the model's interval ending at its time (``TimeSlots``).
    func slots(_ points: some Collection<SeriesStore.Point>) -> [Double] {
        TimeSlots.values(of: points, now: self.timestamp, interval: self.interval)
    }
}
