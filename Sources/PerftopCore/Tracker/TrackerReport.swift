import FoundationEssentials
import PerfKit

/// Renders a ``TrackerEvaluation`` for `perftop tracker check --format`: a text table, CSV, JSON, or the
/// original markdown tables with their "Current …" columns filled in.
public enum TrackerReport {
    /// An output format.
    public enum Format: String, Sendable, CaseIterable {
        /// An aligned table for a terminal, then a `gate:` line.
        case text
        /// RFC 4180 CSV, one row per tracked target, numbers in base units.
        case csv
        /// One JSON object: `title`, `passed` and `targets` (numbers in base units; keys sorted).
        case json
        /// The imported markdown document's tables, with the live value in each "Current …" column.
        case markdown
    }

    /// `evaluation` in `format`, ending with a newline. Rows kept only for the record (untracked) appear in
    /// the markdown output alone.
    public static func render(_ evaluation: TrackerEvaluation, format: Format) -> String {
        switch format {
        case .text: Self.text(evaluation)
        case .csv: Self.csv(evaluation)
        case .json: Self.json(evaluation)
        case .markdown: Self.markdown(evaluation)
        }
    }

    // MARK: - Text

    private static func text(_ evaluation: TrackerEvaluation) -> String {
        let header = ["STATUS", "TARGET", "VALUE", "GOAL", "VS BASELINE", "TREND", "PRIORITY", "DUE", "NOTE"]
        let rows = evaluation.results.filter(\.target.tracked).map { result in
            [
                result.status.rawValue,
                result.target.name,
                result.formattedValue ?? "-",
                result.formattedGoal ?? "-",
                result.formattedChange ?? "-",
                result.formattedTrend ?? "-",
                result.target.priority?.description ?? "-",
                result.target.due?.description ?? "-",
                result.reason ?? "",
            ]
        }
        let table = [header] + rows.map { $0.map { SafeText.escaped($0) } }
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        var lines = table.map { row in
            var line = zip(row, widths).map { $0 + String(repeating: " ", count: max(0, $1 - $0.count)) }
                .joined(separator: "  ")
            while line.last == " " {
                line.removeLast()
            }
            return line
        }
        let failures = evaluation.failures
        let bound = evaluation.results.filter { $0.target.tracked && $0.target.isBound && $0.target.goal != nil }
        if failures.isEmpty {
            lines.append("gate: pass (\(bound.count) bound target\(bound.count == 1 ? "" : "s") met)")
        } else {
            let names = failures.map { "\(SafeText.escaped($0.target.name)) (\($0.status))" }.joined(separator: ", ")
            lines.append("gate: fail (\(failures.count) of \(bound.count)): \(names)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - CSV

    private static func csv(_ evaluation: TrackerEvaluation) -> String {
        let header = [
            "section", "target", "status", "value", "comparison", "threshold", "goal", "baseline",
            "change_from_baseline", "trend", "trend_direction", "priority", "owner", "due", "metric", "statistic",
            "source", "series", "reason",
        ]
        let rows = evaluation.results.filter(\.target.tracked).map(Self.csvRow)
        return ([header.joined(separator: ",")] + rows).map { $0 + "\n" }.joined()
    }

    /// One CSV row: the fields of ``csv(_:)``'s header; numbers as perftop writes them, text (names,
    /// goals, reasons: from the tracker file or a source) made safe by ``CSVExporter/text(_:)``.
    private static func csvRow(_ result: TrackerResult) -> String {
        let target = result.target
        func number(_ value: Double?) -> String {
            value.map { ExportText.number($0) } ?? ""
        }
        func text(_ value: String?) -> String {
            CSVExporter.text(value ?? "")
        }
        let fields: [String] = [
            text(target.section), text(target.name), result.status.rawValue, number(result.value),
            text(result.comparison?.rawValue), number(result.threshold), text(target.goal?.description),
            number(target.baseline?.value), number(result.changeFromBaseline), number(result.trend),
            text(result.trendDirection?.rawValue), text(target.priority?.description), text(target.owner),
            text(target.due?.description), text(target.metric?.description), text(target.statistic?.rawValue),
            text(result.reading?.source), text(result.reading?.series.description), text(result.reason),
        ]
        return fields.joined(separator: ",")
    }

    // MARK: - JSON

    private struct JSONReport: Encodable {
        var title: String?
        var passed: Bool
        var targets: [JSONTarget]
    }

    private struct JSONTarget: Encodable {
        var section: String?
        var name: String
        var status: String
        var value: Double?
        var display: String?
        var comparison: String?
        var threshold: Double?
        var goal: String?
        var baseline: Double?
        var changeFromBaseline: Double?
        var trend: Double?
        var trendDirection: String?
        var priority: String?
        var owner: String?
        var due: String?
        var metric: String?
        var statistic: String?
        var source: String?
        var series: String?
        var reason: String?
        var failsGate: Bool
    }

    private static func json(_ evaluation: TrackerEvaluation) -> String {
        let finite: (Double?) -> Double? = { value in value.flatMap { $0.isFinite ? $0 : nil } }
        let targets = evaluation.results.filter(\.target.tracked).map { result in
            JSONTarget(
                section: result.target.section,
                name: result.target.name,
                status: result.status.rawValue,
                value: finite(result.value),
                display: result.formattedValue,
                comparison: result.comparison?.rawValue,
                threshold: finite(result.threshold),
                goal: result.target.goal?.description,
                baseline: finite(result.target.baseline?.value),
                changeFromBaseline: finite(result.changeFromBaseline),
                trend: finite(result.trend),
                trendDirection: result.trendDirection?.rawValue,
                priority: result.target.priority?.description,
                owner: result.target.owner,
                due: result.target.due?.description,
                metric: result.target.metric?.description,
                statistic: result.target.statistic?.rawValue,
                source: result.reading?.source,
                series: result.reading?.series.description,
                reason: result.reason,
                failsGate: result.failsGate
            )
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let report = JSONReport(title: evaluation.title, passed: evaluation.passed, targets: targets)
        let data = (try? encoder.encode(report)) ?? Data("{}".utf8)
        return JSONLinesExporter.escapingUnsafeScalars(String(decoding: data, as: UTF8.self)) + "\n"
    }

    // MARK: - Markdown

    private static func markdown(_ evaluation: TrackerEvaluation) -> String {
        var sections: [(name: String, results: [TrackerResult])] = []
        for result in evaluation.results {
            let name = result.target.section ?? "Targets"
            if let index = sections.firstIndex(where: { $0.name == name }) {
                sections[index].results.append(result)
            } else {
                sections.append((name, [result]))
            }
        }
        var lines: [String] = []
        if let title = evaluation.title {
            lines += ["# \(SafeText.escaped(title))", ""]
        }
        for section in sections {
            lines += ["## \(SafeText.escaped(section.name))", ""]
            lines += Self.table(section.results)
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// One markdown table: the original columns (every header any row has, in first-seen order) with the
    /// live value in each `Current …` column; targets without columns get the standard columns.
    private static func table(_ results: [TrackerResult]) -> [String] {
        var headers: [String] = []
        for result in results {
            for column in Self.columns(of: result) where !headers.contains(column.name) {
                headers.append(column.name)
            }
        }
        let body = results.map { Self.row(Self.cells(of: $0, under: headers)) }
        return [Self.row(headers), Self.row(headers.map { _ in "---" })] + body
    }

    /// The cells of `result` under `headers`: its own cell for each header (empty when it has none),
    /// with the live value in every column whose header starts with "Current".
    private static func cells(of result: TrackerResult, under headers: [String]) -> [String] {
        let current = result.formattedValue
        let columns = Self.columns(of: result)
        var cells: [String] = []
        for header in headers {
            if header.lowercased().hasPrefix("current"), let current {
                cells.append(current)
            } else {
                cells.append(columns.first { $0.name == header }?.value ?? "")
            }
        }
        return cells
    }

    private static func columns(of result: TrackerResult) -> [TrackerColumn] {
        let target = result.target
        guard target.columns.isEmpty else {
            return target.columns
        }
        let cells: [(String, String?)] = [
            ("Target", target.name), ("Status", target.status?.description), ("Live", result.status.rawValue),
            ("Current", "-"), ("Goal", target.goal?.description), ("Priority", target.priority?.description),
            ("Owner", target.owner), ("Due", target.due?.description), ("Notes", target.notes),
        ]
        return cells.map { TrackerColumn(name: $0.0, value: $0.1 ?? "-") }
    }

    private static func row(_ cells: [String]) -> String {
        let escaped = cells.map {
            SafeText.escaped($0.replacing("\n", with: " ")).replacing("|", with: "\\|")
        }
        return "| " + escaped.joined(separator: " | ") + " |"
    }
}

// MARK: - Display

extension TrackerResult {
    /// The kind of quantity the value is, for display: the goal's unit, else the statistic (`hit ratio` is a
    /// fraction, `rate` per second), else the metric's name (`_seconds`, `_bytes`, `_ratio`), else plain.
    public var valueKind: TrackerUnit.Kind {
        TrackerUnit.Kind(goal: self.target.goal, statistic: self.target.statistic, metric: self.target.metric)
    }

    private var decimalBytes: Bool {
        [.kilobytes, .megabytes, .gigabytes, .terabytes].contains(self.target.goal?.unit)
    }

    private func format(_ value: Double) -> String {
        TrackerUnit.format(value, kind: self.valueKind, decimalBytes: self.decimalBytes)
    }

    /// The value for display, e.g. `45.2ms`, `72.5%`, `1.5GiB`; nil without a value.
    public var formattedValue: String? {
        self.value.map(self.format)
    }

    /// The goal for display; a relative goal with its resolved bound, e.g. `-30% vs baseline (<= 35MiB)`.
    public var formattedGoal: String? {
        guard let goal = self.target.goal else {
            return nil
        }
        if case .relative = goal, let comparison = self.comparison, let threshold = self.threshold {
            return "\(goal) (\(comparison.rawValue) \(self.format(threshold)))"
        }
        return goal.description
    }

    /// The change from the baseline as a signed percentage, e.g. `-32%`.
    public var formattedChange: String? {
        self.changeFromBaseline.map { ($0 > 0 ? "+" : "") + TrackerUnit.number($0 * 100) + "%" }
    }

    /// The trend with its sign and direction, e.g. `-1.2ms improving`.
    public var formattedTrend: String? {
        guard let trend = self.trend else {
            return nil
        }
        let text = (trend > 0 ? "+" : "") + self.format(trend)
        return self.trendDirection.map { "\(text) \($0.rawValue)" } ?? text
    }
}

// MARK: - Dashboard

extension TrackerEvaluation {
    /// The tracker pane's rows: every tracked target, in the tracker's order.
    public var views: [TrackerTargetView] {
        self.results.enumerated().filter(\.element.target.tracked).map { index, result in
            TrackerTargetView(
                name: result.target.name,
                goal: result.formattedGoal ?? "-",
                current: result.formattedValue,
                status: result.status.rawValue,
                section: result.target.section,
                priority: result.target.priority?.description,
                priorityRank: result.target.priority?.rank ?? 4,
                owner: result.target.owner,
                due: result.target.due?.description,
                statusRank: result.status.rank,
                change: result.formattedChange,
                trend: result.trendDirection,
                targetIndex: index
            )
        }
    }
}
