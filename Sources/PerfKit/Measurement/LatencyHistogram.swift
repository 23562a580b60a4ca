import Histogram
import Synchronization

/// A thread-safe latency distribution over a sliding window, plus lifetime totals.
///
/// Durations are recorded into an HdrHistogram with two significant digits (every percentile is
/// within 1% of the recorded value it stands for) from 1 µs to ``maximumTrackable`` (100 s);
/// shorter durations count in the lowest bucket, longer ones in the highest. The window is made of
/// ``subWindowCount`` sub-windows of ``subWindowLength`` each (10 × 1 s by default): percentiles
/// describe the sub-window being filled plus the ones that finished less than one window ago, so they
/// follow a change of latency within one window, and an idle histogram empties.
///
/// Memory is bounded whatever the rate: two dense histograms (the sub-window being filled and the sum
/// of the finished ones, about 11 KiB each) plus, per finished sub-window, one (value, count) pair per
/// distinct bucket it touched. Recording costs one coarse clock read, one lock and one array
/// increment; once per sub-window the recording that crosses its end folds the finished sub-window in,
/// in O(buckets). Reading percentiles costs O(buckets).
public final class LatencyHistogram: Sendable {
    /// The longest duration told apart from longer ones: 100 s.
    public static let maximumTrackable = Duration.seconds(100)

    /// The length of one sub-window; the window is ``subWindowCount`` of them.
    public let subWindowLength: Duration
    /// The number of sub-windows in the window.
    public let subWindowCount: Int

    private let state: Mutex<LatencyWindow>
    /// The injected clock's reading in nanoseconds, or `nil` to read ``CoarseMonotonicClock`` directly
    /// (a direct call is cheaper than a closure on the recording path).
    private let injectedNow: (@Sendable () -> Int64)?
    private let subWindowNanoseconds: Int64

    /// Creates an empty histogram that reads time from a coarse monotonic clock (about 4 ms
    /// resolution, a few nanoseconds to read).
    ///
    /// - Parameters:
    ///   - window: The span percentiles describe; 10 s by default.
    ///   - subWindowCount: How many sub-windows the window is made of, from 1 to 600; 10 by default.
    public convenience init(window: Duration = .seconds(10), subWindowCount: Int = 10) {
        self.init(window: window, subWindowCount: subWindowCount, nanosecondsNow: nil)
    }

    /// Creates an empty histogram that reads time from the given clock, e.g. a manual clock in tests.
    ///
    /// - Parameters:
    ///   - window: The span percentiles describe.
    ///   - subWindowCount: How many sub-windows the window is made of, from 1 to 600.
    ///   - clock: The clock that decides which sub-window a recording falls in.
    public convenience init<C: Clock>(
        window: Duration = .seconds(10),
        subWindowCount: Int = 10,
        clock: C
    ) where C.Duration == Duration {
        let origin = clock.now
        self.init(window: window, subWindowCount: subWindowCount) {
            origin.duration(to: clock.now).nanoseconds
        }
    }

    private init(window: Duration, subWindowCount: Int, nanosecondsNow: (@Sendable () -> Int64)?) {
        precondition((1...600).contains(subWindowCount), "Sub-window count must be 1...600, got \(subWindowCount)")
        let length = window.nanoseconds / Int64(subWindowCount)
        precondition(length >= 1_000_000, "Each sub-window must last at least 1 ms, got \(window) / \(subWindowCount)")
        self.subWindowLength = .nanoseconds(length)
        self.subWindowNanoseconds = length
        self.subWindowCount = subWindowCount
        self.injectedNow = nanosecondsNow
        let now = nanosecondsNow?() ?? CoarseMonotonicClock.nanoseconds()
        self.state = Mutex(LatencyWindow(subWindowCount: subWindowCount, subWindowIndex: now / length))
    }

    private var currentSubWindowIndex: Int64 {
        (self.injectedNow?() ?? CoarseMonotonicClock.nanoseconds()) / self.subWindowNanoseconds
    }

