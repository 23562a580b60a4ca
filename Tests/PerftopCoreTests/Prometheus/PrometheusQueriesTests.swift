import PerfKit
import Testing

@testable import PerftopCore

/// The PromQL perftop asks and how answers become each source's samples.
struct PrometheusQueriesTests {
    @Test func theDefaultQueryReadsTheWellKnownNamesWithTheMatchersAndWithoutTheOverridden() {
        #expect(PrometheusQueries().defaultQuery == "{__name__=~\"\(PrometheusQueries.wellKnownNames)\"}")
        let queries = PrometheusQueries(
            match: #"job="api""#,
            overrides: ["cache_misses_total": "a", "cache_hits_total": "sum by (instance) (b)"]
        )
        #expect(
            queries.defaultQuery
                == "{__name__=~\"\(PrometheusQueries.wellKnownNames)\",__name__!~\"cache_hits_total|cache_misses_total\",job=\"api\"}"
        )
        #expect(queries.queries.map(\.metricName) == [nil, "cache_hits_total", "cache_misses_total"])
        #expect(queries.upQuery == #"up{job="api"}"#)
    }

    @Test func theQueryShownForASourceNarrowsToItsLabelEscaped() {
        let queries = PrometheusQueries(sourceLabel: "pod", overrides: ["cache_hits_total": "x"])
        let text = queries.description(ofSource: #"we"ird\"#)
        #expect(text.hasSuffix(#",pod="we\"ird\\"}; cache_hits_total = x"#))
    }

    @Test func answersSplitBySourceWithoutTargetLabelsAndWithKindsByName() {
        let response = PrometheusResponse(
            series: [
                .init(
                    labels: ["__name__": "cache_hits_total", "cache": "users", "instance": "a", "job": "demo"],
                    points: [.init(time: 10, value: 5), .init(time: 11, value: 7)]
                ),
                .init(
                    labels: ["__name__": "operation_seconds", "op": "x", "quantile": "0.95", "instance": "b"],
                    points: [.init(time: 10, value: 0.2)]
                ),
                .init(
                    labels: ["__name__": "cache_similarity_bucket", "le": "0.9", "instance": "b"],
                    points: [.init(time: 10, value: 3)]
                ),
                .init(
                    labels: ["__name__": "cache_similarity_count", "instance": "b"],
                    points: [.init(time: 10, value: 3)]
                ),
                .init(
                    labels: ["__name__": "operation_seconds_count", "op": "x", "instance": "b"],
                    points: [.init(time: 10, value: 9)]
                ),
                .init(labels: ["__name__": "cache_entries", "instance": "b"], points: [.init(time: 10, value: 4)]),
                .init(
                    labels: ["__name__": "cache_hits_created", "instance": "b"],
                    points: [.init(time: 10, value: 1)]
                ),
                .init(labels: ["__name__": "cache_hits_total"], points: [.init(time: 10, value: 1)]),
                // Found by Fuzz/FuzzPrometheusAPI: no name, a name that is not one, an empty target.
                .init(labels: ["__name__": "", "instance": "b"], points: [.init(time: 10, value: 1)]),
                .init(labels: ["__name__": "a b", "instance": "b"], points: [.init(time: 10, value: 1)]),
                .init(labels: ["__name__": "cache_entries", "instance": ""], points: [.init(time: 10, value: 1)]),
            ],
            warnings: []
        )
        let bySource = PrometheusQueries().samples(of: response, named: nil)
        #expect(Set(bySource.keys) == ["a", "b"])
        #expect(
            bySource["a"]?[11] == [
                Sample(name: "cache_hits_total", labels: ["cache": "users"], kind: .counter, value: 7)
            ]
        )
        let kinds = Dictionary(uniqueKeysWithValues: (bySource["b"]?[10] ?? []).map { ($0.name, $0.kind) })
        #expect(
            kinds == [
                "operation_seconds": .summary, "cache_similarity_bucket": .histogram,
                "cache_similarity_count": .histogram, "operation_seconds_count": .summary, "cache_entries": .gauge,
            ]
        )
    }

    @Test func anOverriddenQueryNamesItsSeries() {
        let response = PrometheusResponse(
            series: [.init(labels: ["instance": "a", "cache": "c"], points: [.init(time: 1, value: 2)])],
            warnings: []
        )
        let samples = PrometheusQueries(overrides: ["cache_hits_total": "q"]).samples(
            of: response,
            named: "cache_hits_total"
        )
        #expect(
            samples["a"]?[1] == [Sample(name: "cache_hits_total", labels: ["cache": "c"], kind: .counter, value: 2)]
        )
    }
}
