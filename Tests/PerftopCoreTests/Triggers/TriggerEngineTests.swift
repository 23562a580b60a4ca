import PerfKit
import Testing

@testable import PerftopCore

@Suite("Trigger engine")
struct TriggerEngineTests {
    /// One target with `trigger`, its result at `status`.
    static func results(_ status: TrackerStatus, trigger: Trigger?, value: Double = 0.072) -> [TrackerResult] {
        var target = TrackerTarget(
            name: "embed p95",
            metric: try! MetricSelector(parsing: "operation_seconds{op=\"embed\"}"),
            statistic: .p95,
            goal: try! TrackerGoal(parsing: "< 50ms")
        )
        target.trigger = trigger
        let reading = TrackerReading(
            value: value,
            history: [],
            source: "demo[41]",
            series: SeriesID(name: "operation_seconds", labels: ["op": "embed"])
        )
        return [TrackerResult(target: target, status: status, reading: reading, threshold: 0.05, comparison: .lessThan)]
    }

    /// Feeds `statuses` one round a second and returns the events fired in each round.
    static func run(_ statuses: [TrackerStatus], trigger: Trigger) -> [[TriggerAlert.Event]] {
        let engine = TriggerEngine()
        return statuses.enumerated().map { round, status in
            engine.observe(Self.results(status, trigger: trigger), at: Double(round)).map(\.event)
        }
    }

    @Test("fires once when the target turns missed, and not again while it stays missed")
    func firesOnce() {
        let fired = Self.run([.met, .met, .missed, .missed, .missed, .missed], trigger: Trigger(cooldown: 0))
        #expect(fired == [[], [], [.fired], [], [], []])
    }

    @Test("waits for the rounds in a row; another status breaks the run")
    func rounds() {
        let trigger = Trigger(rounds: 3, cooldown: 0)
        let fired = Self.run([.missed, .missed, .noData, .missed, .missed, .missed, .missed], trigger: trigger)
        #expect(fired == [[], [], [], [], [], [.fired], []])
    }

    @Test("hysteresis: at risk does not re-arm a missed trigger; met for the rounds does")
    func hysteresis() {
        let trigger = Trigger(rounds: 2, recovery: true, cooldown: 0)
        let fired = Self.run(
            [.missed, .missed, .atRisk, .missed, .met, .atRisk, .met, .met, .missed, .missed],
            trigger: trigger
        )
        #expect(fired == [[], [.fired], [], [], [], [], [], [.recovered], [], [.fired]])
    }

    @Test("an at-risk trigger fires on at risk")
    func atRisk() {
        let fired = Self.run([.met, .atRisk, .missed], trigger: Trigger(condition: .atRisk, cooldown: 0))
        #expect(fired == [[], [.fired], []])
    }

    @Test("the cooldown holds back a second firing and counts it")
    func cooldown() {
        let engine = TriggerEngine()
        let trigger = Trigger(cooldown: 60)
        var fired: [Int] = []
        for (round, status) in [TrackerStatus.missed, .met, .missed, .met, .missed].enumerated() {
            fired.append(engine.observe(Self.results(status, trigger: trigger), at: Double(round) * 20).count)
        }
        #expect(fired == [1, 0, 0, 0, 1])
        #expect(engine.suppressedCount == 1)
    }

    @Test("a settled verdict fires at once; a target without a trigger never does")
    func settled() {
        let engine = TriggerEngine()
        #expect(engine.observe(Self.results(.missed, trigger: nil), at: 0, settled: true).isEmpty)
        let alerts = engine.observe(Self.results(.missed, trigger: Trigger(rounds: 5)), at: 0, settled: true)
        #expect(alerts.count == 1)
    }

    @Test("an alert carries the target, value, goal and source, numbered, in its message and environment")
    func alertContents() throws {
        let engine = TriggerEngine()
        let alert = try #require(engine.observe(Self.results(.missed, trigger: Trigger()), at: 1_780_000_000).first)
        #expect(alert.sequence == 1)
        #expect(alert.message == "trigger: 'embed p95' missed: 72ms (goal < 50ms) on demo[41]")
        let environment = alert.environment
        #expect(environment["PERFTOP_TARGET"] == "embed p95")
        #expect(environment["PERFTOP_STATUS"] == "missed")
        #expect(environment["PERFTOP_EVENT"] == "fired")
        #expect(environment["PERFTOP_VALUE"] == "72ms")
        #expect(environment["PERFTOP_VALUE_RAW"] == "0.072")
        #expect(environment["PERFTOP_GOAL"] == "< 50ms")
        #expect(environment["PERFTOP_SOURCE"] == "demo[41]")
        #expect(environment["PERFTOP_SERIES"] == "operation_seconds{op=\"embed\"}")
        #expect(environment["PERFTOP_TIME"] == "2026-05-28T20:26:40Z")
        #expect(engine.recentAlerts == [alert])
    }

    @Test("a hostile target name reaches the message escaped, and the environment without NUL")
    func hostileName() throws {
        var results = Self.results(.missed, trigger: Trigger())
        results[0].target.name = "x\u{1B}]52;c;AAAA\u{7}\0y"
        let alert = try #require(TriggerEngine().observe(results, at: 0).first)
        #expect(!alert.message.unicodeScalars.contains { $0.value < 0x20 })
        #expect(alert.environment["PERFTOP_TARGET"] == "x\u{1B}]52;c;AAAA\u{7}y")
    }

    @Test("keeps only the latest alerts")
    func recentBound() {
        let engine = TriggerEngine()
        let trigger = Trigger(cooldown: 0)
        for round in 0..<40 {
            _ = engine.observe(Self.results(round % 2 == 0 ? .missed : .met, trigger: trigger), at: Double(round))
        }
        #expect(engine.recentAlerts.count == TriggerEngine.maximumRecentAlerts)
        #expect(engine.recentAlerts.last?.sequence == 20)
    }
}
