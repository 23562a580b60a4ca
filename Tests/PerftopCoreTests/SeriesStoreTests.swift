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
}
