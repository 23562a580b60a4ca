import PerfKit
import PerftopCore

/// The columns the fleet pane can be sorted by; `s` moves to the next while the pane has the focus.
/// Each sorts worst first: down before ok, the lowest hit ratio, the highest p95, queue, refusals,
/// memory, heap growth and CPU; by name, alphabetically.
public enum FleetSort: String, Sendable, Hashable, CaseIterable {
    /// By name (the label the screen shows).
    case source
    /// By state: down, stale, pending, ok.
    case state
    /// By cache hit ratio, lowest first.
    case hit
    /// By cache lookups per second, most first.
    case requests = "req/s"
    /// By the worst p95, slowest first.
    case p95
    /// By queue depth, deepest first.
    case queue
    /// By refusals per second, most first.
    case rejections = "rej/s"
    /// By resident memory, largest first.
    case resident = "rss"
    /// By heap growth, fastest first.
    case heap = "heap/s"
    /// By CPU, busiest first.
    case cpu

    /// The order after this one, wrapping around.
    public var next: FleetSort {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// What the fleet pane remembers between frames: its order, its filter (and the filter being typed),
/// the selected row, and the source drilled into, if any.
public struct FleetViewState: Sendable, Equatable {
    /// The order of the rows.
    public var sort = FleetSort.source
    /// Only sources whose label or name contains this (ignoring case) are listed; empty lists all.
    public var filter = ""
    /// The filter being typed after `/`, until Enter keeps it or Esc drops it; nil when not typing.
    public var draft: String?
    /// The index, among the rows listed, of the selected row.
    public var selected = 0
    /// The source whose panes are shown alone (Enter on its row; Esc comes back); nil for the fleet.
    public var drilled: String?
    /// Whether the selected source's query, name and state are shown under the table (`i`).
    public var showsDetail = false

    /// The longest filter kept, in characters.
    public static let maximumFilterLength = 64

    /// Creates the state of a fleet pane sorted by name, unfiltered, with the first row selected.
    public init() {}

    /// The filter in force: the one being typed, else the one kept.
    public var activeFilter: String {
        self.draft ?? self.filter
    }

    /// The sources of `model` the pane lists, filtered and sorted; ties keep the sources' order.
    /// Cost: O(n log n) in the sources.
    public func rows(of model: DashboardModel) -> [FleetRow] {
        let filter = self.activeFilter.lowercased()
        let labels = model.sourceLabels
        let label = { (source: String) in labels[source] ?? SafeText.escaped(source) }
        let listed = model.fleet.enumerated().filter { _, row in
            filter.isEmpty || label(row.source).lowercased().contains(filter)
                || row.source.lowercased().contains(filter)
        }
        return listed.sorted { lhs, rhs in
            switch Self.compare(lhs.element, rhs.element, by: self.sort, label: label) {
            case .some(let ascending): ascending
            case .none: lhs.offset < rhs.offset
            }
        }
        .map(\.element)
    }

    /// Whether `lhs` goes before `rhs` in `sort`'s worst-first order (names by `label`); nil when
    /// they tie. A row without the value goes after every row with it.
    static func compare(_ lhs: FleetRow, _ rhs: FleetRow, by sort: FleetSort, label: (String) -> String) -> Bool? {
        switch sort {
        case .source:
            let (left, right) = (label(lhs.source), label(rhs.source))
            return left == right ? nil : left < right
        case .state:
            return lhs.state.severity == rhs.state.severity ? nil : lhs.state.severity > rhs.state.severity
        case .hit:
            return Self.compare(lhs.hitRate, rhs.hitRate, highestFirst: false)
        case .requests:
            return Self.compare(lhs.requestsPerSecond, rhs.requestsPerSecond, highestFirst: true)
        case .p95:
            return Self.compare(lhs.worstP95, rhs.worstP95, highestFirst: true)
        case .queue:
            return Self.compare(lhs.queueDepth, rhs.queueDepth, highestFirst: true)
        case .rejections:
            return Self.compare(lhs.rejectedPerSecond, rhs.rejectedPerSecond, highestFirst: true)
        case .resident:
            return Self.compare(lhs.residentBytes, rhs.residentBytes, highestFirst: true)
        case .heap:
            return Self.compare(lhs.heapGrowthBytesPerSecond, rhs.heapGrowthBytesPerSecond, highestFirst: true)
        case .cpu:
            return Self.compare(lhs.cpuPercent, rhs.cpuPercent, highestFirst: true)
        }
    }

    /// Orders two optional values, missing ones (and NaN, which has no order) last; nil when equal.
    private static func compare(_ lhs: Double?, _ rhs: Double?, highestFirst: Bool) -> Bool? {
        switch (lhs.flatMap { $0.isNaN ? nil : $0 }, rhs.flatMap { $0.isNaN ? nil : $0 }) {
        case (.some(let left), .some(let right)):
            return left == right ? nil : (highestFirst ? left > right : left < right)
        case (.some, .none):
            return true
        case (.none, .some):
            return false
        case (.none, .none):
            return nil
        }
    }
}
