import Foundation
import PerfKit

/// Writes collection rounds as CSV for spreadsheets and CI: one row per sample and time.
///
/// Columns: `timestamp` (ISO 8601 UTC with milliseconds), `source`, `metric`, `labels`
/// (Prometheus form, `{cache="users"}`), `value`. Each round writes the raw samples of every
/// source that answered, then the series perftop derives for its panes (``DashboardModel/derivedSamples()``),
/// named `perftop_*`. Fields are quoted per RFC 4180 (a field with a comma, quote or line break
/// is enclosed in quotes, and quotes are doubled); lines end with LF.
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
            let fields = [timestamp, source, id.name, id.labelText, ExportText.number(sample.value)]
            text += fields.map(Self.quoted).joined(separator: ",") + "\n"
        }
        return text
    }

    /// A field quoted per RFC 4180 when it needs to be.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
