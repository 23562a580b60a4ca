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

    // MARK: - Latency layouts

    /// A summary's quantile samples and its `_count`, as an agent reports one distribution.
    private static func summary(_ name: String, _ labels: [String: String], value: Double, count: Double) -> [Sample] {
        [LabelValue.Quantile.p50, LabelValue.Quantile.p95, LabelValue.Quantile.p99].map { quantile in
            var labels = labels
            labels[LabelName.quantile] = quantile
            return Sample(name: name, labels: labels, kind: .summary, value: value * (Double(quantile) ?? 1))
        } + [Sample(name: name + MetricName.countSuffix, labels: labels, kind: .summary, value: count)]
    }

    @Test("latency views read through the last round's layouts are the views derived afresh, as the series change")
    func latencyLayoutsKeptAcrossRounds() {
        let wait = { (time: Double) in
            Self.summary(MetricName.processorWaitSeconds, [LabelName.processor: "jobs"], value: time, count: 10 * time)
        }
        let service = { (time: Double) in
            Self.summary(
                MetricName.processorServiceSeconds,
                [LabelName.processor: "jobs"],
                value: 2 * time,
                count: 10 * time
            )
        }
        let embed = { (time: Double) in
            Self.summary(MetricName.operationSeconds, [LabelName.operation: "embed"], value: 3 * time, count: 5 * time)
        }
        let redis = { (time: Double) in
            Self.summary(MetricName.redisCommandSeconds, [LabelName.command: "get"], value: time / 2, count: time)
        }
        let polls: [(time: Double, samples: [Sample])] = [
            (1, wait(1) + service(1) + embed(1)),
            (2, wait(2) + service(2) + embed(2)),
            (3, redis(3) + wait(3) + service(3) + embed(3)),
            (4, redis(4) + wait(4) + service(4) + Array(embed(4).suffix(1))),
            (5, redis(5) + wait(5) + service(5)),
            (6, redis(6) + wait(6) + service(6) + embed(6)),
            (7, redis(7) + wait(7) + service(7) + embed(7)),
            (8, redis(8) + service(8) + embed(8)),
            (9, redis(9) + wait(9) + service(9) + embed(9)),
            (
                10,
                redis(10) + wait(10) + service(10)
                    + embed(10).map { Sample(name: $0.name, labels: $0.labels, kind: .gauge, value: $0.value) }
            ),
            (
                11,
                redis(11) + wait(11) + service(11)
                    + embed(11).map { Sample(name: $0.name, labels: $0.labels, kind: .gauge, value: $0.value) }
            ),
        ]
        var store = SeriesStore(retention: 3)
        let layouts = LatencyLayouts()
        var kept = 0
        for (time, samples) in polls {
            store.record(source: "agent", samples: samples, at: time)
            let stamp = layouts.layouts["agent"]?.stamp
            let reused = DashboardModel(
                store: store,
                sources: [],
                timestamp: time,
                interval: 1,
                selfCost: SelfCost(),
                latencyLayouts: layouts
            )
            let fresh = DashboardModel(store: store, sources: [], timestamp: time, interval: 1)
            #expect(reused.latencies == fresh.latencies, "poll at \(time)")
            #expect(!fresh.latencies.isEmpty)
            kept += stamp != nil && stamp == layouts.layouts["agent"]?.stamp ? 1 : 0
        }
        #expect(kept == 3, "the 2nd, the 7th and the 11th poll read the same series as the poll before")
    }

    @Test("a layout is read as it is while the source's series stay the same, and found again when they change")
    func latencyLayoutReuse() throws {
        var store = SeriesStore(retention: 3)
        let embed = Self.summary(MetricName.operationSeconds, [LabelName.operation: "embed"], value: 1, count: 1)
        let rank = Self.summary(MetricName.operationSeconds, [LabelName.operation: "rank"], value: 2, count: 1)
        store.record(source: "agent", samples: embed + rank, at: 1)
        let layout = SourceView(store: store, source: "agent").latencyLayout()
        #expect(layout.distributions.map(\.name) == ["embed", "rank"])
        let onlyRank = LatencyLayout(stamp: layout.stamp, distributions: Array(layout.distributions.suffix(1)))

        store.record(source: "agent", samples: embed + rank, at: 2)
        let kept = SourceView(store: store, source: "agent").latencies(reusing: onlyRank)
        #expect(kept.views.map(\.name) == ["rank"], "the same series: the layout given is used")
        #expect(kept.views.first?.p50 == 1)

        let unstamped = LatencyLayout(stamp: nil, distributions: onlyRank.distributions)
        #expect(SourceView(store: store, source: "agent").latencies(reusing: unstamped).views.count == 2)

        var other = SeriesStore(retention: 3)
        other.record(source: "agent", samples: rank, at: 1)
        let foreign = SourceView(store: other, source: "agent").latencyLayout()
        let moved = LatencyLayout(
            stamp: SourceView(store: store, source: "agent").index.currentSeriesStamp,
            distributions: foreign.distributions
        )
        let found = SourceView(store: store, source: "agent").latencies(reusing: moved)
        #expect(found.views.map(\.name) == ["embed", "rank"], "a place that holds another series: grouped again")

        store.record(source: "agent", samples: rank, at: 3)
        let changed = SourceView(store: store, source: "agent").latencies(reusing: onlyRank)
        #expect(changed.views.map(\.name) == ["rank"])
        #expect(changed.layout.stamp == nil, "embed held, not reported: a layout kept for no index")
    }
}
