import DequeModule
import Histogram
import Synchronization

/// A thread-safe latency distribution over a sliding window, plus lifetime totals.
///
/// Durations are counted in HdrHistogram's log-linear buckets with two significant digits (every
/// percentile is within 1% of the recorded value it stands for) from 1 µs to ``maximumTrackable``
/// (100 s); shorter durations count in the lowest bucket, longer ones in the highest. The window is
/// made of ``subWindowCount`` sub-windows of ``subWindowLength`` each (10 × 1 s by default):
/// percentiles describe the sub-window being filled plus the ones that finished less than one window
/// ago, so they follow a change of latency within one window, and an idle histogram empties.
///
/// Recording takes no lock: one coarse clock read, one atomic increment of the duration's bucket,
/// one atomic add to the lifetime sum and a compare with the lifetime maximum. Once per sub-window
/// the recording (or read) that crosses its end takes a lock and moves the finished sub-window's
/// counts out, in O(buckets). Reading percentiles costs O(buckets) and one lock.
///
/// Memory is bounded whatever the rate: the sub-window being filled is one dense array of atomic
/// counts (about 11 KiB); each finished sub-window keeps only the buckets it touched, encoded in 2–3
/// bytes each (at most about 14 KiB, typically a few hundred bytes).
public final class LatencyHistogram: Sendable {
    /// The longest duration told apart from longer ones: 100 s.
    public static let maximumTrackable = Duration.seconds(100)

    /// The length of one sub-window; the window is ``subWindowCount`` of them.
    public let subWindowLength: Duration
    /// The number of sub-windows in the window.
    public let subWindowCount: Int

