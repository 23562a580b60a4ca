import PerfKit
import Testing

@testable import PerftopCore

@Suite("AdviceSchedule")
struct AdviceScheduleTests {
    private static let mebibyte = 1_048_576.0
    /// When every source's first point was read.
    private static let start = 1_000.0

    /// An advisor that calls 2 MiB/min of growth a leak from the second point on.
    private static let advisor = Advisor(
        thresholds: AdvisorThresholds(leakMinimumPoints: 2, leakMinimumWindow: 1)
    )

    /// Records each of `sources`' resident memory at `time`: 200 MiB at the start, growing 2 MiB a
    /// minute, so each source always has a memory-leak advice whose window ends when it was made.
    private static func record(_ sources: [String], at time: Double, into store: inout SeriesStore) {
        for source in sources {
            let resident = 200 * Self.mebibyte + 2 * Self.mebibyte * (time - Self.start) / 60
            store.record(
                source: source,
                samples: [Sample(name: MetricName.processResidentMemory, kind: .gauge, value: resident)],
                at: time
            )
        }
    }

    /// When each source's advice in `advice` was made: the end of the window it cites.
    private static func madeAt(_ advice: [Advice]) -> [String: Double] {
        Dictionary(
            advice.map { ($0.subject.source, Self.start + ($0.value("window") ?? .nan)) },
            uniquingKeysWith: max
        )
    }

    @Test("a round advises the sources whose advice is due, a few each round, and none is older than the period")
    func spreadsTheSources() {
        let sources = (0..<10).map { "s\($0)" }
        let schedule = AdviceSchedule(period: 5)
        var store = SeriesStore(retention: 300)
        var previous: [String: Double] = [:]
        for second in 0..<40 {
            let time = Self.start + Double(second)
            Self.record(sources, at: time, into: &store)
            let advice = schedule.advise(Self.advisor, store: store, sources: [], at: time, interval: 1)
            // The sources all arrive in the first round, with one point each: no advice yet, and each
            // is advised again within the period.
            guard second >= 5 else {
                continue
            }
            let made = Self.madeAt(advice)
            #expect(made.keys.sorted() == sources, "second \(second): every source has its advice")
            for (source, madeAt) in made {
                #expect(time - madeAt < 5, "second \(second): \(source)'s advice is \(time - madeAt) s old")
            }
            let advised = made.filter { previous[$0.key] != $0.value }.count
            if second >= 6 {
                #expect((1...3).contains(advised), "second \(second): \(advised) sources advised, not a fifth")
            }
            let fresh = Set(made.filter { $0.value == time }.keys)
            #expect(
                advice.filter { fresh.contains($0.subject.source) }
                    == Self.advisor.advise(store: store).filter { fresh.contains($0.subject.source) },
                "second \(second): the sources advised got the advisor's advice"
            )
            previous = made
        }
    }

    @Test("the advice is ordered as the advisor orders it, and is the advisor's when every source is due")
    func orderedAsTheAdvisor() {
        let sources = ["b", "a", "c"]
        let schedule = AdviceSchedule(period: 5)
        var store = SeriesStore(retention: 300)
        Self.record(sources, at: Self.start, into: &store)
        Self.record(sources, at: Self.start + 1, into: &store)
        let advice = schedule.advise(Self.advisor, store: store, sources: [], at: Self.start + 1, interval: 1)
        #expect(advice.map(\.subject.source) == ["a", "b", "c"])
        #expect(advice == Self.advisor.advise(store: store))
    }

    @Test("a failing source's advice goes at once; it is advised at once when it answers again")
    func failingAndRecovering() {
        let schedule = AdviceSchedule(period: 10)
        var store = SeriesStore(retention: 300)
        var statuses = [SourceStatus(name: "a", state: .ok), SourceStatus(name: "b", state: .ok)]
        for second in 0..<3 {
            Self.record(["a", "b"], at: Self.start + Double(second), into: &store)
        }
        let time = Self.start + 2
        #expect(
            Self.madeAt(schedule.advise(Self.advisor, store: store, sources: statuses, at: time, interval: 1)).count
                == 2
        )

        statuses[1].state = .down(reason: "connection refused")
        let failing = schedule.advise(Self.advisor, store: store, sources: statuses, at: time + 1, interval: 1)
        #expect(failing.map(\.subject.source) == ["a"])

        statuses[1].state = .ok
        Self.record(["a", "b"], at: time + 2, into: &store)
        let recovered = Self.madeAt(
            schedule.advise(Self.advisor, store: store, sources: statuses, at: time + 2, interval: 1)
        )
        #expect(recovered["b"] == time + 2, "answering again: advised at once")
        #expect(recovered["a"] == time, "the other source keeps its advice until it is due")
    }

    @Test("another advisor, or a time before the advice was made, advises every source again")
    func newAdvisorOrEarlierTime() {
        let schedule = AdviceSchedule(period: 5)
        var store = SeriesStore(retention: 300)
        for second in 0..<4 {
            Self.record(["a", "b"], at: Self.start + Double(second), into: &store)
        }
        _ = schedule.advise(Self.advisor, store: store, sources: [], at: Self.start + 1, interval: 1)
        var stricter = Self.advisor
        stricter.thresholds.leakBytesPerMinute = 4 * Self.mebibyte
        #expect(schedule.advise(stricter, store: store, sources: [], at: Self.start + 2, interval: 1).isEmpty)

        _ = schedule.advise(Self.advisor, store: store, sources: [], at: Self.start + 3, interval: 1)
        // A replay sought back: the store as it was at the start's second 2.
        var earlier = SeriesStore(retention: 300)
        for second in 0..<3 {
            Self.record(["a", "b"], at: Self.start + Double(second), into: &earlier)
        }
        let sought = schedule.advise(Self.advisor, store: earlier, sources: [], at: Self.start + 2, interval: 1)
        #expect(Set(Self.madeAt(sought).values) == [Self.start + 2])
        #expect(sought == Self.advisor.advise(store: earlier))
    }
}