    /// The span percentiles describe: ``subWindowCount`` × ``subWindowLength``.
    public var window: Duration {
        self.subWindowLength * self.subWindowCount
    }

    // MARK: - Recording

    /// Records one duration. Negative durations count as zero. Cost: one clock read and one lock.
    public func record(_ duration: Duration) {
        self.recordNanoseconds(duration.nanoseconds)
    }

    /// Records one duration given in nanoseconds. Negative values count as zero.
    public func recordNanoseconds(_ nanoseconds: Int64) {
        let index = self.currentSubWindowIndex
        self.state.withLock { $0.record(max(0, nanoseconds), subWindowIndex: index) }
    }

    // MARK: - Reading

    /// The percentiles of the window and the lifetime totals, read together. Cost: O(buckets), one lock.
    public var summary: LatencySummary {
        let index = self.currentSubWindowIndex
        return self.state.withLock { $0.summary(subWindowIndex: index) }
    }

    /// An estimate of the memory the histogram holds, in bytes: its dense histograms plus the finished
    /// sub-windows it keeps. Cost: O(sub-windows), one lock.
    public var estimatedFootprint: Int {
        self.state.withLock { $0.estimatedFootprint }
    }
}

// MARK: - Summary

/// What a ``LatencyHistogram`` held at one moment: percentiles of its window and lifetime totals.
public struct LatencySummary: Sendable, Hashable {
    /// Durations recorded in the window.
    public var windowCount: Int
    /// The median of the window, `nil` when the window is empty.
    public var p50: Duration?
    /// The 95th percentile of the window, `nil` when the window is empty.
    public var p95: Duration?
    /// The 99th percentile of the window, `nil` when the window is empty.
    public var p99: Duration?
    /// The longest duration in the window, `nil` when the window is empty.
    public var max: Duration?
    /// Durations recorded since the histogram was created.
    public var totalCount: Int
    /// The sum of every duration recorded since the histogram was created.
    public var totalDuration: Duration
    /// The longest duration recorded since the histogram was created; zero before the first.
    public var lifetimeMax: Duration

    /// Creates a summary.
    public init(
        windowCount: Int,
        p50: Duration?,
        p95: Duration?,
        p99: Duration?,
        max: Duration?,
        totalCount: Int,
        totalDuration: Duration,
        lifetimeMax: Duration
    ) {
        self.windowCount = windowCount
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.max = max
        self.totalCount = totalCount
        self.totalDuration = totalDuration
        self.lifetimeMax = lifetimeMax
    }

    /// The mean of every duration recorded since creation, `nil` before the first.
    public var lifetimeMean: Duration? {
        self.totalCount == 0 ? nil : self.totalDuration / self.totalCount
    }
}

// MARK: - Window

/// The mutable part of a ``LatencyHistogram``; only ever accessed under its lock.
struct LatencyWindow: Sendable {
    /// A finished sub-window, kept sparse: one (bucket value, count) pair per bucket it touched.
    private struct FinishedSubWindow: Sendable {
        var index: Int64
        var buckets: [(value: UInt64, count: UInt32)]
    }

    private static let lowestDiscernible: UInt64 = 1_000
    private static let highestTrackable = UInt64(LatencyHistogram.maximumTrackable.nanoseconds)

    private let subWindowCount: Int
    private var current: Histogram<UInt32>
    private var currentIndex: Int64
    private var finished: [FinishedSubWindow] = []
    private var finishedSum: Histogram<UInt32>
    private var totalCount = 0
    private var totalNanoseconds: Int64 = 0
    private var lifetimeMax: Int64 = 0

    init(subWindowCount: Int, subWindowIndex: Int64) {
        self.subWindowCount = subWindowCount
        self.currentIndex = subWindowIndex
        self.current = Self.emptyHistogram()
        self.finishedSum = Self.emptyHistogram()
    }

    private static func emptyHistogram() -> Histogram<UInt32> {
        Histogram(
            lowestDiscernibleValue: Self.lowestDiscernible,
            highestTrackableValue: Self.highestTrackable,
            numberOfSignificantValueDigits: .two
        )
    }

