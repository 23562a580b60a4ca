import FoundationEssentials
import PerfKit

/// Turns collection rounds into text in one export format; ``CSVExporter`` and ``JSONLinesExporter`` conform.
///
/// Each round becomes whole lines, each ending in a line feed, so a writer that writes a round at a
/// time never leaves half a line behind.
public protocol Exporter: Sendable {
    /// Text written once before the first round (with its line ending), or the empty string.
    var header: String { get }

    /// The lines for one round, each ending in a line feed.
    ///
    /// Cost: linear in the number of samples in the round.
    func rows(for round: Collector.Round) -> String
}

extension Collector.Round {
    /// What an export writes for this round, in order: the raw samples of every source that
    /// answered, then the series perftop derives for its panes (``DashboardModel/derivedSamples()``).
    public var exportedSamples: [(source: String, sample: Sample)] {
        var samples: [(source: String, sample: Sample)] = []
        for result in self.results {
            for sample in result.samples ?? [] {
                samples.append((result.source, sample))
            }
        }
        return samples + self.model.derivedSamples()
    }
}

/// How exports spell timestamps and numbers, shared by every format.
enum ExportText {
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
