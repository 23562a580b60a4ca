import PerfKit
import Testing

@testable import PerftopCore

@Suite("SeriesStore")
struct SeriesStoreTests {
    /// The counter `x_total` of source `a` after recording its value at each time, oldest first.
    private func counterSeries(_ points: [(time: Double, value: Double)]) throws -> SeriesStore.Series {
        var store = SeriesStore(retention: 10)
        for (time, value) in points {
            store.record(source: "a", samples: [.counter("x_total", value)], at: time)
        }
        return try #require(store.series(source: "a", named: "x_total").first)
    }

    @Test("keeps at most `retention` points per series, newest last")
    func retention() throws {
        var store = SeriesStore(retention: 3)
        for time in 0..<10 {
            store.record(source: "a", samples: [.counter("x_total", Double(time))], at: Double(time))
        }
        let series = store.series(source: "a", named: "x_total")
        #expect(series.count == 1)
        #expect(try #require(series.first).points.map(\.value) == [7, 8, 9])
        #expect(store.pointCount == 3)
    }

    @Test("samples sent in another order, or with new series among them, each reach their own series")
    func findsSeriesWhateverTheOrder() {
        var store = SeriesStore(retention: 10)
        let sample = { (cache: String, value: Double) in
            Sample(name: "hits_total", labels: ["cache": cache], kind: .counter, value: value)
        }
        store.record(source: "a", samples: [sample("b", 1), sample("d", 2), .gauge("y", 3)], at: 1)
        store.record(source: "a", samples: [.gauge("y", 13), sample("d", 12), sample("b", 11)], at: 2)
        store.record(source: "a", samples: [sample("a", 20), sample("b", 21), sample("c", 22), sample("d", 23)], at: 3)
        store.record(source: "a", samples: [sample("a", 30), sample("b", 31), sample("c", 32), sample("d", 33)], at: 4)
        let values = store.series(source: "a", named: "hits_total").map {
            ($0.id.label("cache"), $0.points.map(\.value))
        }
        #expect(values.map(\.0) == ["a", "b", "c", "d"])
        #expect(values.map(\.1) == [[20, 30], [1, 11, 21, 31], [22, 32], [2, 12, 23, 33]])
        #expect(store.series(source: "a", id: SeriesID(name: "y"))?.points.map(\.value) == [3, 13])
    }

    @Test("a series or a store taken before a poll keeps what it held: recording copies before it writes")
    func copiesAreValues() throws {
        var store = SeriesStore(retention: 3)
        for time in 0..<3 {
            store.record(source: "a", samples: [.counter("x_total", Double(time))], at: Double(time))
        }
        let snapshot = store
        let series = try #require(store.series(source: "a", named: "x_total").first)
        store.record(source: "a", samples: [.counter("x_total", 0), .gauge("y", 1)], at: 3)
        #expect(series.points.map(\.value) == [0, 1, 2])
        #expect(series.increase(over: .retained)?.value == 2)
        #expect(snapshot.series(source: "a", named: "x_total").first?.points.map(\.value) == [0, 1, 2])
        #expect(snapshot.series(source: "a", named: "y").isEmpty)
        let now = try #require(store.series(source: "a", named: "x_total").first)
        #expect(now.points.map(\.value) == [1, 2, 0])
        #expect(now.increase(over: .retained)?.value == 1, "1 → 2, then a reset to 0")
    }

    @Test("the identity generation moves when a series or a source comes or goes, not when points are added")
    func identityGeneration() {
        var store = SeriesStore(retention: 2)
        let a = Sample(name: "a", kind: .gauge, value: 1)
        let b = Sample(name: "b", kind: .gauge, value: 1)
        #expect(store.identityGeneration == 0)
        store.record(source: "s", samples: [a], at: 1)
        let first = store.identityGeneration
        #expect(first > 0)
        store.record(source: "s", samples: [a], at: 2)
        #expect(store.identityGeneration == first, "only a point added")
        store.record(source: "s", samples: [a, b], at: 3)
        let second = store.identityGeneration
        #expect(second > first)
        store.record(source: "s", samples: [b], at: 4)
        store.record(source: "s", samples: [b], at: 5)
        #expect(store.identityGeneration > second, "a unreported for `retention` polls is removed")
        let third = store.identityGeneration
        store.removeSource("s")
        #expect(store.identityGeneration > third)
        store.removeSource("s")
        #expect(store.identityGeneration == third + 1, "removing a source that is not there changes nothing")
    }

