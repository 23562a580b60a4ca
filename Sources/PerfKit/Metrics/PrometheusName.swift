/// The one rule for Prometheus metric and label names: a metric name matches `[a-zA-Z_:][a-zA-Z0-9_:]*`,
/// a label name `[a-zA-Z_][a-zA-Z0-9_]*` (docs/protocol.md).
///
/// Shared by the swift-metrics backend, the text encoder, the snapshot decoder and perftop's feeds,
/// hence `package` access.
package enum PrometheusName {
    /// `name` with every character that is not allowed replaced by `_`, and a `_` in front of a
    /// leading digit; `_` for an empty name.
    package static func sanitized(_ name: String, allowsColon: Bool) -> String {
        if Self.isValid(name, allowsColon: allowsColon) {
            return name
        }
        var result = ""
        result.reserveCapacity(name.utf8.count)
        if name.utf8.first.map(Self.isDigit) ?? true {
            result.append("_")
        }
        for scalar in name.unicodeScalars {
            if scalar.isASCII, Self.isAllowed(UInt8(scalar.value), allowsColon: allowsColon) {
                result.unicodeScalars.append(scalar)
            } else {
                result.append("_")
            }
        }
        return result
    }

    /// Whether `name` follows the rule: a metric name when `allowsColon`, else a label name. Cost: one
    /// pass over its UTF-8 bytes.
    package static func isValid(_ name: String, allowsColon: Bool) -> Bool {
        guard let first = name.utf8.first, !Self.isDigit(first) else {
            return false
        }
        return name.utf8.allSatisfy { Self.isAllowed($0, allowsColon: allowsColon) }
    }

    private static func isAllowed(_ byte: UInt8, allowsColon: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            return true
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: ":"):
            return allowsColon
        default:
            return false
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
