import Foundation
import PerfKit

/// Writes collection rounds as CSV for spreadsheets and CI: one row per sample and time.
///
/// Columns: `timestamp` (ISO 8601 UTC with milliseconds), `source`, `metric`, `labels`
/// (Prometheus form, `{cache="users"}`), `value`. Each round writes the raw samples of every
/// source that answered, then the series perftop derives for its panes (``DashboardModel/derivedSamples()``),
/// named `perftop_*`. Fields are quoted per RFC 4180 (a field with a comma, quote or line break
/// is enclosed in quotes, and quotes are doubled); lines end with LF.
public struct CSVExporter: Sendable {
    /// The header line, without its line ending.
    public static let header = "timestamp,source,metric,labels,value"

    /// Creates an exporter.
    public init() {}

    /// The rows for one round, each ending in a line feed.
    ///
    /// Cost: linear in the number of samples in the round.
    public func rows(for round: Collector.Round) -> String {
        let timestamp = Self.timestamp(round.time)
        var text = ""
        for result in round.results {
            for sample in result.samples ?? [] {
                text += Self.row(timestamp: timestamp, source: result.source, sample: sample)
            }
        }
        for (source, sample) in round.model.derivedSamples() {
            text += Self.row(timestamp: timestamp, source: source, sample: sample)
        }
        return text
    }

    // MARK: - Formatting

    private static func row(timestamp: String, source: String, sample: Sample) -> String {
        let id = sample.seriesID
        let fields = [timestamp, source, id.name, id.labelText, Self.number(sample.value)]
        return fields.map(Self.quoted).joined(separator: ",") + "\n"
    }

    /// A field quoted per RFC 4180 when it needs to be.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A value as the Prometheus text format writes it: integers without a fraction, `NaN`, `+Inf`, `-Inf`.
    static func number(_ value: Double) -> String {
        if value.isNaN {
            return "NaN"
        }
        if value.isInfinite {
            return value > 0 ? "+Inf" : "-Inf"
        }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }

    /// Seconds since 1970 as ISO 8601 UTC with milliseconds, e.g. `2026-11-23T15:24:55.123Z`.
    static func timestamp(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        )
    }
}
