import FoundationEssentials
import PerfKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Reading

extension Tracker {
    /// Reads a tracker from TOML text (docs/tracker.md).
    ///
    /// Unknown keys are errors, so a misspelt key never silently unbinds a target.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - fileName: the name errors start with, e.g. `tracker.toml`.
    /// - Throws: ``TrackerError`` with the file and line: `tracker.toml:12: goal: column 3: expected a number ...`.
    public init(toml text: String, fileName: String = "tracker.toml") throws {
        let table: TOMLTable
        do {
            table = try TOMLParser.parse(text)
        } catch {
            throw TrackerError(error.message, file: fileName, line: error.line)
        }
        let reader = TOMLTrackerReader(text: text, fileName: fileName)
        self = try reader.tracker(from: table)
    }

    /// Reads the tracker file at `path`; errors name the path as given.
    ///
    /// - Throws: ``TrackerError`` when the file cannot be read or is not a valid tracker.
    public static func read(path: String) throws -> Tracker {
        let text: String
        do {
            text = try FileError.text(ofFileAt: path)
        } catch {
            throw TrackerError(error.message, file: path)
        }
        return try Tracker(toml: text, fileName: path)
    }
}

/// Turns a parsed TOML table into a ``Tracker``, finding the line of each key in the text for errors.
private struct TOMLTrackerReader {
    let lines: [Substring]
    let fileName: String
    /// The 0-based line index of each `[[target]]` header, in order.
    let targetHeaders: [Int]

    private static let topLevelKeys: Set<String> = ["title", "margin", "target"]
    private static let targetKeys: Set<String> = [
        "name", "section", "tracked", "metric", "statistic", "goal", "baseline", "baseline_captured", "priority",
        "owner", "due", "status", "notes", "columns", "trigger",
    ]

    init(text: String, fileName: String) {
        let lines = text.fileLines()
        self.lines = lines
        self.fileName = fileName
        self.targetHeaders = lines.indices.filter { lines[$0].filter { !$0.isWhitespace }.hasPrefix("[[target]]") }
    }

    // MARK: Locating

    /// The 1-based line where `key` is set: in the `index`-th target, or at the top level when `index` is nil.
    /// Falls back to the target's header line, or nil.
    func line(of key: String, target index: Int?, orHeader: Bool = true) -> Int? {
        let range: Range<Int>
        if let index, index < self.targetHeaders.count {
            let end = index + 1 < self.targetHeaders.count ? self.targetHeaders[index + 1] : self.lines.count
            range = self.targetHeaders[index]..<end
        } else {
            range = 0..<(self.targetHeaders.first ?? self.lines.count)
        }
        for number in range {
            let line = self.lines[number].drop { $0.isWhitespace }
            let unquoted = line.first == "\"" || line.first == "'" ? line.dropFirst() : line
            guard unquoted.hasPrefix(key) else {
                continue
            }
            let after = unquoted.dropFirst(key.count).drop { $0 == "\"" || $0 == "'" || $0.isWhitespace }
            if after.first == "=" {
                return number + 1
            }
        }
        guard orHeader else {
            return nil
        }
        return index.flatMap { $0 < self.targetHeaders.count ? self.targetHeaders[$0] + 1 : nil }
    }

    func error(_ message: String, key: String, target index: Int?) -> TrackerError {
        TrackerError(message, file: self.fileName, line: self.line(of: key, target: index))
    }

    // MARK: Values

    func tracker(from table: TOMLTable) throws -> Tracker {
        for key in table.keys where !Self.topLevelKeys.contains(key) {
            throw self.error(
                "unknown key '\(key)' (expected title, margin or [[target]] tables)",
                key: key,
                target: nil
            )
        }
        var tracker = Tracker()
        tracker.title = try self.string(table, "title", target: nil)
        if let value = table["margin"] {
            guard let margin = Self.number(value), margin >= 0, margin < 1 else {
                throw self.error(
                    "expected margin to be a number from 0 up to (not including) 1",
                    key: "margin",
                    target: nil
                )
            }
            tracker.margin = margin
        }
        if let value = table["target"] {
            guard let array = value.array else {
                throw self.error("expected [[target]] tables", key: "target", target: nil)
            }
            for (index, element) in array.enumerated() {
                guard let target = element.table else {
                    throw self.error("expected [[target]] tables", key: "target", target: nil)
                }
                tracker.targets.append(try self.target(from: target, index: index))
            }
        }
        return tracker
    }

