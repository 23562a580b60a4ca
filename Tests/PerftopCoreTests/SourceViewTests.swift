import PerfKit
import Testing

@testable import PerftopCore

@Suite struct SourceViewTests {
    @Test func labelValuesAreDistinctAndSortedWithSeriesWithoutTheLabelLeftOut() {
        var store = SeriesStore(retention: 10)
        let caches = ["users", "pages", "users", "answers", "pages", "zones", "answers"]
        let samples =
            caches.enumerated().map { index, cache in
                Sample(
                    name: MetricName.cacheHits,
                    labels: [LabelName.cache: cache, "shard": String(index)],
                    kind: .counter,
                    value: 1
                )
            } + [Sample(name: MetricName.cacheHits, kind: .counter, value: 1)]
        store.record(source: "agent", samples: samples, at: 1)
        let series = store.series(source: "agent", named: MetricName.cacheHits)

        #expect(series.count == caches.count + 1)
        #expect(SourceView.values(of: LabelName.cache, in: series) == ["answers", "pages", "users", "zones"])
        #expect(SourceView.values(of: "absent", in: series).isEmpty)
        #expect(SourceView.values(of: LabelName.cache, in: []).isEmpty)
    }
}
