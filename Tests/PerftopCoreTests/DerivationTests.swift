import PerfKit
import Testing

@testable import PerftopCore

/// The third stage alone: views, tracker and advice from a store, with no poller in front of it.
@Suite("Derivation")
struct DerivationTests {
    /// A tracker whose one target, the hit ratio of ``SeriesWindowTests/falling``'s cache, is missed
    /// and fires its trigger, an advisor that finds the cache too small, and a custom pane of the
    /// hits' rate; with a trigger engine of its own.
    static func derivation() throws -> Derivation {
        var target = TrackerTarget(
            name: "hit ratio",
            metric: MetricSelector(name: MetricName.cacheHits),
            statistic: .hitRatio,
            goal: try TrackerGoal(parsing: ">= 80%")
        )
        target.trigger = Trigger(cooldown: 0)
        var thresholds = AdvisorThresholds()
        thresholds.cacheHitRatio = 0.8
        thresholds.cacheMinimumPoints = 2
        thresholds.cacheSizeEvictionsPerSecond = 1
        return Derivation(
            tracker: Tracker(targets: [target]),
            advisor: Advisor(thresholds: thresholds),
            panes: [
                PaneDefinition(
                    name: "hits",
                    metric: MetricSelector(name: MetricName.cacheHits),
                    statistic: .reading(.rate)
                )
            ],
            triggers: TriggerEngine()
        )
    }

    @Test("the model of a store holds its caches, the tracker's targets and the advice, for the sources given")
    func derives() throws {
        let store = SeriesWindowTests.falling
        let derivation = try Self.derivation()
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

    @Test("deriving the views in a child task beside the rest gives the model one thread derives")
    func derivesConcurrently() async throws {
        let store = SeriesWindowTests.falling
        let sources = [SourceStatus(name: "agent", state: .ok)]
        let alone = try Self.derivation().derive(from: store, sources: sources, timestamp: 10, interval: 1)
        let beside = try await Self.derivation().derive(
            concurrentlyFrom: store,
            sources: sources,
            timestamp: 10,
            interval: 1
        )
        #expect(beside == alone)
        // Every part of the model is there to compare: the views and each part of the judgement.
        #expect(!beside.caches.isEmpty && !beside.tracker.isEmpty && !beside.bindableSeries.isEmpty)
        #expect(!beside.customPanes.isEmpty && !beside.alerts.isEmpty && !beside.advice.isEmpty)
    }
}
