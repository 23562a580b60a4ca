import CoreMetrics
import Synchronization

/// A swift-metrics backend that keeps every metric in memory and reports it as samples, so that code
/// instrumented with swift-metrics appears in an agent's ``Snapshot`` and in perftop with no extra code.
///
/// Bootstrap swift-metrics with it once at startup and register it with the agent's ``MetricsRegistry``:
///
/// ```swift
/// let metrics = PerfKitMetricsFactory()
/// MetricsSystem.bootstrap(metrics)
/// registry.register(metrics)
/// ```
///
/// Each metric becomes one series named after its label and labelled with its dimensions (see
/// ``metricName(forLabel:)`` and ``labelName(forDimension:)``):
///
/// | swift-metrics | samples |
/// |---|---|
/// | `Counter`, `FloatingPointCounter` | `name` counter |
/// | `Gauge`, `Meter`, `Recorder(aggregate: false)` | `name` gauge (the last value set) |
/// | `Recorder(aggregate: true)` | `name_count`, `name_sum` summary; `name_min`, `name_max`, `name_last` gauges |
/// | `Timer` | `name_seconds` summary from a ``LatencyHistogram`` (`quantile` 0.5, 0.95, 0.99, 1; `_sum`, `_count`) |
///
/// Asking twice for a metric with the same name and dimensions (in any order) returns the same handler,
/// so a `Counter` created per request keeps counting where the last one stopped; `destroy()` removes the
/// series, and a metric made afterwards starts again from zero. A counter and a floating-point counter
/// of the same name share one series, as do gauges, meters and non-aggregating recorders. A request for
/// a series that exists with another type (a gauge named like a counter) gets a no-op handler, because
/// Prometheus cannot represent both.
///
/// Memory is bounded: at most ``maximumSeries`` series, of which at most ``maximumTimers`` timers (each
/// timer holds a ``LatencyHistogram``, about 25 KiB). Beyond either bound, and on a type conflict, the
/// factory hands out swift-metrics' no-op handler and counts the refusal in
/// `perfkit_metrics_dropped_series_total{reason="limit"|"conflict"}`; `perfkit_metrics_series` gauges the
/// series held. Each series also keeps its label and dimension strings, whose length the caller controls.
///
/// Thread-safe. Making a handler costs a scan of the label and dimensions, one lock and one dictionary
/// lookup (plus the handler's allocation the first time). Updating a counter is one atomic add; a
/// gauge, recorder or floating-point counter update takes the handler's own lock; a timer recording
/// costs a ``LatencyHistogram/recordNanoseconds(_:)``.
public final class PerfKitMetricsFactory: Sendable {
    /// The default bound on the number of series: 10,000.
    public static let defaultMaximumSeries = 10_000
    /// The default bound on the number of timers: 1,000 (about 25 MiB of histograms when all are used).
    public static let defaultMaximumTimers = 1_000

    /// The most series the factory holds at once; requests for new series beyond it get no-op handlers.
    public let maximumSeries: Int
    /// The most timers the factory holds at once, counted within ``maximumSeries``.
    public let maximumTimers: Int
    /// The window each timer's percentiles describe.
    public let timerWindow: Duration
    /// How many sub-windows each timer's window is made of.
    public let timerSubWindowCount: Int

    private let state = Mutex(MetricsFactoryState())

    /// Creates an empty factory.
    ///
    /// - Parameters:
    ///   - maximumSeries: The most series held at once, at least 1; ``defaultMaximumSeries`` by default.
    ///   - maximumTimers: The most timers held at once, from 0 to `maximumSeries`;
    ///     ``defaultMaximumTimers`` by default (or `maximumSeries` if that is smaller).
    ///   - timerWindow: The span each timer's percentiles describe; 10 s by default.
    ///   - timerSubWindowCount: How many sub-windows a timer's window is made of, from 1 to 600; 10 by
    ///     default. See ``LatencyHistogram``.
    public init(
        maximumSeries: Int = PerfKitMetricsFactory.defaultMaximumSeries,
        maximumTimers: Int? = nil,
        timerWindow: Duration = .seconds(10),
        timerSubWindowCount: Int = 10
    ) {
        let maximumTimers = maximumTimers ?? min(Self.defaultMaximumTimers, maximumSeries)
        precondition(maximumSeries >= 1, "maximumSeries must be at least 1, got \(maximumSeries)")
        precondition(
            (0...maximumSeries).contains(maximumTimers),
            "maximumTimers must be 0...\(maximumSeries), got \(maximumTimers)"
        )
        precondition((1...600).contains(timerSubWindowCount), "timerSubWindowCount must be 1...600")
        precondition(
            (timerWindow / timerSubWindowCount) >= .milliseconds(1),
            "Each timer sub-window must last at least 1 ms, got \(timerWindow) / \(timerSubWindowCount)"
        )
        self.maximumSeries = maximumSeries
        self.maximumTimers = maximumTimers
        self.timerWindow = timerWindow
        self.timerSubWindowCount = timerSubWindowCount
    }

    /// The number of series held now. Cost: one lock.
    public var seriesCount: Int {
        self.state.withLockedValue { $0.series.count }
    }

    // MARK: - Finding and creating series

