import PerftopCore
import PerftopDemo
import Testing

@Suite struct DemoTrackerTests {
    @Test func theDemoTrackerParsesWithBoundAndUnboundTargets() throws {
        let tracker = try Tracker(toml: DemoTracker.text)
        #expect(tracker == DemoTracker.tracker)
        #expect(tracker.targets.count == 8)
        #expect(tracker.targets.filter(\.isBound).count == 6)
        #expect(
            tracker.targets.filter { !$0.isBound }.map(\.name) == [
                "VectorSearchResolver p95", "Memory Usage Optimization",
            ]
        )
        #expect(tracker.targets.allSatisfy { $0.goal != nil })
    }

    @Test func theAdvisorTakesTheTrackersHitRatioGoals() {
        var thresholds = AdvisorThresholds()
        thresholds.adoptHitRatioGoals(of: DemoTracker.tracker)
        #expect(thresholds.cacheHitRatioTargets == ["embeddings": 0.70, "users": 0.60])
        #expect(thresholds.hitRatioTarget(cache: "users") == 0.60)
        #expect(thresholds.hitRatioTarget(cache: "sessions") == thresholds.cacheHitRatio)
        #expect(Advisor(adoptingGoalsOf: DemoTracker.tracker).thresholds == thresholds)
        #expect(Advisor(adoptingGoalsOf: nil) == Advisor())
    }

    @Test func onlyLowerBoundsOnOneCacheAreAdopted() throws {
        let tracker = try Tracker(
            toml: """
                [[target]]
                name = "upper bound"
                metric = 'cache_hits_total{cache="a"}'
                statistic = "hit ratio"
                goal = "< 90%"

                [[target]]
                name = "relative"
                metric = 'cache_hits_total{cache="b"}'
                statistic = "hit ratio"
                goal = "+10% vs baseline"

                [[target]]
                name = "no cache label"
                metric = 'cache_hits_total'
                statistic = "hit ratio"
                goal = ">= 50%"

                [[target]]
                name = "not a hit ratio"
                metric = 'cache_hits_total{cache="c"}'
                statistic = "rate"
                goal = "> 5/s"
                """
        )
        var thresholds = AdvisorThresholds()
        thresholds.adoptHitRatioGoals(of: tracker)
        #expect(thresholds.cacheHitRatioTargets.isEmpty)
    }
}
