import Synchronization

/// Latency histograms by operation name, filled by ``measure(_:_:)``: the seeds'
/// `@profile_time` decorator as a function call.
///
/// ```swift
/// let rows = try timings.measure("db.query") { try database.query(sql) }
/// let vector = try await timings.measure("embed") { try await model.embed(text) }
/// ```
///
/// Each operation gets its own ``LatencyHistogram``, created on first use. As a ``SampleSource`` it
/// reports one Prometheus summary per operation, `operation_seconds{op="…"}` by default (window
/// percentiles plus lifetime `_sum` and `_count`), which perftop's latency pane shows.
///
/// Bounded: at most ``maximumOperations`` distinct names get a histogram; durations of further names
/// are counted in ``droppedOperations`` and reported as `perfkit_dropped_operations_total`, so a name
/// built from unbounded input (a URL, a user ID) cannot grow memory without limit. Thread-safe.
public final class OperationTimings: Sendable {
    /// The timings that the free ``measure(_:_:)`` functions record into; register it
    /// with the agent's ``MetricsRegistry`` to see them in perftop.
    public static let `default` = OperationTimings()

    /// The metric name of the summaries, e.g. `operation_seconds`.
    public let metricName: String
    /// The most distinct operation names that get a histogram.
    public let maximumOperations: Int

    private let window: Duration
    private let subWindowCount: Int
    private let state = Mutex(State())
    private let clock = ContinuousClock()

    private struct State {
        var histograms: [String: LatencyHistogram] = [:]
        var dropped = 0
    }

    /// Creates an empty set of timings.
    ///
    /// - Parameters:
    ///   - metricName: The name of the reported summaries; `operation_seconds` by default.
    ///   - maximumOperations: The most distinct operation names, greater than zero; 1,000 by default.
    ///   - window: The window of every histogram's percentiles; 10 s by default.
    ///   - subWindowCount: The sub-windows of every histogram's window; 10 by default.
    public init(
        metricName: String = MetricName.operationSeconds,
        maximumOperations: Int = 1_000,
        window: Duration = .seconds(10),
        subWindowCount: Int = 10
    ) {
        precondition(maximumOperations > 0, "maximumOperations must be greater than zero")
        self.metricName = metricName
        self.maximumOperations = maximumOperations
        self.window = window
        self.subWindowCount = subWindowCount
    }

    // MARK: - Measuring

    /// Runs `body`, records how long it took under `operation`, and returns its result.
    ///
    /// The duration is recorded whether `body` returns or throws. Cost: two `ContinuousClock` reads, one
    /// dictionary lookup under a lock and one histogram record, about 100 ns.
    public func measure<T>(_ operation: String, _ body: () throws -> T) rethrows -> T {
        let start = self.clock.now
        defer { self.record(start.duration(to: self.clock.now), for: operation) }
        return try body()
    }

    /// Runs the async `body`, records how long it took under `operation` (suspensions included), and
    /// returns its result. The duration is recorded whether `body` returns or throws.
    public func measure<T>(
        _ operation: String,
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> T
    ) async rethrows -> T {
        let start = self.clock.now
        defer { self.record(start.duration(to: self.clock.now), for: operation) }
        return try await body()
    }

    /// Records a duration measured elsewhere under `operation`.
    public func record(_ duration: Duration, for operation: String) {
        self.histogram(for: operation)?.record(duration)
    }

    /// The histogram of `operation`, created on first use; `nil`, counting one dropped duration, when
    /// ``maximumOperations`` names already have one.
    public func histogram(for operation: String) -> LatencyHistogram? {
        self.state.withLockedValue { state in
            if let histogram = state.histograms[operation] {
                return histogram
            }
            guard state.histograms.count < self.maximumOperations else {
                state.dropped += 1
                return nil
            }
            let histogram = LatencyHistogram(window: self.window, subWindowCount: self.subWindowCount)
            state.histograms[operation] = histogram
            return histogram
        }
    }

    /// Durations not recorded because their operation name was over ``maximumOperations``.
    public var droppedOperations: Int {
        self.state.withLockedValue { $0.dropped }
    }
}

// MARK: - SampleSource

extension OperationTimings: SampleSource {
    /// One summary per operation, labelled `op`, sorted by name, then
    /// `perfkit_dropped_operations_total` (counter). Cost: O(operations × buckets).
    public func collectSamples() -> [Sample] {
        let (histograms, dropped) = self.state.withLockedValue { ($0.histograms, $0.dropped) }
        var samples = histograms.sorted { $0.key < $1.key }.flatMap { operation, histogram in
            histogram.summary.samples(name: self.metricName, labels: [LabelName.operation: operation])
        }
        samples.append(Sample(name: MetricName.droppedOperations, kind: .counter, value: Double(dropped)))
        return samples
    }
}

// MARK: - Free functions

/// Runs `body` and records its duration under `operation` in ``OperationTimings/default``.
public func measure<T>(_ operation: String, _ body: () throws -> T) rethrows -> T {
    try OperationTimings.default.measure(operation, body)
}

/// Runs the async `body` and records its duration under `operation` in ``OperationTimings/default``.
public func measure<T>(
    _ operation: String,
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T
) async rethrows -> T {
    try await OperationTimings.default.measure(operation, isolation: isolation, body)
}
