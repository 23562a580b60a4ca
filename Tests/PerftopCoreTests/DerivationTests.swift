import PerfKit
import Testing

@testable import PerftopCore

/// The third stage alone: views, tracker and advice from a store, with no poller in front of it.
@Suite("Derivation")
struct DerivationTests {
    @Test("the model of a store holds its caches, the tracker's targets and the advice, for the sources given")
    func derives() throws {
        let store = SeriesWindowTests.falling
        let tracker = Tracker(targets: [
            TrackerTarget(
                name: "hit ratio",
                metric: MetricSelector(name: MetricName.cacheHits),
                statistic: .hitRatio,
                goal: try TrackerGoal(parsing: ">= 80%")
            )
        ])
        var thresholds = AdvisorThresholds()
        thresholds.cacheHitRatio = 0.8
        thresholds.cacheMinimumPoints = 2
        thresholds.cacheSizeEvictionsPerSecond = 1
        let derivation = Derivation(tracker: tracker, advisor: Advisor(thresholds: thresholds))
        let sources = [SourceStatus(name: "agent", state: .ok)]
        let model = derivation.derive(from: store, sources: sources, timestamp: 10, interval: 1)
        #expect(model.caches.map(\.name) == ["c"])
        #expect(model.caches.first?.hitRate == 0.5)
        #expect(model.tracker.map(\.status) == ["missed"])
        #expect(model.advice.map(\.rule) == [.cacheCapacity])
        #expect(model.sources == sources)

        let down = [SourceStatus(name: "agent", state: .down(reason: "gone"))]
        #expect(derivation.derive(from: store, sources: down, timestamp: 10, interval: 1).advice.isEmpty)
    }
}