    mutating func record(_ nanoseconds: Int64, subWindowIndex: Int64) {
        self.advance(to: subWindowIndex)
        self.current.record(min(UInt64(nanoseconds), Self.highestTrackable))
        self.totalCount += 1
        self.totalNanoseconds &+= nanoseconds
        self.lifetimeMax = max(self.lifetimeMax, nanoseconds)
    }

    var estimatedFootprint: Int {
        let sparse = self.finished.reduce(0) { total, subWindow in
            total + MemoryLayout<FinishedSubWindow>.stride
                + subWindow.buckets.capacity * MemoryLayout<(value: UInt64, count: UInt32)>.stride
        }
        return self.current.estimatedFootprintInBytes + self.finishedSum.estimatedFootprintInBytes + sparse
    }

    mutating func summary(subWindowIndex: Int64) -> LatencySummary {
        self.advance(to: subWindowIndex)
        var window = self.finishedSum
        window.add(self.current)
        let count = Int(window.totalCount)
        func percentile(_ percent: Double) -> Duration? {
            count == 0 ? nil : .nanoseconds(Int64(window.valueAtPercentile(percent)))
        }
        return LatencySummary(
            windowCount: count,
            p50: percentile(50),
            p95: percentile(95),
            p99: percentile(99),
            max: count == 0 ? nil : .nanoseconds(Int64(window.max)),
            totalCount: self.totalCount,
            totalDuration: .nanoseconds(self.totalNanoseconds),
            lifetimeMax: .nanoseconds(self.lifetimeMax)
        )
    }

    /// Finishes the current sub-window if time has moved past it, and drops the finished sub-windows
    /// that are no longer inside the window.
    private mutating func advance(to index: Int64) {
        guard index > self.currentIndex else {
            return
        }
        if self.current.totalCount > 0 {
            let buckets = self.current.recordedValues().map { (value: $0.value, count: $0.count) }
            self.finished.append(FinishedSubWindow(index: self.currentIndex, buckets: buckets))
            self.current.reset()
        }
        self.currentIndex = index
        let oldest = index - Int64(self.subWindowCount) + 1
        self.finished.removeAll { $0.index < oldest }
        self.finishedSum.reset()
        for subWindow in self.finished {
            for bucket in subWindow.buckets {
                self.finishedSum.record(bucket.value, count: bucket.count)
            }
        }
    }
}

// MARK: - Samples

extension LatencySummary {
    /// The quantiles reported for a window, as `quantile` label values: p50, p95, p99 and the maximum.
    private var reportedQuantiles: [(label: String, value: Duration?)] {
        [("0.5", self.p50), ("0.95", self.p95), ("0.99", self.p99), ("1", self.max)]
    }

    /// The summary as one Prometheus summary in seconds: `name{quantile=…}` for p50, p95, p99 and the
    /// window's maximum (quantile 1, omitted while the window is empty), then `name_sum` and
    /// `name_count` over the histogram's lifetime, all of kind ``Sample/Kind/summary``.
    ///
    /// - Parameters:
    ///   - name: The metric name, ending in `_seconds` by convention, e.g. `processor_wait_seconds`.
    ///   - labels: The labels of every sample, e.g. `["processor": "jobs"]`.
    public func samples(name: String, labels: [String: String] = [:]) -> [Sample] {
        var samples: [Sample] = []
        for quantile in self.reportedQuantiles {
            guard let value = quantile.value else {
                continue
            }
            var quantileLabels = labels
            quantileLabels["quantile"] = quantile.label
            samples.append(Sample(name: name, labels: quantileLabels, kind: .summary, value: value.seconds))
        }
        samples.append(Sample(name: name + "_sum", labels: labels, kind: .summary, value: self.totalDuration.seconds))
        samples.append(Sample(name: name + "_count", labels: labels, kind: .summary, value: Double(self.totalCount)))
        return samples
    }
}