    @Test("a source's current-series stamp stays while its series do and changes, or goes, when they change")
    func currentSeriesStamp() throws {
        var store = SeriesStore(retention: 3)
        let a = Sample(name: "a", kind: .gauge, value: 1)
        let b = Sample(name: "b", labels: ["x": "1"], kind: .gauge, value: 1)
        let stamp = { (store: SeriesStore) in store.index(of: "s").currentSeriesStamp }
        #expect(stamp(store) == nil, "no source")
        store.record(source: "s", samples: [a, b], at: 1)
        let first = try #require(stamp(store))
        store.record(source: "s", samples: [b, a], at: 2)
        #expect(stamp(store) == first, "the same series, another order")
        store.record(source: "s", samples: [a], at: 3)
        #expect(stamp(store) == nil, "b held but not reported")
        store.record(source: "s", samples: [a, b], at: 4)
        #expect(stamp(store) == first, "b reported again: the same series as at first")
        let b2 = Sample(name: "b", labels: ["x": "2"], kind: .gauge, value: 1)
        store.record(source: "s", samples: [a, b, b2], at: 5)
        let added = try #require(stamp(store))
        #expect(added != first, "a series added")
        store.record(source: "s", samples: [Sample(name: "a", kind: .counter, value: 1), b, b2], at: 5.5)
        let second = try #require(stamp(store))
        #expect(second != added, "a series changed kind")

        var copy = store
        copy.record(source: "s", samples: [a], at: 6)
        copy.record(source: "s", samples: [a], at: 7)
        copy.record(source: "s", samples: [a], at: 8)
        store.record(source: "s", samples: [b], at: 6)
        store.record(source: "s", samples: [b], at: 7)
        store.record(source: "s", samples: [b], at: 8)
        let (copied, kept) = (try #require(stamp(copy)), try #require(stamp(store)))
        #expect(copy.index(of: "s").series(named: "a").count == 1 && store.index(of: "s").series(named: "a").isEmpty)
        #expect(Set([copied, kept, first, added, second]).count == 5, "copies that changed apart share no stamp")

        store.removeSource("s")
        store.record(source: "s", samples: [b], at: 9)
        #expect(try #require(stamp(store)) != kept, "a source removed and back")
    }

    @Test("a series' place finds it while it is held, and nothing once it is gone or moved")
    func places() throws {
        var store = SeriesStore(retention: 2)
        let sample = { (shard: String, value: Double) in
            Sample(name: "hits_total", labels: ["shard": shard], kind: .counter, value: value)
        }
        store.record(source: "s", samples: [sample("b", 1), sample("c", 1)], at: 1)
        let id = sample("c", 0).seriesID
        let place = try #require(store.index(of: "s").place(of: id))
        #expect(store.index(of: "s").place(of: sample("z", 0).seriesID) == nil)
        store.record(source: "s", samples: [sample("b", 2), sample("c", 5)], at: 2)
        #expect(store.index(of: "s").series(at: place)?.latest == 5)
        store.record(source: "s", samples: [sample("a", 1), sample("b", 3), sample("c", 6)], at: 3)
        #expect(store.index(of: "s").series(at: place) == nil, "c moved along when a came before it")
        #expect(try store.index(of: "s").series(at: #require(store.index(of: "s").place(of: id)))?.latest == 6)
        store.removeSource("s")
        #expect(store.index(of: "s").series(at: place) == nil)
    }

    @Test("a poll no newer than the source's last adds nothing: the same scrape read twice is one point")
    func olderPollsAreIgnored() {
        var store = SeriesStore(retention: 10)
        let sample = Sample(name: "c_total", kind: .counter, value: 1)
        store.record(source: "s", samples: [sample], at: 10)
        store.record(source: "s", samples: [Sample(name: "c_total", kind: .counter, value: 5)], at: 10)
        store.record(source: "s", samples: [Sample(name: "c_total", kind: .counter, value: 9)], at: 9)
        #expect(store.series(source: "s", named: "c_total").first?.points == [SeriesStore.Point(time: 10, value: 1)])
        store.record(source: "s", samples: [Sample(name: "c_total", kind: .counter, value: 3)], at: 11)
        #expect(store.series(source: "s", named: "c_total").first?.points.count == 2)
        #expect(store.lastRecordTime(source: "s") == 11)
    }

    @Test("rate is the increase per second between the last two points")
    func rate() throws {
        #expect(try self.counterSeries([(10, 100)]).rate(over: .lastInterval)?.value == nil)
        #expect(try self.counterSeries([(10, 100), (12, 130)]).rate(over: .lastInterval)?.value == 15)
    }

    @Test("a counter reset never gives a negative rate")
    func counterReset() throws {
        let series = try self.counterSeries([(0, 1_000_000), (1, 5)])
        #expect(series.rate(over: .lastInterval)?.value == 5)
        #expect(series.increase(over: .lastInterval)?.value == 5)
    }

    @Test("no time between two points gives no rate")
    func zeroElapsed() throws {
        #expect(try self.counterSeries([(5, 1), (5, 2)]).rate(over: .lastInterval)?.value == nil)
    }

    @Test("a source over its series cap is truncated and the drop is counted")
    func seriesCap() {
        var store = SeriesStore(retention: 2, maximumSeriesPerSource: 5)
        let samples: [Sample] = (0..<8).map { .counter("x_total", 1, ["id": "\($0)"]) }
        store.record(source: "a", samples: samples, at: 0)
        #expect(store.series(source: "a").count == 5)
        #expect(store.droppedSeries(source: "a") == 3)
        #expect(store.droppedSeries(source: "b") == 0)
    }

    @Test("series can be picked by their names' shape, current ones only")
    func seriesByNameShape() {
        var store = SeriesStore(retention: 4)
        store.record(
            source: "a",
            samples: [.counter("x_seconds_count", 1), .counter("y_total", 1), .counter("z_seconds_count", 1)],
            at: 0
        )
        store.record(source: "a", samples: [.counter("x_seconds_count", 2), .counter("y_total", 2)], at: 1)
        #expect(
            store.series(source: "a", namesWhere: { $0.hasSuffix("_seconds_count") }).map(\.id.name) == [
                "x_seconds_count"
            ]
        )
        #expect(store.series(source: "b", namesWhere: { _ in true }).isEmpty)
    }