    /// The handler of the series `name` + `dimensions`, created if it does not exist, or `nil` when the
    /// series exists with another type or a bound is reached (the refusal is counted).
    func handler<Handler: MetricSeriesHandler>(
        _ type: Handler.Type,
        name: String,
        dimensions: [(String, String)],
        isTimer: Bool = false,
        make: (SeriesID) -> Handler
    ) -> Handler? {
        let id = SeriesID(name: name, labels: Self.labels(forDimensions: dimensions, isTimer: isTimer))
        return self.state.withLockedValue { state in
            if let existing = state.series[id] {
                guard let handler = existing as? Handler else {
                    state.droppedForConflict += 1
                    return nil
                }
                return handler
            }
            guard state.series.count < self.maximumSeries, !isTimer || state.timerCount < self.maximumTimers else {
                state.droppedForLimit += 1
                return nil
            }
            let handler = make(id)
            state.series[id] = handler
            if isTimer {
                state.timerCount += 1
            }
            return handler
        }
    }

    /// Removes `handler`'s series if `handler` is the one the factory holds for it; a handler from
    /// elsewhere, a no-op handler or an already destroyed one changes nothing.
    func destroy(_ handler: AnyObject) {
        guard let handler = handler as? any MetricSeriesHandler else {
            return
        }
        self.state.withLockedValue { state in
            guard let held = state.series[handler.id], held === handler else {
                return
            }
            state.series[handler.id] = nil
            if handler is TimerSeries {
                state.timerCount -= 1
            }
        }
    }

    /// The handlers held now, and the refusals counted so far; the handlers' values are read afterwards,
    /// outside the factory's lock.
    func heldSeries() -> (handlers: [any MetricSeriesHandler], droppedForLimit: Int, droppedForConflict: Int) {
        self.state.withLockedValue { state in
            (Array(state.series.values), state.droppedForLimit, state.droppedForConflict)
        }
    }
}

// MARK: - State

/// The mutable part of a ``PerfKitMetricsFactory``; only ever accessed under its lock.
struct MetricsFactoryState: Sendable {
    var series: [SeriesID: any MetricSeriesHandler] = [:]
    var timerCount = 0
    var droppedForLimit = 0
    var droppedForConflict = 0
}

// MARK: - MetricsFactory

extension PerfKitMetricsFactory: MetricsFactory {
    /// A counter reported as the counter ``metricName(forLabel:)``; negative increments are ignored.
    public func makeCounter(label: String, dimensions: [(String, String)]) -> CounterHandler {
        self.counter(label: label, dimensions: dimensions) ?? NOOPMetricsHandler.instance
    }

    /// A floating-point counter sharing the series of the integer counter with the same label and
    /// dimensions; negative and non-finite increments are ignored.
    public func makeFloatingPointCounter(
        label: String,
        dimensions: [(String, String)]
    ) -> FloatingPointCounterHandler {
        self.counter(label: label, dimensions: dimensions) ?? NOOPMetricsHandler.instance
    }

    /// A meter reported as the gauge ``metricName(forLabel:)``, sharing the series of a gauge with the
    /// same label and dimensions.
    public func makeMeter(label: String, dimensions: [(String, String)]) -> MeterHandler {
        self.gauge(label: label, dimensions: dimensions) ?? NOOPMetricsHandler.instance
    }

    /// A gauge when `aggregate` is false (the last value recorded), otherwise a recorder reported as
    /// `name_count` and `name_sum` (a summary without quantiles) and the gauges `name_min`, `name_max`
    /// and `name_last`, over the recorder's lifetime; non-finite values are ignored by the latter.
    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> RecorderHandler {
        guard aggregate else {
            return self.gauge(label: label, dimensions: dimensions) ?? NOOPMetricsHandler.instance
        }
        let name = Self.metricName(forLabel: label)
        return self.handler(RecorderSeries.self, name: name, dimensions: dimensions, make: RecorderSeries.init)
            ?? NOOPMetricsHandler.instance
    }

    /// A timer reported as the summary ``timerName(forLabel:)`` in seconds, kept by a
    /// ``LatencyHistogram`` with the factory's ``timerWindow``; a `quantile` dimension is renamed
    /// `exported_quantile`. Display-unit hints are ignored: samples are always in seconds.
    public func makeTimer(label: String, dimensions: [(String, String)]) -> TimerHandler {
        let window = self.timerWindow
        let subWindowCount = self.timerSubWindowCount
        return self.handler(
            TimerSeries.self,
            name: Self.timerName(forLabel: label),
            dimensions: dimensions,
            isTimer: true
        ) { id in
            TimerSeries(id: id, histogram: LatencyHistogram(window: window, subWindowCount: subWindowCount))
        } ?? NOOPMetricsHandler.instance
    }

    /// Removes the counter's series, if this factory made `handler`.
    public func destroyCounter(_ handler: CounterHandler) {
        self.destroy(handler)
    }

    /// Removes the floating-point counter's series, if this factory made `handler`.
    public func destroyFloatingPointCounter(_ handler: FloatingPointCounterHandler) {
        self.destroy(handler)
    }

    /// Removes the meter's series, if this factory made `handler`.
    public func destroyMeter(_ handler: MeterHandler) {
        self.destroy(handler)
    }

    /// Removes the recorder's or gauge's series, if this factory made `handler`.
    public func destroyRecorder(_ handler: RecorderHandler) {
        self.destroy(handler)
    }

    /// Removes the timer's series and frees its histogram, if this factory made `handler`.
    public func destroyTimer(_ handler: TimerHandler) {
        self.destroy(handler)
    }

    private func counter(label: String, dimensions: [(String, String)]) -> CounterSeries? {
        let name = Self.metricName(forLabel: label)
        return self.handler(CounterSeries.self, name: name, dimensions: dimensions, make: CounterSeries.init)
    }

    private func gauge(label: String, dimensions: [(String, String)]) -> GaugeSeries? {
        let name = Self.metricName(forLabel: label)
        return self.handler(GaugeSeries.self, name: name, dimensions: dimensions, make: GaugeSeries.init)
    }
}
