import FoundationEssentials
import PerfKit

/// One row of a tracker: a named goal, optionally bound to a live measurement, with its planning fields
/// and, when imported from markdown, every cell of its original table row.
public struct TrackerTarget: Sendable, Equatable {
    /// The target's name, e.g. `VectorSearchResolver: Vector Search (1K vectors)`.
    public var name: String
    /// The markdown section (table heading) the row came from, or nil.
    public var section: String?
    /// False for a row kept only for the record, from a table that holds no targets (e.g. a progress log);
    /// the evaluator gives it ``TrackerStatus/untracked`` and the dashboard leaves it out.
    public var tracked: Bool
    /// The series the target reads; nil leaves the target unbound.
    public var metric: MetricSelector?
    /// What is read from the series; nil means ``TrackerStatistic/current``.
    public var statistic: TrackerStatistic?
    /// What the value must be; nil for a target that is only watched.
    public var goal: TrackerGoal?
    /// The value captured before the work began, for relative goals and the change against it.
    public var baseline: TrackerBaseline?
    /// How urgent the target is.
    public var priority: TrackerPriority?
    /// Who works on it.
    public var owner: String?
    /// When it is due.
    public var due: TrackerDate?
    /// The work status as written in the tracker (not the live status).
    public var status: TrackerWorkStatus?
    /// Free text.
    public var notes: String?
    /// The original markdown table's header → cell pairs, in column order; empty for a hand-written target.
    public var columns: [TrackerColumn]
    /// What happens when the target's status crosses a line; nil for nothing.
    public var trigger: Trigger?

    /// Creates a target.
    public init(
        name: String,
        section: String? = nil,
        tracked: Bool = true,
        metric: MetricSelector? = nil,
        statistic: TrackerStatistic? = nil,
        goal: TrackerGoal? = nil,
        baseline: TrackerBaseline? = nil,
        priority: TrackerPriority? = nil,
        owner: String? = nil,
        due: TrackerDate? = nil,
        status: TrackerWorkStatus? = nil,
        notes: String? = nil,
        columns: [TrackerColumn] = [],
        trigger: Trigger? = nil
    ) {
        self.name = name
        self.section = section
        self.tracked = tracked
        self.metric = metric
        self.statistic = statistic
        self.goal = goal
        self.baseline = baseline
        self.priority = priority
        self.owner = owner
        self.due = due
        self.status = status
        self.notes = notes
        self.columns = columns
        self.trigger = trigger
    }

    /// Whether the target names a metric.
    public var isBound: Bool {
        self.metric != nil
    }

    /// The cell under the header `name` (compared case-insensitively), if the row has that column.
    public func column(_ name: String) -> String? {
        let wanted = name.lowercased()
        return self.columns.first { $0.name.lowercased() == wanted }?.value
    }
}

// MARK: - Columns

/// One cell of an imported markdown row: its column header and its text.
public struct TrackerColumn: Sendable, Hashable {
    /// The column header, e.g. `Target Performance`.
    public var name: String
    /// The cell's text, e.g. `<50ms`.
    public var value: String

    /// Creates a cell.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

// MARK: - Baseline

/// A target's value before the work began, in base units, and when it was captured.
public struct TrackerBaseline: Sendable, Equatable {
    /// The value in base units (seconds, bytes, a fraction, per second).
    public var value: Double
    /// When it was captured, in whole seconds since 1970-01-01 UTC (rounded down so a file keeps it exactly).
    public var captured: Double?

    /// Creates a baseline; `captured` is rounded down to a whole second.
    public init(value: Double, captured: Double? = nil) {
        self.value = value
        self.captured = captured.map { $0.rounded(.down) }
    }
}

// MARK: - Priority

/// How urgent a target is: high, medium, low, or a priority written some other way.
public enum TrackerPriority: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// High.
    case high
    /// Medium.
    case medium
    /// Low.
    case low
    /// Any other text, e.g. `P1`; never one of the words above.
    case other(String)