    @Test("series a source stopped reporting are left out of its current series")
    func vanishedSeries() {
        var store = SeriesStore(retention: 4)
        store.record(source: "a", samples: [.counter("x_total", 1), .counter("y_total", 1)], at: 0)
        store.record(source: "a", samples: [.counter("x_total", 2)], at: 1)
        #expect(store.series(source: "a").map(\.id.name) == ["x_total"])
        #expect(store.lastRecordTime(source: "a") == 1)
    }

    @Test("sources are kept apart")
    func sourcesApart() throws {
        var store = SeriesStore(retention: 4)
        store.record(source: "a", samples: [.counter("x_total", 1)], at: 0)
        store.record(source: "b", samples: [.counter("x_total", 9)], at: 0)
        #expect(store.sources == ["a", "b"])
        let series = try #require(store.series(source: "b", named: "x_total").first)
        #expect(series.latest == 9)
    }

    @Test("a restarted agent's counters never give a negative or huge rate")
    func restartedAgentThroughTheStore() throws {
        var store = SeriesStore(retention: 10)
        let before: [Sample] = [.counter("cache_hits_total", 9_000_000, ["cache": "c"])]
        store.record(source: "agent", samples: before, at: 0)
        store.record(
            source: "agent",
            samples: [.counter("cache_hits_total", 9_000_100, ["cache": "c"])],
            at: 1
        )
        store.record(source: "agent", samples: [.counter("cache_hits_total", 30, ["cache": "c"])], at: 2)
        store.record(source: "agent", samples: [.counter("cache_hits_total", 50, ["cache": "c"])], at: 3)
        let series = try #require(store.series(source: "agent", named: "cache_hits_total").first)
        #expect(series.rates(over: .retained).map(\.value) == [100, 30, 20])
        #expect(series.rates(over: .retained).map(\.value).allSatisfy { $0 >= 0 && $0 <= 100 })
    }

