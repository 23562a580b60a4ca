import PerftopCore

/// What a pane needs to know besides the model: whether it has the focus, how far its table is
/// scrolled, the peaks seen since the user last reset them, and how the tracker is sorted.
///
/// The app owns this state and hands a copy to each pane per frame; panes stay pure functions of
/// model and context.
public struct PaneContext: Sendable, Equatable {
    /// True when the pane has the keyboard focus (Tab moves it; arrows scroll this pane).
    public var isFocused: Bool
    /// The first table row to show; panes clamp it to their row count.
    public var scrollOffset: Int
    /// Peak values since the last reset (`r`).
    public var peaks: Peaks
    /// The order of the tracker's rows (`s` cycles it); other panes ignore it.
    public var trackerSort: TrackerSort
    /// The selected tracker target (``TrackerTargetView/targetIndex``; nil: the first row), marked
    /// while the tracker pane has the focus; other panes ignore it.
    public var trackerSelection: Int?
    /// The fleet pane's order, filter and selection; other panes ignore it.
    public var fleet: FleetViewState
    /// The cursor of a frozen dashboard, for the focused pane's graphs; nil otherwise.
    public var cursor: GraphCursor?

    /// Creates a context; the default is an unfocused, unscrolled pane with no peaks, the
    /// tracker sorted by status (its first row selected) and the fleet by name.
    public init(
        isFocused: Bool = false,
        scrollOffset: Int = 0,
        peaks: Peaks = Peaks(),
        trackerSort: TrackerSort = .status,
        trackerSelection: Int? = nil,
        fleet: FleetViewState = FleetViewState(),
        cursor: GraphCursor? = nil
    ) {
        self.isFocused = isFocused
        self.scrollOffset = scrollOffset
        self.peaks = peaks
        self.trackerSort = trackerSort
        self.trackerSelection = trackerSelection
        self.fleet = fleet
        self.cursor = cursor
    }
}

/// The orders the optimization tracker's rows can be sorted in; `s` moves to the next.
public enum TrackerSort: String, Sendable, Hashable, CaseIterable {
    /// By status: regressed and in-progress targets first.
    case status
    /// By priority, highest first.
    case priority
    /// By due date, soonest first.
    case due

    /// The order after this one, wrapping around.
    public var next: TrackerSort {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// The highest value of a few quantities seen since the last reset, htop-style.
///
/// Bounded: one entry per quantity the model shows (per cache, processor, distribution, process),
/// and entries not seen in the latest model are dropped.
public struct Peaks: Sendable, Equatable {
    /// A quantity whose peak is kept.
    public enum Key: Sendable, Hashable {
        /// The p95 of one distribution (source, name, distribution label).
        case latencyP95(source: String, name: String, distribution: String)
        /// The queue depth of one processor.
        case queueDepth(source: String, name: String)
        /// The resident set size of one process.
        case resident(source: String)
    }

    /// The peaks by quantity.
    public private(set) var values: [Key: Double] = [:]

    /// Creates an empty set of peaks.
    public init() {}

    /// The peak of `key`, or nil when it has not been seen since the last reset.
    public subscript(key: Key) -> Double? {
        self.values[key]
    }

    /// Takes the current values of `model` into the peaks and drops quantities it no longer shows.
    /// Cost: linear in the number of rows of the model.
    public mutating func observe(_ model: DashboardModel) {
        var current: [Key: Double] = [:]
        for latency in model.latencies {
            current[.latencyP95(source: latency.source, name: latency.name, distribution: latency.distribution)] =
                latency.p95
        }
        for processor in model.processors {
            current[.queueDepth(source: processor.source, name: processor.name)] = processor.queueDepth
        }
        for process in model.memory.processes {
            current[.resident(source: process.source)] = process.residentBytes
        }
        var next: [Key: Double] = [:]
        for (key, value) in current where value.isFinite {
            next[key] = Swift.max(value, self.values[key] ?? value)
        }
        self.values = next
    }

    /// Forgets every peak, so the next ``observe(_:)`` starts afresh.
    public mutating func reset() {
        self.values = [:]
    }
}