    private func target(from table: TOMLTable, index: Int) throws -> TrackerTarget {
        for key in table.keys where !Self.targetKeys.contains(key) {
            let known = Self.targetKeys.sorted().joined(separator: ", ")
            throw self.error("unknown key '\(key)' (expected one of \(known))", key: key, target: index)
        }
        guard let name = try self.string(table, "name", target: index), !name.isEmpty else {
            throw self.error("a target needs a non-empty name", key: "name", target: index)
        }
        var target = TrackerTarget(name: name)
        target.section = try self.string(table, "section", target: index)
        if let value = table["tracked"] {
            guard let tracked = value.bool else {
                throw self.error("expected tracked to be true or false", key: "tracked", target: index)
            }
            target.tracked = tracked
        }
        target.metric = try self.parsed(table, "metric", target: index) { try MetricSelector(parsing: $0) }
        target.statistic = try self.parsed(table, "statistic", target: index) { try TrackerStatistic(parsing: $0) }
        if let statistic = target.statistic, let metric = target.metric, !statistic.canRead(metric) {
            throw self.error(
                "hit ratio reads a hits counter, e.g. cache_hits_total{cache=\"users\"}, not \(metric.name)",
                key: "metric",
                target: index
            )
        }
        target.goal = try self.parsed(table, "goal", target: index) { try TrackerGoal(parsing: $0) }
        target.baseline = try self.baseline(table, target: index)
        target.priority = try self.string(table, "priority", target: index).flatMap(TrackerPriority.init(parsing:))
        target.owner = try self.string(table, "owner", target: index)
        target.due = try self.date(table, target: index)
        target.status = try self.string(table, "status", target: index).flatMap(TrackerWorkStatus.init(parsing:))
        target.notes = try self.string(table, "notes", target: index)
        target.columns = try self.columns(table, target: index)
        target.trigger = try self.trigger(table, target: index)
        return target
    }

    /// A `trigger = { … }` inline table or a `[target.trigger]` table; errors name the line of the
    /// key at fault when it has one of its own, else the line of `trigger`.
    private func trigger(_ table: TOMLTable, target index: Int) throws -> Trigger? {
        guard let value = table["trigger"] else {
            return nil
        }
        guard let trigger = value.table else {
            throw self.error("expected trigger to be a table, e.g. { bell = true }", key: "trigger", target: index)
        }
        do {
            return try Trigger(toml: trigger)
        } catch {
            let line =
                self.line(of: error.key, target: index, orHeader: false) ?? self.line(of: "trigger", target: index)
            throw TrackerError("trigger: " + error.message, file: self.fileName, line: line)
        }
    }

    private func string(_ table: TOMLTable, _ key: String, target index: Int?) throws -> String? {
        guard let value = table[key] else {
            return nil
        }
        guard let string = value.string else {
            throw self.error("expected \(key) to be a string", key: key, target: index)
        }
        return string
    }

    private func parsed<T>(
        _ table: TOMLTable,
        _ key: String,
        target index: Int,
        _ parse: (String) throws -> T
    ) throws -> T? {
        guard let text = try self.string(table, key, target: index) else {
            return nil
        }
        do {
            return try parse(text)
        } catch let error as TrackerError {
            throw error.located(file: self.fileName, line: self.line(of: key, target: index), context: key)
        }
    }

    private static func number(_ value: TOMLValue) -> Double? {
        value.double ?? value.int.map(Double.init)
    }

    private func baseline(_ table: TOMLTable, target index: Int) throws -> TrackerBaseline? {
        guard let value = table["baseline"] else {
            if table["baseline_captured"] != nil {
                throw self.error("baseline_captured without a baseline", key: "baseline_captured", target: index)
            }
            return nil
        }
        guard let number = Self.number(value) else {
            throw self.error("expected baseline to be a number in base units", key: "baseline", target: index)
        }
        // TOML can spell nan and inf; neither is a measurement to compare against.
        guard number.isFinite else {
            throw self.error("baseline must be a finite number, got \(value)", key: "baseline", target: index)
        }
        guard let captured = table["baseline_captured"] else {
            return TrackerBaseline(value: number)
        }
        if let dateTime = captured.dateTime {
            let (date, time) = (dateTime.date, dateTime.time)
            let local = secondsSinceEpoch(
                year: date.year,
                month: date.month,
                day: date.day,
                hour: time.hour,
                minute: time.minute,
                second: time.second
            )
            return TrackerBaseline(value: number, captured: local - Double((dateTime.offsetMinutes ?? 0) * 60))
        }
        if let date = captured.date {
            let midnight = secondsSinceEpoch(
                year: date.year,
                month: date.month,
                day: date.day,
                hour: 0,
                minute: 0,
                second: 0
            )
            return TrackerBaseline(value: number, captured: midnight)
        }
        throw self.error(
            "expected baseline_captured to be a date-time such as 2026-01-31T12:00:00Z",
            key: "baseline_captured",
            target: index
        )
    }

