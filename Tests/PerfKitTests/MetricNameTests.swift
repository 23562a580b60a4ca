import Foundation
import PerfKit
import Testing

/// docs/metrics.md and the vocabulary name the same metrics.
@Suite("MetricName")
struct MetricNameTests {
    /// The package's root, from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Backticked words on the page that look like metric names but are not: a label value, PromQL,
    /// placeholders and the runtimes' name prefixes.
    static let notMetrics: Set<String> = [
        ProcessorOutcome.timedOut.rawValue, "histogram_quantile", "name_sum", "name_count", "go_memstats", "jvm_gc",
        "python_gc",
    ]

    /// Every name the vocabulary defines, read from its source (suffixes such as `_count` left out).
    static func vocabulary() throws -> Set<String> {
        let source = try String(
            contentsOf: Self.root.appendingPathComponent("Sources/PerfKit/Vocabulary/MetricName.swift"),
            encoding: .utf8
        )
        let literal = try Regex(#"public static let \w+ = "([a-zA-Z][a-zA-Z0-9_]*)""#)
        return Set(source.matches(of: literal).compactMap { $0.output[1].substring.map(String.init) })
    }

    /// Every metric the page names, with labels and `_count`, `_sum`, `_max`, `_bucket` of a known
    /// name taken off.
    static func documented(known: Set<String>) throws -> Set<String> {
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/metrics.md"), encoding: .utf8)
        let span = try Regex(#"`([a-z][a-z0-9]*_[A-Za-z0-9_]*[a-z0-9])(\{[^`]*\})?`"#)
        var names: Set<String> = []
        for match in page.matches(of: span) {
            guard var name = match.output[1].substring.map(String.init), !Self.notMetrics.contains(name) else {
                continue
            }
            for suffix in [MetricName.countSuffix, MetricName.sumSuffix, MetricName.maxSuffix, MetricName.bucketSuffix]
            where name.hasSuffix(suffix) && known.contains(String(name.dropLast(suffix.count))) {
                name = String(name.dropLast(suffix.count))
            }
            names.insert(name)
        }
        return names
    }

    @Test("docs/metrics.md names exactly the metrics the vocabulary defines")
    func documentedNames() throws {
        let vocabulary = try Self.vocabulary()
        let documented = try Self.documented(known: vocabulary)
        #expect(vocabulary.count > 80)
        #expect(documented.subtracting(vocabulary).sorted() == [], "documented but not in MetricName")
        #expect(vocabulary.subtracting(documented).sorted() == [], "in MetricName but not documented")
    }

    @Test("a name is a valid Prometheus metric name, defined once")
    func validNames() throws {
        let source = try String(
            contentsOf: Self.root.appendingPathComponent("Sources/PerfKit/Vocabulary/MetricName.swift"),
            encoding: .utf8
        )
        let literal = try Regex(#"public static let \w+ = "([a-zA-Z][a-zA-Z0-9_]*)""#)
        let names = source.matches(of: literal).compactMap { $0.output[1].substring.map(String.init) }
        #expect(names.count == Set(names).count, "a name is defined twice")
        #expect(names.allSatisfy { PrometheusName.sanitized($0, allowsColon: true) == $0 })
    }
}
