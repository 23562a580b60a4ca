import PerfKit
import Synchronization

/// Where a source's latency distributions are among its series, in the order the latency pane
/// shows them: what grouping the source's summaries finds (``SourceView/latencyLayout()``), kept
/// from round to round while the source's current series stay the same, so that a round only reads
/// the values (``SourceView/latencies(reusing:)``).
struct LatencyLayout: Sendable {
    /// One distribution: the names it is shown by and where its series are.
    struct Distribution: Sendable {
        /// The short name shown, e.g. `jobs wait`.
        let name: String
        /// The identity in Prometheus form, without `quantile`.
        let identity: String
        let p50: SeriesStore.SourceIndex.Place?
        let p95: SeriesStore.SourceIndex.Place?
        let p99: SeriesStore.SourceIndex.Place?
        let maximum: SeriesStore.SourceIndex.Place?
        /// The `_count` counter, for the rate.
        let count: SeriesStore.SourceIndex.Place?
        /// The p95 series whose points the trend graph shows: ``p95``, or one held but not reported.
        let p95History: SeriesStore.SourceIndex.Place?
    }

    /// The source's ``SeriesStore/SourceIndex/currentSeriesStamp`` when the layout was found: the
    /// layout holds for an index with the same stamp; nil holds for none.
    let stamp: Int?
    /// The distributions, in the pane's order.
    let distributions: [Distribution]
}

/// The latency layouts of the last round, by source, that a ``Derivation`` keeps for the next.
///
/// Memory: one layout per source of the last round (a few places per distribution). Each round
/// replaces all of them, so a source gone leaves nothing behind.
final class LatencyLayouts: Sendable {
    private let bySource = Mutex<[String: LatencyLayout]>([:])

    /// The layouts kept by the last round.
    var layouts: [String: LatencyLayout] {
        get { self.bySource.withLockedValue { $0 } }
        set { self.bySource.withLockedValue { $0 = newValue } }
    }
}
