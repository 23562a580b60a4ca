import PerfKit
import PerftopCore

/// What the tracker pane's `b` picker remembers while it is open: the target being bound, the live
/// series it can read ranked by how well they match (``SeriesMatcher``), the filter typed, the
/// selected row, and, once a series is chosen, the statistic selected.
///
/// A plain value inside ``DashboardViewState``; the list is ranked when the picker opens and each
/// time the filter changes, never per frame.
public struct TrackerPickerState: Sendable, Equatable {
    /// The target's place in the tracker and its name.
    public let targetIndex: Int
    /// The target's name, the query the list is first ranked by.
    public let targetName: String
    /// Every series that could be bound, as the model listed them when the picker opened, with
    /// their words cut once.
    public let candidates: [SeriesMatcher.Candidate]
    /// What the user typed to filter the list; empty ranks by the target's name.
    public private(set) var filter = ""
    /// The series listed: the candidates ranked by the target's name, or only those matching every
    /// word of the filter, ranked by it.
    public private(set) var listed: [BindableSeries]
    /// The selected row of ``listed``, or of ``statistics`` once a series is chosen.
    public private(set) var selected = 0
    /// The series chosen with Enter; nil while the series are listed.
    public private(set) var chosen: BindableSeries?

    /// The longest filter kept, in characters.
    public static let maximumFilterLength = 64

    /// Opens the picker for the target at `targetIndex` named `targetName`.
    public init(targetIndex: Int, targetName: String, candidates: [BindableSeries]) {
        self.targetIndex = targetIndex
        self.targetName = targetName
        self.candidates = candidates.map(SeriesMatcher.Candidate.init)
        self.listed = SeriesMatcher(query: targetName).ranked(self.candidates)
    }

    /// The statistics offered for the chosen series, the default first; empty before one is chosen.
    public var statistics: [TrackerStatistic] {
        self.chosen?.statistics ?? []
    }

    /// The rows of the list shown now: the series, or the chosen series' statistics.
    public var rowCount: Int {
        self.chosen == nil ? self.listed.count : self.statistics.count
    }

    // MARK: - Editing

    /// Moves the selection by `rows`, clamped to the list.
    mutating func move(by rows: Int) {
        let last = max(0, self.rowCount - 1)
        self.selected = min(max(0, self.selected.addingReportingOverflow(rows).partialValue), last)
    }

    /// Adds a typed character to the filter (while the series are listed) and ranks the list again.
    /// - Returns: False when the character was not taken (a control character, a full filter, or
    ///   a statistic being chosen).
    mutating func type(_ character: Character) -> Bool {
        guard self.chosen == nil, !character.unicodeScalars.contains(where: SafeText.isUnsafe),
            self.filter.count < Self.maximumFilterLength
        else {
            return false
        }
        self.setFilter(self.filter + String(character))
        return true
    }

    /// Takes the filter's last character back.
    /// - Returns: False when there was none to take.
    mutating func deleteBackward() -> Bool {
        guard self.chosen == nil, !self.filter.isEmpty else {
            return false
        }
        self.setFilter(String(self.filter.dropLast()))
        return true
    }

    /// Enter: chooses the selected series (its default statistic selected), or, once one is chosen,
    /// returns the binding of the selected statistic. Nil when there is nothing to choose.
    mutating func choose() -> TrackerBinding? {
        guard let chosen = self.chosen else {
            if self.listed.indices.contains(self.selected) {
                self.chosen = self.listed[self.selected]
                self.selected = 0
            }
            return nil
        }
        let statistics = self.statistics
        guard statistics.indices.contains(self.selected) else {
            return nil
        }
        return TrackerBinding(
            targetIndex: self.targetIndex,
            targetName: self.targetName,
            metric: chosen.selector,
            statistic: statistics[self.selected]
        )
    }

    /// Esc while a statistic is chosen: back to the series, the chosen one selected again.
    /// - Returns: False when the series are listed already (Esc then closes the picker).
    mutating func back() -> Bool {
        guard let chosen = self.chosen else {
            return false
        }
        self.chosen = nil
        self.selected = self.listed.firstIndex(of: chosen) ?? 0
        return true
    }

    private mutating func setFilter(_ filter: String) {
        self.filter = filter
        self.listed =
            filter.isEmpty
            ? SeriesMatcher(query: self.targetName).ranked(self.candidates)
            : SeriesMatcher(query: filter).ranked(self.candidates, everyWord: true)
        self.selected = 0
    }
}