    /// Reads `high`, `medium` or `low` (any case; `med` too), else keeps the text; nil for empty text or `-`.
    public init?(parsing text: String) {
        let trimmed = text.trimmingWhitespace()
        switch trimmed.lowercased() {
        case "", "-", "—", "–": return nil
        case "high": self = .high
        case "medium", "med": self = .medium
        case "low": self = .low
        default: self = .other(trimmed)
        }
    }

    /// 0 for high, 1 for medium, 2 for low, 3 otherwise: the order the tracker pane sorts by.
    public var rank: Int {
        switch self {
        case .high: 0
        case .medium: 1
        case .low: 2
        case .other: 3
        }
    }

    /// `high`, `medium`, `low` or the text.
    public var description: String {
        switch self {
        case .high: "high"
        case .medium: "medium"
        case .low: "low"
        case .other(let text): text
        }
    }

    public static func < (lhs: TrackerPriority, rhs: TrackerPriority) -> Bool {
        (lhs.rank, lhs.description) < (rhs.rank, rhs.description)
    }
}

// MARK: - Work status

/// The work status a tracker document gives a target: words or the emoji 🔴 🟡 🟢 ✅ ❌.
public enum TrackerWorkStatus: Sendable, Hashable, CustomStringConvertible {
    /// `Not Started`, 🔴.
    case notStarted
    /// `In Progress`, 🟡.
    case inProgress
    /// `Completed`, `Done`, 🟢, ✅.
    case completed
    /// `Blocked`, ❌.
    case blocked
    /// Any other text; never one of the words above.
    case other(String)

    /// Reads a status cell: the words above (any case; also `todo`, `planned`, `wip`, `ongoing`,
    /// `started`, `complete`, `done`, `finished`, `failed`, `cancelled`), else the
    /// first emoji above, else the text. Mis-encoded emoji are repaired first (``Mojibake``). Nil for
    /// empty text or `-`.
    public init?(parsing text: String) {
        let repaired = Mojibake.repair(text).trimmingWhitespace()
        guard !repaired.isEmpty, !["-", "—", "–"].contains(repaired) else {
            return nil
        }
        let words = repaired.lowercased().split { !$0.isLetter }.joined(separator: " ")
        if let known = Self.words[words] {
            self = known
        } else if let match = Self.emoji.first(where: { repaired.contains($0.0) }) {
            self = match.1
        } else {
            self = .other(repaired)
        }
    }

    private static let words: [String: TrackerWorkStatus] = [
        "not started": .notStarted, "todo": .notStarted, "to do": .notStarted, "planned": .notStarted,
        "in progress": .inProgress, "wip": .inProgress, "ongoing": .inProgress, "started": .inProgress,
        "completed": .completed, "complete": .completed, "done": .completed, "finished": .completed,
        "blocked": .blocked, "failed": .blocked, "cancelled": .blocked, "canceled": .blocked,
    ]

    /// The status emoji; `âŒ` is ❌ mis-decoded by a Windows-1252 decoder that dropped its undefined byte 0x9D,
    /// which ``Mojibake`` cannot restore.
    private static let emoji: [(String, TrackerWorkStatus)] = [
        ("🔴", .notStarted), ("🟡", .inProgress), ("🟢", .completed), ("✅", .completed), ("❌", .blocked),
        ("âŒ", .blocked),
    ]

    /// `not started`, `in progress`, `completed`, `blocked` or the text.
    public var description: String {
        switch self {
        case .notStarted: "not started"
        case .inProgress: "in progress"
        case .completed: "completed"
        case .blocked: "blocked"
        case .other(let text): text
        }
    }
}

// MARK: - Date

/// A calendar date without a time zone, as in `due = 2024-07-15`.
public struct TrackerDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, 1 to 9999.
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, 1 to its last day.
    public let day: Int

    /// Creates a date; nil when the month or day does not exist (e.g. 2023-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= Self.days(inMonth: month, year: year)
        else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads `YYYY-MM-DD`; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.trimmingWhitespace().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else {
            return nil
        }
        self.init(year: year, month: month, day: day)
    }

    private static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        String(zeroPadded: self.year, width: 4) + "-" + String(zeroPadded: self.month, width: 2) + "-"
            + String(zeroPadded: self.day, width: 2)
    }

    public static func < (lhs: TrackerDate, rhs: TrackerDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
