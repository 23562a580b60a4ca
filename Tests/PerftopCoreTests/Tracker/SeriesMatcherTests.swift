import Foundation
import PerfKit
import Testing

@testable import PerftopCore

@Suite("SeriesMatcher")
struct SeriesMatcherTests {
    /// The series the demo agent reports (as the picker lists them), plus an agent's resolver lookup.
    static let series: [BindableSeries] = [
        ("cache_capacity", ["cache": "embeddings"], .gauge),
        ("cache_entries", ["cache": "users"], .gauge),
        ("cache_hits_total", ["cache": "answers"], .counter),
        ("cache_hits_total", ["cache": "embeddings"], .counter),
        ("cache_hits_total", ["cache": "users"], .counter),
        ("cache_misses_total", ["cache": "users"], .counter),
        ("operation_seconds", ["op": "answers.generate"], .summary),
        ("operation_seconds", ["op": "embeddings.compute"], .summary),
        ("operation_seconds", ["op": "resolver.lookup"], .summary),
        ("operation_seconds", ["op": "users.lookup"], .summary),
        ("processor_queue_depth", ["processor": "jobs"], .gauge),
        ("processor_tasks_total", ["processor": "jobs", "outcome": "succeeded"], .counter),
        ("processor_wait_seconds", ["processor": "jobs"], .summary),
        ("process_resident_memory_bytes", [:], .gauge),
    ].map { name, labels, kind in
        BindableSeries(
            selector: MetricSelector(
                name: name,
                matchers: labels.sorted { $0.key < $1.key }.map {
                    MetricSelector.Matcher(label: $0.key, value: $0.value)
                }
            ),
            kind: kind
        )
    }

    static let candidates = Self.series.map(SeriesMatcher.Candidate.init)

    @Test(
        "words: camelCase, runs of capitals, punctuation and spaces split; lowercase",
        arguments: [
            ("Resolver Lookup", ["resolver", "lookup"]),
            (
                "VectorSearchResolver: Vector Search (1K vectors)",
                ["vector", "search", "resolver", "vector", "search", "1k", "vectors"]
            ),
            ("LLMResponse Parsing", ["llm", "response", "parsing"]),
            ("operation_seconds", ["operation", "seconds"]),
            ("resolver.lookup", ["resolver", "lookup"]),
            ("Task Serialization/Deserialization", ["task", "serialization", "deserialization"]),
            ("p95", ["p95"]),
            ("", []),
        ]
    )
    func words(text: String, expected: [String]) {
        #expect(SeriesMatcher.words(of: text) == expected)
    }

    @Test("'Resolver Lookup' ranks operation_seconds{op=\"resolver.lookup\"} first")
    func resolverLookup() {
        let ranked = SeriesMatcher(query: "Resolver Lookup").ranked(Self.candidates)
        #expect(ranked.first?.selector.description == #"operation_seconds{op="resolver.lookup"}"#)
        #expect(ranked[1].selector.description == #"operation_seconds{op="users.lookup"}"#, "one word of two")
        #expect(ranked.count == Self.series.count, "a name ranks every series; those matching nothing last")
    }

    @Test(
        "the seed tracker's names find their series",
        arguments: [
            ("TaskResolverRegistry: Resolver Lookup", #"operation_seconds{op="resolver.lookup"}"#),
            ("Memory Usage Optimization", "process_resident_memory_bytes"),
            ("Resolver Lookups", #"operation_seconds{op="resolver.lookup"}"#),
            ("Task Scheduling", #"processor_tasks_total{outcome="succeeded",processor="jobs"}"#),
        ]
    )
    func seedNames(name: String, expected: String) {
        #expect(SeriesMatcher(query: name).ranked(Self.candidates).first?.selector.description == expected)
    }

    @Test("every seed target's name ranks the whole list without a crash, and its best match scores above nothing")
    func seedTracker() throws {
        let url = try #require(
            Bundle.module.url(forResource: "seed-tracker", withExtension: "md", subdirectory: "Fixtures/tracker")
        )
        let tracker = try MarkdownTrackerImporter().importFile(path: url.path)
        let targets = tracker.targets.filter(\.tracked)
        #expect(targets.count == 34)
        for target in targets {
            let ranked = SeriesMatcher(query: target.name).ranked(Self.candidates)
            #expect(ranked.count == Self.series.count)
        }
    }

    @Test("a typed filter keeps only series with every word inside one of theirs")
    func filter() {
        let ranked = SeriesMatcher(query: "hits emb").ranked(Self.candidates, everyWord: true)
        #expect(ranked.map(\.selector.description) == [#"cache_hits_total{cache="embeddings"}"#])
        #expect(SeriesMatcher(query: "zzz").ranked(Self.candidates, everyWord: true).isEmpty)
        let short = SeriesMatcher(query: "qu").ranked(Self.candidates, everyWord: true)
        #expect(short.map(\.selector.name) == ["processor_queue_depth"], "a filter matches however short")
        #expect(SeriesMatcher(query: "").ranked(Self.candidates, everyWord: true).count == Self.series.count)
    }

    @Test("scores: a word 3, a prefix 2, containment 1 (three letters at least), summed")
    func scores() {
        let series = BindableSeries(
            selector: MetricSelector(name: "lookups_total", matchers: [.init(label: "op", value: "xresolver")]),
            kind: .counter
        )
        let candidate = SeriesMatcher.Candidate(series)
        #expect(candidate.words == ["lookups", "total", "xresolver"])
        #expect(SeriesMatcher(query: "total").score(candidate) == 3)
        #expect(SeriesMatcher(query: "lookup").score(candidate) == 2)
        #expect(SeriesMatcher(query: "resolver").score(candidate) == 1)
        #expect(SeriesMatcher(query: "lo").score(candidate) == 0)
        #expect(SeriesMatcher(query: "total lookup resolver").score(candidate) == 6)
    }
}
