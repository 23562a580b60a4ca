import FoundationEssentials
import PerfKit

/// Writes collection rounds as CSV for spreadsheets and CI: one row per sample and time.
///
/// Columns: `timestamp` (ISO 8601 UTC with milliseconds), `source`, `metric`, `labels`
/// (Prometheus form, `{cache="users"}`), `value`. Each round writes the raw samples of every
/// source that answered, then the series perftop derives for its panes (``DashboardModel/derivedSamples()``),
/// named `perftop_*`. Fields are quoted per RFC 4180 (a field with a comma, quote or line break
/// is enclosed in quotes, and quotes are doubled); lines end with LF. Text from a source never
/// reaches a cell raw: control and format characters are escaped (``SafeText``) and a cell that
/// would start with `=`, `+`, `-` or `@` gets a `'` in front (``text(_:)``).
public struct CSVExporter: Exporter {
    /// The header line, with its line ending.
    public let header = "timestamp,source,metric,labels,value\n"

    /// Creates an exporter.
    public init() {}

    /// The rows for one round, each ending in a line feed.
    ///
    /// Cost: linear in the number of samples in the round.
    public func rows(for round: Collector.Round) -> String {
        let timestamp = ExportText.timestamp(round.time)
        var text = ""
        for (source, sample) in round.exportedSamples {
            let id = sample.seriesID
            let fields = [
                timestamp, Self.text(source), Self.text(id.name), Self.text(id.labelText),
                ExportText.number(sample.value),
            ]
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }

    /// Characters that make a spreadsheet read a cell as a formula when they start it (OWASP's list).
    static let formulaTriggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// A field of text from outside (a source's name, a metric, labels, a tracker's names): unsafe
    /// scalars escaped (``SafeText``), a leading `=`, `+`, `-` or `@` neutralised with a `'` in
    /// front so a spreadsheet shows it instead of running it, then quoted per RFC 4180 when needed.
    /// Numbers and timestamps perftop writes itself go in as they are.
    static func text(_ field: String) -> String {
        var safe = SafeText.escaped(field)
        if let first = safe.first, Self.formulaTriggers.contains(first) {
            safe = "'" + safe
        }
        return Self.quoted(safe)
    }

    /// A field quoted per RFC 4180 when it needs to be.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }
}
