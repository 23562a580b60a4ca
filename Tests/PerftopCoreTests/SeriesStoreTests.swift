import PerfKit
import Testing

@testable import PerftopCore

@Suite("SeriesStore")
struct SeriesStoreTests {
    private func counter(_ name: String, _ value: Double, labels: [String: String] = [:]) -> Sample {
        Sample(name: name, labels: labels, kind: .counter, value: value)
    }

    @Test("keeps at most `retention` points per series, newest last")
    func retention() {
        var store = SeriesStore(retention: 3)
        for time in 0..<10 {
            store.record(source: "a", samples: [self.counter("x_total", Double(time))], at: Double(time))
        }
        let series = store.series(source: "a", named: "x_total")
        #expect(series.count == 1)
        #expect(series[0].points.map(\.value) == [7, 8, 9])
        #expect(store.pointCount == 3)
    }

    @Test("rate is the increase per second between the last two points")
    func rate() {
        var store = SeriesStore(retention: 10)
        store.record(source: "a", samples: [self.counter("x_total", 100)], at: 10)
        #expect(store.series(source: "a", named: "x_total")[0].rate == nil)
        store.record(source: "a", samples: [self.counter("x_total", 130)], at: 12)
        #expect(store.series(source: "a", named: "x_total")[0].rate == 15)
    }

    @Test("a counter reset never gives a negative rate")
    func counterReset() {
        var store = SeriesStore(retention: 10)
        store.record(source: "a", samples: [self.counter("x_total", 1_000_000)], at: 0)
        store.record(source: "a", samples: [self.counter("x_total", 5)], at: 1)
        let series = store.series(source: "a", named: "x_total")[0]
        #expect(series.rate == 5)
        #expect(series.lastIncrease == 5)
    }

    @Test("no time between two points gives no rate")
    func zeroElapsed() {
        var store = SeriesStore(retention: 10)
        store.record(source: "a", samples: [self.counter("x_total", 1)], at: 5)
        store.record(source: "a", samples: [self.counter("x_total", 2)], at: 5)
        #expect(store.series(source: "a", named: "x_total")[0].rate == nil)
    }

    @Test("a source over its series cap is truncated and the drop is counted")
    func seriesCap() {
        var store = SeriesStore(retention: 2, maximumSeriesPerSource: 5)
        let samples = (0..<8).map { self.counter("x_total", 1, labels: ["id": "\($0)"]) }
        store.record(source: "a", samples: samples, at: 0)
        #expect(store.series(source: "a").count == 5)
        #expect(store.droppedSeries(source: "a") == 3)
        #expect(store.droppedSeries(source: "b") == 0)
    }

    @Test("series a source stopped reporting are left out of its current series")
    func vanishedSeries() {
        var store = SeriesStore(retention: 4)
        store.record(source: "a", samples: [self.counter("x_total", 1), self.counter("y_total", 1)], at: 0)
        store.record(source: "a", samples: [self.counter("x_total", 2)], at: 1)
        #expect(store.series(source: "a").map(\.id.name) == ["x_total"])
        #expect(store.lastRecordTime(source: "a") == 1)
    }

    @Test("sources are kept apart")
    func sourcesApart() {
        var store = SeriesStore(retention: 4)
        store.record(source: "a", samples: [self.counter("x_total", 1)], at: 0)
        store.record(source: "b", samples: [self.counter("x_total", 9)], at: 0)
        #expect(store.sources == ["a", "b"])
        #expect(store.series(source: "b", named: "x_total")[0].latest == 9)
    }

    @Test("a restarted agent's counters never give a negative or huge rate")
    func restartedAgentThroughTheStore() {
        var store = SeriesStore(retention: 10)
        let before = [self.counter("cache_hits_total", 9_000_000, labels: ["cache": "c"])]
        store.record(source: "agent", samples: before, at: 0)
        store.record(
            source: "agent",
            samples: [self.counter("cache_hits_total", 9_000_100, labels: ["cache": "c"])],
            at: 1
        )
        store.record(source: "agent", samples: [self.counter("cache_hits_total", 30, labels: ["cache": "c"])], at: 2)
        store.record(source: "agent", samples: [self.counter("cache_hits_total", 50, labels: ["cache": "c"])], at: 3)
        let series = store.series(source: "agent", named: "cache_hits_total")[0]
        #expect(series.rateHistory == [100, 30, 20])
        #expect(series.rateHistory.allSatisfy { $0 >= 0 && $0 <= 100 })
    }

    @Test("negative, NaN and infinite counter values are not recorded", arguments: [-5.0, .nan, .infinity])
    func lyingCounters(value: Double) {
        var store = SeriesStore(retention: 10)
        store.record(source: "a", samples: [self.counter("x_total", 10)], at: 0)
        store.record(source: "a", samples: [self.counter("x_total", value)], at: 1)
        store.record(source: "a", samples: [self.counter("x_total", 14)], at: 2)
        let series = store.series(source: "a", named: "x_total")[0]
        #expect(series.points.map(\.value) == [10, 14])
        #expect(series.rate == 2)
    }

    @Test("a source churning label sets stays within its cap: unreported series make room for new ones")
    func churningLabels() {
        var store = SeriesStore(retention: 5, maximumSeriesPerSource: 10)
        for poll in 0..<100 {
            let samples = (0..<4).map { self.counter("requests_total", 1, labels: ["request": "\(poll)-\($0)"]) }
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
            let samples = (0..<9).map { self.counter("x_total", Double(poll), labels: ["id": "\($0)"]) }
            store.record(source: "a", samples: samples, at: Double(poll))
        }
        #expect(store.pointCount == 3 * 4)
        #expect(store.droppedSeries(source: "a") == 5)
    }
}
