import FoundationEssentials
import PerfKit

/// Reads the pipe tables of a markdown tracker document (like docs/tracker.md's example) into a ``Tracker``.
///
/// Every row of every table becomes a ``TrackerTarget`` in document order, with all of its cells kept in
/// ``TrackerTarget/columns`` (cells past the header's get headers `Column N`; the first row also gets an empty
/// cell under each header it lacks) and the nearest heading above the table as its ``TrackerTarget/section``; the
/// first `#` heading becomes the title. A table with a status or goal column holds targets; the rows of
/// any other table (a progress log, a list of bottlenecks) are kept with ``TrackerTarget/tracked`` false.
///
/// Known columns (matched case-insensitively) fill the target's fields when their cell reads:
///
/// | field | columns |
/// |---|---|
/// | name | the first column's cell, plus `: <cell>` of an `Operation` column; `<section> <row>` when empty |
/// | status | `Status` (words or emoji, see ``TrackerWorkStatus``) |
/// | priority | `Priority` |
/// | owner | `Assigned To`, `Owner`, `Assignee` |
/// | due | `Target Completion`, `Due`, `Due Date`, `Deadline`, `Target Date` (`YYYY-MM-DD`) |
/// | goal | `Goal`, `Target`, `Expected Improvement`, any other `Target …` column (e.g. `Target Performance`) |
/// | statistic | `Measurement Method`, `Method`, `Statistic` (``TrackerStatistic/init(describedBy:)``) |
/// | metric | `Metric`, `Selector`, `Series` (a ``MetricSelector``) |
/// | notes | `Notes` |
///
/// A cell of `-` is empty. Rows bind to no metric unless a metric column holds a selector that their statistic
/// can read (``TrackerStatistic/canRead(_:)``: a hit ratio needs a hits counter). A NUL character
/// becomes U+FFFD (`�`): the TOML file a tracker is saved as could not hold it.
public struct MarkdownTrackerImporter: Sendable {
    /// Whether text mis-decoded as Windows-1252 is repaired first (``Mojibake``), so `ðŸ”´` is kept as 🔴.
    public var repairsEncoding: Bool

    /// Creates an importer.
    public init(repairsEncoding: Bool = true) {
        self.repairsEncoding = repairsEncoding
    }

    /// Reads the markdown file at `path`.
    ///
    /// - Throws: ``TrackerError`` when the file cannot be read, is not UTF-8 or holds no table.
    public func importFile(path: String) throws -> Tracker {
        let text: String
        do {
            text = try FileError.text(ofFileAt: path)
        } catch {
            throw TrackerError(error.message, file: path)
        }
        let tracker = self.tracker(fromMarkdown: text)
        guard !tracker.targets.isEmpty else {
            throw TrackerError("no markdown table with rows found", file: path)
        }
        return tracker
    }