    private func date(_ table: TOMLTable, target index: Int) throws -> TrackerDate? {
        guard let value = table["due"] else {
            return nil
        }
        if let date = value.date, let due = TrackerDate(year: date.year, month: date.month, day: date.day) {
            return due
        }
        if let text = value.string, let due = TrackerDate(parsing: text) {
            return due
        }
        throw self.error("expected due to be a date such as 2024-07-15", key: "due", target: index)
    }

    private func columns(_ table: TOMLTable, target index: Int) throws -> [TrackerColumn] {
        guard let value = table["columns"] else {
            return []
        }
        let message = "expected columns to be a list of [\"header\", \"cell\"] pairs"
        guard let array = value.array else {
            throw self.error(message, key: "columns", target: index)
        }
        return try array.map { element in
            guard let pair = element.array, pair.count == 2, let name = pair[0].string, let cell = pair[1].string else {
                throw self.error(message, key: "columns", target: index)
            }
            return TrackerColumn(name: name, value: cell)
        }
    }
}

/// Seconds since 1970-01-01 UTC of a civil date and time of day, read as UTC (Howard Hinnant's days-from-civil).
private func secondsSinceEpoch(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Double {
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    return Double(days * 86_400 + hour * 3600 + minute * 60 + second)
}

// MARK: - Writing

extension Tracker {
    /// The tracker as TOML: a header comment, `title` and `margin`, then one `[[target]]` table per target
    /// with its keys in a fixed order and absent values left out; `columns` one pair per line.
    ///
    /// ``init(toml:fileName:)`` reads the text back to an equal tracker.
    public func tomlText() -> String {
        var lines = ["# perftop optimization tracker; the format is described in docs/tracker.md"]
        if let title = self.title {
            lines.append("title = \(TOMLWriting.string(title))")
        }
        if let margin = self.margin {
            lines.append("margin = \(TOMLWriting.number(margin))")
        }
        for target in self.targets {
            lines.append("")
            lines.append("[[target]]")
            lines += TOMLWriting.lines(for: target)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes ``tomlText()`` to `path` atomically: a temporary file next to it, flushed, then renamed over it
    /// (``ExportSink``), so readers see the old file or the new one, never half of one.
    ///
    /// - Throws: ``ExportError`` naming the path and the system's reason.
    public func write(path: String) throws {
        let sink = try ExportSink.file(atPath: path)
        try sink.write(self.tomlText())
        try sink.finish()
    }
}

/// TOML spellings of the values perftop writes: a tracker's targets, a config file's settings.
package enum TOMLWriting {
    static func lines(for target: TrackerTarget) -> [String] {
        var lines = ["name = \(Self.string(target.name))"]
        func add(_ key: String, _ value: String?) {
            if let value {
                lines.append("\(key) = \(value)")
            }
        }
        add("section", target.section.map(Self.string))
        add("tracked", target.tracked ? nil : "false")
        add("metric", target.metric.map { Self.string($0.description) })
        add("statistic", target.statistic.map { Self.string($0.rawValue) })
        add("goal", target.goal.map { Self.string($0.description) })
        add("baseline", target.baseline.map { Self.number($0.value) })
        add("baseline_captured", target.baseline?.captured.map(Self.dateTime))
        add("priority", target.priority.map { Self.string($0.description) })
        add("owner", target.owner.map(Self.string))
        add("due", target.due?.description)
        add("status", target.status.map { Self.string($0.description) })
        add("notes", target.notes.map(Self.string))
        if !target.columns.isEmpty {
            lines.append("columns = [")
            for column in target.columns {
                lines.append("    [\(Self.string(column.name)), \(Self.string(column.value))],")
            }
            lines.append("]")
        }
        add("trigger", target.trigger?.tomlText)
        return lines
    }

    /// A literal string ('…') when the text has quotes or backslashes but no apostrophe or control
    /// character, else a basic string ("…") with escapes.
    package static func string(_ text: String) -> String {
        let hasControl = text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
        if !hasControl, !text.contains("'"), text.contains("\"") || text.contains("\\") {
            return "'\(text)'"
        }
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case "\r": escaped += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    escaped += "\\u" + String(zeroPadded: scalar.value, width: 4, radix: 16, uppercase: true)
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped + "\""
    }

    /// A TOML float that reads back to exactly `value` (Swift's shortest round-trip form).
    package static func number(_ value: Double) -> String {
        "\(value)"
    }

    /// An offset date-time in UTC, e.g. `2026-11-23T21:05:51Z`, for whole seconds since 1970.
    package static func dateTime(_ seconds: Double) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let twoDigits = [parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec].map {
            String(zeroPadded: $0, width: 2)
        }
        return String(zeroPadded: parts.tm_year + 1900, width: 4) + "-\(twoDigits[0])-\(twoDigits[1])T"
            + "\(twoDigits[2]):\(twoDigits[3]):\(twoDigits[4])Z"
    }
}