    @Test("negative, NaN and infinite counter values are not recorded", arguments: [-5.0, .nan, .infinity])
    func lyingCounters(value: Double) throws {
        let series = try self.counterSeries([(0, 10), (1, value), (2, 14)])
        #expect(series.points.map(\.value) == [10, 14])
        #expect(series.rate(over: .lastInterval)?.value == 2)
    }

    @Test("a source churning label sets stays within its cap: unreported series make room for new ones")
    func churningLabels() {
        var store = SeriesStore(retention: 5, maximumSeriesPerSource: 10)
        for poll in 0..<100 {
            let samples: [Sample] = (0..<4).map { .counter("requests_total", 1, ["request": "\(poll)-\($0)"]) }
            store.record(source: "a", samples: samples, at: Double(poll))
            #expect(store.droppedSeries(source: "a") == 0)
        }
        #expect(store.series(source: "a").count == 4)
        #expect(store.pointCount <= 10 * 5)
    }

    @Test("memory stays bounded by retention × series cap however long it runs")
    func memoryBound() {
        var store = SeriesStore(retention: 3, maximumSeriesPerSource: 4)
        for poll in 0..<200 {
            let samples: [Sample] = (0..<9).map { .counter("x_total", Double(poll), ["id": "\($0)"]) }
            store.record(source: "a", samples: samples, at: Double(poll))
        }
        #expect(store.pointCount == 3 * 4)
        #expect(store.droppedSeries(source: "a") == 5)
    }

    @Test("a series its source stops reporting is removed after `retention` polls, with its history")
    func expiry() {
        var store = SeriesStore(retention: 3)
        store.record(source: "a", samples: [.gauge("old", 1), .gauge("kept", 1)], at: 0)
        for poll in 1...2 {
            store.record(source: "a", samples: [.gauge("kept", 1)], at: Double(poll))
        }
        #expect(store.held(source: "a").series == 2, "still inside the retained window")
        #expect(store.series(source: "a", id: SeriesID(name: "old")) != nil)
        store.record(source: "a", samples: [.gauge("kept", 1)], at: 3)
        #expect(store.held(source: "a").series == 1)
        #expect(store.series(source: "a", id: SeriesID(name: "old")) == nil)
        #expect(store.held(source: "a").identityBytes == "kept".utf8.count)
    }

    @Test("names and labels are capped in bytes per source; what does not fit is dropped and counted")
    func identityBytes() {
        let long = String(repeating: "v", count: 1_000)
        var store = SeriesStore(retention: 3, maximumIdentityBytesPerSource: 10_000)
        let samples: [Sample] = (0..<20).map { .gauge("m", 1, ["id": "\($0)", "long": long]) }
        store.record(source: "a", samples: samples, at: 0)
        let held = store.held(source: "a")
        #expect(held.series == 9)
        #expect(held.identityBytes <= 10_000)
        #expect(store.droppedSeries(source: "a") == 11)
        store.record(source: "b", samples: [.gauge("m", 1, ["long": long])], at: 0)
        #expect(store.held(source: "b").series == 1, "each source has its own budget")
    }

    @Test("a source inventing a new label value every poll holds at most `retention` polls of them")
    func inventedLabels() {
        var store = SeriesStore(retention: 5)
        for poll in 0..<1_000 {
            store.record(source: "a", samples: [.gauge("m", 1, ["request_id": "\(poll)"])], at: Double(poll))
        }
        #expect(store.held(source: "a").series == 5)
        #expect(store.droppedSeries(source: "a") == 0)
    }
}