    /// The tracker the tables of `markdown` describe; no targets when it has no table. Cost: linear in its length.
    public func tracker(fromMarkdown markdown: String) -> Tracker {
        let repaired = self.repairsEncoding ? Mojibake.repair(markdown) : markdown
        let text = repaired.contains("\0" as Character) ? repaired.replacing("\0", with: "\u{FFFD}") : repaired
        let lines = text.fileLines().map {
            $0.trimmingWhitespace(includingNewlines: true)
        }
        var tracker = Tracker()
        var section: String?
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("#") {
                let level = line.prefix { $0 == "#" }.count
                let heading = line.dropFirst(level).trimmingWhitespace()
                if level == 1, tracker.title == nil {
                    tracker.title = heading
                } else if level > 1 {
                    section = heading
                }
                index += 1
            } else if line.hasPrefix("|"), index + 1 < lines.count, Self.isSeparator(lines[index + 1]) {
                let headers = Self.cells(of: line)
                index += 2
                var rows: [[String]] = []
                while index < lines.count, lines[index].hasPrefix("|") {
                    rows.append(Self.cells(of: lines[index]))
                    index += 1
                }
                tracker.targets += Self.targets(headers: headers, rows: rows, section: section)
            } else {
                index += 1
            }
        }
        return tracker
    }

    // MARK: - Tables

    /// Whether `line` is a table's separator row, e.g. `|---|:---:|`.
    private static func isSeparator(_ line: String) -> Bool {
        let cells = Self.cells(of: line)
        return line.hasPrefix("|") && !cells.isEmpty
            && cells.allSatisfy { cell in cell.contains("-") && cell.allSatisfy { "-:".contains($0) } }
    }

    /// The trimmed cells of a table row; `\|` is a literal bar.
    private static func cells(of line: String) -> [String] {
        var body = Substring(line)
        if body.hasPrefix("|") {
            body = body.dropFirst()
        }
        if body.hasSuffix("|"), !body.hasSuffix("\\|") {
            body = body.dropLast()
        }
        var cells: [String] = []
        var cell = ""
        var escaped = false
        for character in body {
            if escaped {
                cell.append(character == "|" ? "|" : "\\\(character)")
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(cell.trimmingWhitespace())
                cell = ""
            } else {
                cell.append(character)
            }
        }
        if escaped {
            cell.append("\\")
        }
        cells.append(cell.trimmingWhitespace())
        return cells
    }

    private static func targets(headers: [String], rows: [[String]], section: String?) -> [TrackerTarget] {
        let headerNames = headers.enumerated().map { column, header in
            header.isEmpty ? "Column \(column + 1)" : header
        }
        let headerRoles = headerNames.map(Role.init(header:))
        let tracked = headerRoles.contains(.status) || headerRoles.contains(.goal)
        return rows.enumerated().map { number, row in
            // A row keeps the cells it has; only the first gets an empty cell under each header it lacks, so the
            // table's columns survive. Padding every row to the widest cost rows × cells: 14 kB took gigabytes.
            let width = number == 0 ? max(headers.count, row.count) : row.count
            let cells = (0..<width).map { $0 < row.count ? row[$0] : "" }
            let names = (0..<width).map { $0 < headerNames.count ? headerNames[$0] : "Column \($0 + 1)" }
            let roles = (0..<width).map { $0 < headerRoles.count ? headerRoles[$0] : Role.other }
            var name = Self.isEmpty(cells.first ?? "") ? "\(section ?? "row") \(number + 1)" : cells[0]
            if let operation = roles.firstIndex(of: .operation), operation > 0, !Self.isEmpty(cells[operation]) {
                name += ": " + cells[operation]
            }
            var target = TrackerTarget(
                name: name,
                section: section,
                tracked: tracked,
                columns: zip(names, cells).map { TrackerColumn(name: $0, value: $1) }
            )
            for (role, cell) in zip(roles, cells) where !Self.isEmpty(cell) {
                Self.fill(&target, role: role, cell: cell)
            }
            if let statistic = target.statistic, let metric = target.metric, !statistic.canRead(metric) {
                target.metric = nil
            }
            return target
        }
    }

    private static func isEmpty(_ cell: String) -> Bool {
        cell.isEmpty || cell == "-" || cell == "—" || cell == "–"
    }

    private static func fill(_ target: inout TrackerTarget, role: Role, cell: String) {
        switch role {
        case .status: target.status = TrackerWorkStatus(parsing: cell)
        case .priority: target.priority = TrackerPriority(parsing: cell)
        case .owner: target.owner = cell
        case .due: target.due = TrackerDate(parsing: cell)
        case .goal: target.goal = target.goal ?? (try? TrackerGoal(parsing: cell))
        case .statistic: target.statistic = TrackerStatistic(describedBy: cell)
        case .metric: target.metric = try? MetricSelector(parsing: cell)
        case .notes: target.notes = cell
        case .operation, .other: break
        }
    }

    /// What a column means to the importer, from its header.
    private enum Role: Equatable {
        case operation, status, priority, owner, due, goal, statistic, metric, notes, other

        init(header: String) {
            let key = header.lowercased().trimmingWhitespace()
            switch key {
            case "operation": self = .operation
            case "status": self = .status
            case "priority": self = .priority
            case "assigned to", "owner", "assignee": self = .owner
            case "target completion", "due", "due date", "deadline", "target date": self = .due
            case "goal", "target", "expected improvement": self = .goal
            case "measurement method", "method", "statistic": self = .statistic
            case "metric", "selector", "series": self = .metric
            case "notes": self = .notes
            default: self = key.hasPrefix("target ") ? .goal : .other
            }
        }
    }
}