    /// The counts of the sub-window being filled.
    private let current = AtomicBucketCounts()
    /// The index (time / sub-window length) of the sub-window being filled; changed under `finished`.
    private let currentIndex: Atomic<Int64>
    /// The sum of every duration recorded, in nanoseconds.
    private let lifetimeNanoseconds = Atomic<Int64>(0)
    /// The longest duration recorded, in nanoseconds.
    private let lifetimeMaximum = Atomic<Int64>(0)
    /// The finished sub-windows still inside the window; its lock also serialises moving the current
    /// sub-window's counts out.
    private let finished: Mutex<FinishedSubWindows>
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
        self.currentIndex = Atomic(now / length)
        self.finished = Mutex(FinishedSubWindows())
    }

    private var nowSubWindowIndex: Int64 {
        (self.injectedNow?() ?? CoarseMonotonicClock.nanoseconds()) / self.subWindowNanoseconds
    }

    /// The span percentiles describe: ``subWindowCount`` × ``subWindowLength``.
    public var window: Duration {
        self.subWindowLength * self.subWindowCount
    }

    // MARK: - Recording

    /// Records one duration. Negative durations count as zero. Cost: one clock read, no lock.
    public func record(_ duration: Duration) {
        self.recordNanoseconds(duration.nanoseconds)
    }

    /// Records one duration given in nanoseconds. Negative values count as zero.
    public func recordNanoseconds(_ nanoseconds: Int64) {
        let index = self.nowSubWindowIndex
        if index > self.currentIndex.load(ordering: .relaxed) {
            self.finished.withLockedValue { self.advance(&$0, to: index) }
        }
        let value = max(0, nanoseconds)
        self.current.increment(LatencyBuckets.index(ofNanoseconds: value))
        self.lifetimeNanoseconds.wrappingAdd(value, ordering: .relaxed)
        var maximum = self.lifetimeMaximum.load(ordering: .relaxed)
        while value > maximum {
            let (exchanged, original) = self.lifetimeMaximum.compareExchange(
                expected: maximum,
                desired: value,
                ordering: .relaxed
            )
            if exchanged {
                break
            }
            maximum = original
        }
    }

    /// Moves the current sub-window's counts into the finished ones when time has passed its end, and
    /// drops the finished sub-windows no longer inside the window. Called under the lock.
    ///
    /// A recording racing with this lands in the old or the new sub-window, never nowhere: the
    /// counts are taken out bucket by bucket with atomic exchanges.
    private func advance(_ state: inout FinishedSubWindows, to index: Int64) {
        let currentIndex = self.currentIndex.load(ordering: .relaxed)
        guard index > currentIndex else {
            return
        }
        state.append(self.current.drain(), index: currentIndex)
        self.currentIndex.store(index, ordering: .relaxed)
        state.drop(before: index - Int64(self.subWindowCount) + 1)
    }

    // MARK: - Reading

    /// The percentiles of the window and the lifetime totals, read together. Cost: O(buckets), one lock.
    ///
    /// Recordings made while it runs may or may not be included.
    public var summary: LatencySummary {
        let index = self.nowSubWindowIndex
        return self.finished.withLockedValue { state in
            self.advance(&state, to: index)
            var window = Histogram<UInt64>(
                lowestDiscernibleValue: LatencyBuckets.lowestDiscernible,
                highestTrackableValue: LatencyBuckets.highestTrackable,
                numberOfSignificantValueDigits: .two
            )
            state.forEachCount { window.record(LatencyBuckets.lowestValue(at: $0), count: UInt64($1)) }
            var currentCount = 0
            for bucket in 0..<LatencyBuckets.count {
                let count = self.current.load(bucket)
                if count != 0 {
                    window.record(LatencyBuckets.lowestValue(at: bucket), count: UInt64(count))
                    currentCount += Int(count)
                }
            }
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
                totalCount: state.drainedCount + currentCount,
                totalDuration: .nanoseconds(self.lifetimeNanoseconds.load(ordering: .relaxed)),
                lifetimeMax: .nanoseconds(self.lifetimeMaximum.load(ordering: .relaxed))
            )
        }
    }

    /// An estimate of the memory the histogram holds, in bytes: the dense counts of the current
    /// sub-window plus the finished sub-windows it keeps. Cost: O(sub-windows), one lock.
    public var estimatedFootprint: Int {
        MemoryLayout<LatencyHistogram>.size + AtomicBucketCounts.footprint
            + self.finished.withLockedValue { $0.footprint }
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

// MARK: - Finished sub-windows

/// The finished sub-windows of a ``LatencyHistogram`` still inside its window, oldest first, and
/// the count of every duration moved out of the current sub-window so far. Only used under its lock.
struct FinishedSubWindows: Sendable {
    private var subWindows: Deque<(index: Int64, counts: SparseBucketCounts)> = []
    /// Durations moved out of the current sub-window since the histogram was created.
    private(set) var drainedCount = 0

    /// Keeps `counts` as the finished sub-window `index` (nothing when it is empty).
    mutating func append(_ counts: SparseBucketCounts, index: Int64) {
        self.drainedCount += counts.totalCount
        if counts.totalCount > 0 {
            self.subWindows.append((index, counts))
        }
    }

    /// Drops the sub-windows older than `oldest`.
    mutating func drop(before oldest: Int64) {
        while let first = self.subWindows.first, first.index < oldest {
            self.subWindows.removeFirst()
        }
    }

    /// Calls `body` with every (bucket, count) pair of every sub-window kept.
    func forEachCount(_ body: (_ index: Int, _ count: UInt32) -> Void) {
        for subWindow in self.subWindows {
            subWindow.counts.forEach(body)
        }
    }

    /// The bytes the kept sub-windows occupy.
    var footprint: Int {
        self.subWindows.reduce(MemoryLayout<Self>.size) { total, subWindow in
            total + MemoryLayout<(index: Int64, counts: SparseBucketCounts)>.stride + subWindow.counts.footprint
        }
    }
}

// MARK: - Samples

extension LatencySummary {
    /// The quantiles reported for a window, as `quantile` label values: p50, p95, p99 and the maximum.
    private var reportedQuantiles: [(label: String, value: Duration?)] {
        [
            (LabelValue.Quantile.p50, self.p50), (LabelValue.Quantile.p95, self.p95),
            (LabelValue.Quantile.p99, self.p99), (LabelValue.Quantile.maximum, self.max),
        ]
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
            quantileLabels[LabelName.quantile] = quantile.label
            samples.append(Sample(name: name, labels: quantileLabels, kind: .summary, value: value.seconds))
        }
        samples.append(
            Sample(name: name + MetricName.sumSuffix, labels: labels, kind: .summary, value: self.totalDuration.seconds)
        )
        samples.append(
            Sample(name: name + MetricName.countSuffix, labels: labels, kind: .summary, value: Double(self.totalCount))
        )
        return samples
    }
}
