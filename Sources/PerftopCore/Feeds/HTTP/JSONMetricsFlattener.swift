import Foundation
import PerfKit

/// Turns any JSON document into samples: every numeric leaf becomes one untyped sample.
///
/// Naming: the path from the root to the leaf, object keys and array indices joined by dots
/// (`memstats.BySize.3.Mallocs`), is made a valid Prometheus metric name by replacing every character
/// other than `A-Z`, `a-z`, `0-9`, `_` and `:` (the dots included) with `_`, and prefixing `_` when it
/// starts with a digit: `memstats_BySize_3_Mallocs`. A document that is a bare number is called
/// `value`. When two paths end up with the same name, the first in key order wins and the others are
/// dropped. Booleans become 0 and 1; strings and nulls are ignored. Samples come out sorted by path.
///
/// Go expvar: a top-level `memstats` object (what `/debug/vars` serves) also yields the churn
/// conventions of docs/metrics.md: `Mallocs` → `allocs_total`, `Frees` → `frees_total`, `TotalAlloc` →
/// `alloc_bytes_total` (counters), `HeapAlloc` → `process_heap_in_use_bytes` (gauge), `NumGC` →
/// `gc_collections_total` and `PauseTotalNs` → `gc_pause_seconds_total` (counters, nanoseconds turned
/// into seconds).
///
/// Bounds: at most ``maximumSamples`` numeric leaves and ``maximumDepth`` levels of nesting; a
/// document over either fails with a ``JSONFlatteningError`` rather than being cut silently. Cost:
/// decoding the document (linear in its size) plus sorting each object's keys.
public struct JSONMetricsFlattener: Sendable {
    /// The most numeric leaves (booleans included) a document may hold.
    public var maximumSamples: Int
    /// The deepest nesting accepted; the root object is level 1.
    public var maximumDepth: Int

    /// Creates a flattener.
    ///
    /// - Parameters:
    ///   - maximumSamples: at least 1; 10,000 by default.
    ///   - maximumDepth: at least 1; 32 by default.
    public init(maximumSamples: Int = 10_000, maximumDepth: Int = 32) {
        precondition(maximumSamples >= 1 && maximumDepth >= 1, "A flattener must allow something")
        self.maximumSamples = maximumSamples
        self.maximumDepth = maximumDepth
    }

    /// Flattens one JSON document.
    ///
    /// - Throws: ``JSONFlatteningError``: `invalid JSON`, `nesting deeper than N levels` or
    ///   `more than N numeric values`.
    public func flatten(_ data: Data) throws(JSONFlatteningError) -> [Sample] {
        let document: JSONValue
        do {
            document = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw JSONFlatteningError("invalid JSON")
        }
        var flattening = Flattening(limit: self.maximumSamples)
        try flattening.visit(document, path: [], depth: 0, maximumDepth: self.maximumDepth)
        if case .object(let root) = document, case .object(let memstats)? = root["memstats"] {
            try flattening.appendExpvar(memstats)
        }
        return flattening.samples
    }

    /// `path` as a metric name: dots between the parts, then every character outside `[A-Za-z0-9_:]`
    /// replaced with `_`, and `_` in front of a leading digit (`_` for an empty key, `value` for the
    /// document's root); the rule of the swift-metrics backend's names.
    public static func metricName(path: [String]) -> String {
        path.isEmpty ? "value" : PrometheusName.sanitized(path.joined(separator: "."), allowsColon: true)
    }
}

/// Why a JSON document could not be flattened.
public struct JSONFlatteningError: Error, Hashable, CustomStringConvertible {
    /// The reason, lower case, without a trailing period.
    public var reason: String

    /// Creates an error with the reason to show.
    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String {
        self.reason
    }
}

// MARK: - Walking the document

/// The samples of one flattening and the names already taken.
private struct Flattening {
    /// Go expvar `memstats` fields and the conventional names they feed.
    static let expvar: [(field: String, name: String, kind: Sample.Kind, scale: Double)] = [
        ("Mallocs", "allocs_total", .counter, 1),
        ("Frees", "frees_total", .counter, 1),
        ("TotalAlloc", "alloc_bytes_total", .counter, 1),
        ("HeapAlloc", "process_heap_in_use_bytes", .gauge, 1),
        ("NumGC", "gc_collections_total", .counter, 1),
        ("PauseTotalNs", "gc_pause_seconds_total", .counter, 1e-9),
    ]

    let limit: Int
    var samples: [Sample] = []
    var names: Set<String> = []

    init(limit: Int) {
        self.limit = limit
    }

    mutating func visit(
        _ value: JSONValue,
        path: [String],
        depth: Int,
        maximumDepth: Int
    ) throws(JSONFlatteningError) {
        switch value {
        case .number(let number):
            try self.append(JSONMetricsFlattener.metricName(path: path), .untyped, number)
        case .bool(let flag):
            try self.append(JSONMetricsFlattener.metricName(path: path), .untyped, flag ? 1 : 0)
        case .string, .null:
            return
        case .array(let elements):
            guard depth < maximumDepth else {
                throw JSONFlatteningError("nesting deeper than \(maximumDepth) levels")
            }
            for (index, element) in elements.enumerated() {
                try self.visit(element, path: path + [String(index)], depth: depth + 1, maximumDepth: maximumDepth)
            }
        case .object(let members):
            guard depth < maximumDepth else {
                throw JSONFlatteningError("nesting deeper than \(maximumDepth) levels")
            }
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                try self.visit(member, path: path + [key], depth: depth + 1, maximumDepth: maximumDepth)
            }
        }
    }

    mutating func appendExpvar(_ memstats: [String: JSONValue]) throws(JSONFlatteningError) {
        for mapping in Self.expvar {
            if case .number(let value)? = memstats[mapping.field] {
                try self.append(mapping.name, mapping.kind, value * mapping.scale)
            }
        }
    }

    private mutating func append(_ name: String, _ kind: Sample.Kind, _ value: Double) throws(JSONFlatteningError) {
        guard self.names.insert(name).inserted else {
            return
        }
        guard self.samples.count < self.limit else {
            throw JSONFlatteningError("more than \(self.limit) numeric values")
        }
        self.samples.append(Sample(name: name, kind: kind, value: value))
    }
}

/// A decoded JSON value.
private enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // The likeliest kinds first: every failed attempt builds a DecodingError, the main cost here.
        if container.decodeNil() {
            self = .null
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let members = try? container.decode([String: JSONValue].self) {
            self = .object(members)
        } else if let elements = try? container.decode([JSONValue].self) {
            self = .array(elements)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else {
            self = .string(try container.decode(String.self))
        }
    }
}
