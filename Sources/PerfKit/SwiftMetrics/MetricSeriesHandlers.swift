import CoreMetrics
import Synchronization

/// A handler a ``PerfKitMetricsFactory`` made: one series, reporting itself as samples.
protocol MetricSeriesHandler: AnyObject, Sendable {
    /// The series' name and labels, also its key in the factory.
    var id: SeriesID { get }
    /// The samples that describe the series now.
    func samples() -> [Sample]
}

// MARK: - Counter

/// A counter fed by swift-metrics' integer and floating-point counters: integer increments add to an
/// atomic, fractional ones to a locked double, so the common integer path never takes a lock.
final class CounterSeries: MetricSeriesHandler, CounterHandler, FloatingPointCounterHandler {
    let id: SeriesID
    private let labels: [String: String]
    private let integral = Atomic<Int64>(0)
    private let fractional = Mutex<Double>(0)

    init(id: SeriesID) {
        self.id = id
        self.labels = id.labelDictionary
    }

    func increment(by amount: Int64) {
        guard amount > 0 else {
            return
        }
        self.integral.wrappingAdd(amount, ordering: .relaxed)
    }

    func increment(by amount: Double) {
        guard amount > 0, amount.isFinite else {
            return
        }
        self.fractional.withLockedValue { $0 += amount }
    }

    func reset() {
        self.fractional.withLockedValue { fractional in
            self.integral.store(0, ordering: .relaxed)
            fractional = 0
        }
    }

    func samples() -> [Sample] {
        let value = Double(self.integral.load(ordering: .relaxed)) + self.fractional.withLockedValue { $0 }
        return [Sample(name: self.id.name, labels: self.labels, kind: .counter, value: value)]
    }
}

// MARK: - Gauge

/// A gauge fed by swift-metrics' gauges, meters and non-aggregating recorders: the last value set.
final class GaugeSeries: MetricSeriesHandler, MeterHandler, RecorderHandler {
    let id: SeriesID
    private let labels: [String: String]
    private let value = Mutex<Double>(0)

    init(id: SeriesID) {
        self.id = id
        self.labels = id.labelDictionary
    }

    func set(_ value: Int64) {
        self.set(Double(value))
    }

    func set(_ value: Double) {
        self.value.withLockedValue { $0 = value }
    }

    func increment(by amount: Double) {
        self.value.withLockedValue { $0 += amount }
    }

    func decrement(by amount: Double) {
        self.value.withLockedValue { $0 -= amount }
    }

    func record(_ value: Int64) {
        self.set(Double(value))
    }

    func record(_ value: Double) {
        self.set(value)
    }

    func samples() -> [Sample] {
        [Sample(name: self.id.name, labels: self.labels, kind: .gauge, value: self.value.withLockedValue { $0 })]
    }
}

// MARK: - Recorder

/// An aggregating recorder: count, sum, minimum, maximum and last value over its lifetime, a fixed
/// 40 bytes whatever the number of values.
final class RecorderSeries: MetricSeriesHandler, RecorderHandler {
    private struct Totals {
        var count = 0
        var sum = 0.0
        var minimum = Double.infinity
        var maximum = -Double.infinity
        var last = 0.0
    }

    let id: SeriesID
    private let labels: [String: String]
    private let totals = Mutex(Totals())

    init(id: SeriesID) {
        self.id = id
        self.labels = id.labelDictionary
    }

    func record(_ value: Int64) {
        self.record(Double(value))
    }

    func record(_ value: Double) {
        guard value.isFinite else {
            return
        }
        self.totals.withLockedValue { totals in
            totals.count += 1
            totals.sum += value
            totals.minimum = min(totals.minimum, value)
            totals.maximum = max(totals.maximum, value)
            totals.last = value
        }
    }

    func samples() -> [Sample] {
        let totals = self.totals.withLockedValue { $0 }
        let name = self.id.name
        var samples = [
            Sample(
                name: name + MetricName.countSuffix,
                labels: self.labels,
                kind: .summary,
                value: Double(totals.count)
            ),
            Sample(name: name + MetricName.sumSuffix, labels: self.labels, kind: .summary, value: totals.sum),
        ]
        if totals.count > 0 {
            samples.append(Sample(name: name + "_min", labels: self.labels, kind: .gauge, value: totals.minimum))
            samples.append(
                Sample(name: name + MetricName.maxSuffix, labels: self.labels, kind: .gauge, value: totals.maximum)
            )
            samples.append(Sample(name: name + "_last", labels: self.labels, kind: .gauge, value: totals.last))
        }
        return samples
    }
}

// MARK: - Timer

/// A timer: durations go into a ``LatencyHistogram``, reported as a summary in seconds.
final class TimerSeries: MetricSeriesHandler, TimerHandler {
    let id: SeriesID
    private let labels: [String: String]
    private let histogram: LatencyHistogram

    init(id: SeriesID, histogram: LatencyHistogram) {
        self.id = id
        self.labels = id.labelDictionary
        self.histogram = histogram
    }

    func recordNanoseconds(_ duration: Int64) {
        self.histogram.recordNanoseconds(duration)
    }

    func samples() -> [Sample] {
        self.histogram.summary.samples(name: self.id.name, labels: self.labels)
    }
}
