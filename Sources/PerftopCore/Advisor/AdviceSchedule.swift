import PerfKit
import Synchronization

/// Spreads the advisor's work over the rounds: a source's advice is made again once it is
/// ``period`` old, and the sources that appear in the same round are given times to be advised
/// again spread over the period. At a hundred sources and a 1 s interval, a round advises about a
/// fifth of them, instead of every fifth round advising all of them.
///
/// The advisor reads the retained window (five minutes by default), which a few seconds hardly
/// move, so showing a source's advice for a few seconds loses little; reading every source's window
/// in one round made that round twice as long as the others. A source is advised at once when it
/// first appears, when it answers again after failing, and when the advisor changes (new
/// thresholds); a failing or dropped source's advice goes at once. No source's advice is older than
/// ``period`` plus half the interval.
///
/// Thread-safe: one lock around the state, held while the advisor runs; the collector's round
/// loop is its only caller. Memory: each advised source's last advice.
public final class AdviceSchedule: Sendable {
    /// How long a source's advice is shown before it is made again, in seconds.
    public let period: Double

    /// One source's last advice.
    private struct Entry {
        /// When it was made, in seconds since 1970.
        var madeAt: Double
        /// When it is made again.
        var dueAt: Double
        var advice: [Advice]
    }

    private struct State {
        /// The advisor the entries came from; another one advises every source again.
        var advisor: Advisor?
        var entries: [String: Entry] = [:]
    }

    private let state = Mutex(State())

    /// Creates a schedule with no advice yet.
    /// - Parameter period: How long a source's advice is shown before it is made again, in seconds.
    public init(period: Double) {
        self.period = period
    }

    /// The advice for what `store` holds at `time`, ordered as ``Advisor/advise(store:sources:)``
    /// orders it: every source's latest advice, after advising the sources that are new, answer
    /// again, or whose advice is due.
    ///
    /// - Parameters:
    ///   - advisor: The advisor to run.
    ///   - store: The collected series.
    ///   - sources: The collector's source states; a stale or down source gets no advice.
    ///   - time: The round's time, in seconds since 1970. A time before a source's advice was made
    ///     (a replay sought back) advises it again.
    ///   - interval: The interval in force, in seconds: a source is due half an interval early rather
    ///     than a whole interval late.
    public func advise(
        _ advisor: Advisor,
        store: SeriesStore,
        sources: [SourceStatus],
        at time: Double,
        interval: Double
    ) -> [Advice] {
        let advised = Advisor.advisedSources(of: store, sources: sources)
        return self.state.withLockedValue { state in
            if state.advisor != advisor {
                state = State(advisor: advisor)
            }
            let current = Set(advised)
            state.entries = state.entries.filter { current.contains($0.key) }
            var arriving: [String] = []
            for source in advised {
                guard let entry = state.entries[source] else {
                    arriving.append(source)
                    continue
                }
                if time + interval / 2 >= entry.dueAt || time < entry.madeAt {
                    state.entries[source] = Entry(
                        madeAt: time,
                        dueAt: time + self.period,
                        advice: advisor.advise(source: source, in: store)
                    )
                }
            }
            for (index, source) in arriving.enumerated() {
                state.entries[source] = Entry(
                    madeAt: time,
                    dueAt: time + self.period * Double(index + 1) / Double(arriving.count),
                    advice: advisor.advise(source: source, in: store)
                )
            }
            return Advisor.ordered(state.entries.values.flatMap(\.advice))
        }
    }
}
