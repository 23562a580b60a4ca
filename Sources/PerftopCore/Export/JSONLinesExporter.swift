import PerfKit

/// Writes collection rounds as JSON lines: one object per sample and time, for `jq` and log pipelines.
///
/// Each line is one object with its keys always in this order:
/// `{"timestamp":"2026-11-23T16:02:11.512Z","source":"proc","metric":"node_cpu_seconds_total","type":"counter","labels":{"mode":"idle"},"value":812345.12}`.
/// `type` is the sample's kind (`counter`, `gauge`, `summary`, `histogram`, `untyped`), so a record can
/// be replayed as it was seen (``RecordReader``).
/// `labels` is an object with its keys sorted (empty, `{}`, for a series without labels); `value`
/// is a JSON number, or the string `"NaN"`, `"+Inf"` or `"-Inf"`, which JSON numbers cannot spell.
/// Rows come in the same order as ``CSVExporter``'s: raw samples, then the derived `perftop_*` series.
/// There is no header.
public struct JSONLinesExporter: Exporter {
    /// Nothing: every line stands alone.
    public let header = ""

    /// Creates an exporter.
    public init() {}

    /// The lines for one round, each ending in a line feed.
    ///
    /// Cost: linear in the number of samples in the round.
    public func rows(for round: Collector.Round) -> String {
        let timestamp = Self.string(ExportText.timestamp(round.time))
        var text = ""
        for (source, sample) in round.exportedSamples {
            let id = sample.seriesID
            let labels = id.labels.map { Self.string($0.name) + ":" + Self.string($0.value) }
            text += "{\"timestamp\":" + timestamp
            text += ",\"source\":" + Self.string(source)
            text += ",\"metric\":" + Self.string(id.name)
            text += ",\"type\":\"" + sample.kind.rawValue + "\""
            text += ",\"labels\":{" + labels.joined(separator: ",") + "}"
            text += ",\"value\":" + Self.value(sample.value) + "}\n"
        }
        return text
    }

    // MARK: - JSON text

    /// A number as JSON: finite values as numbers, the others as the strings Prometheus uses.
    static func value(_ value: Double) -> String {
        value.isFinite ? ExportText.number(value) : Self.string(ExportText.number(value))
    }

    /// A JSON string literal: quotes, backslashes and every scalar ``SafeText`` calls unsafe
    /// (controls, DEL, C1, bidi and other format characters) escaped as `\uXXXX` (a surrogate pair
    /// above U+FFFF); the rest as UTF-8. Lossless: a JSON reader gets the text back exactly.
    static func string(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where SafeText.isUnsafe(scalar): escaped += Self.unicodeEscape(scalar)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    /// JSON text from `JSONEncoder` (which escapes only U+0000…U+001F inside strings) with every
    /// other unsafe scalar spelled `\uXXXX`. Those can only stand inside the text's strings, so the
    /// document means the same; the line feeds and spaces of pretty printing are kept.
    static func escapingUnsafeScalars(_ json: String) -> String {
        let needsEscape: (Unicode.Scalar) -> Bool = { $0.value >= 0x20 && SafeText.isUnsafe($0) }
        guard json.unicodeScalars.contains(where: needsEscape) else {
            return json
        }
        var escaped = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            if needsEscape(scalar) {
                escaped.append(contentsOf: Self.unicodeEscape(scalar).unicodeScalars)
            } else {
                escaped.append(scalar)
            }
        }
        return String(escaped)
    }

    /// `\u001b`, or the UTF-16 surrogate pair's two escapes for a scalar above U+FFFF.
    private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        UTF16.encode(scalar)?.map { "\\u" + String(zeroPadded: $0, width: 4, radix: 16) }.joined() ?? ""
    }
}
