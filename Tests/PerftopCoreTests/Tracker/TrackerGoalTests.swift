import Testing

@testable import PerftopCore

@Suite("Tracker goals")
struct TrackerGoalTests {
    @Test(
        "absolute goals in every unit, normalised to base units",
        arguments: [
            ("< 50ms", TrackerGoal.Comparison.lessThan, 0.05),
            ("<= 5 ms", .atMost, 0.005),
            ("<50ms", .lessThan, 0.05),
            ("< 250 µs", .lessThan, 0.00025),
            ("< 250us", .lessThan, 0.00025),
            ("< 900ns", .lessThan, 0.0000009),
            ("< 1.5 s", .lessThan, 1.5),
            (">= 70%", .atLeast, 0.7),
            ("> 1000/s", .greaterThan, 1000),
            ("< 512MB", .lessThan, 512_000_000),
            ("< 512 MiB", .lessThan, 536_870_912),
            ("< 1.5 GiB", .lessThan, 1_610_612_736),
            ("< 2 KB", .lessThan, 2000),
            ("< 2 KiB", .lessThan, 2048),
            ("< 10 B", .lessThan, 10),
            ("≤ 3", .atMost, 3),
            ("≥ 0.5e1", .atLeast, 5),
        ]
    )
    func absolute(text: String, comparison: TrackerGoal.Comparison, threshold: Double) throws {
        let goal = try TrackerGoal(parsing: text)
        #expect(goal.bound(baseline: nil)?.comparison == comparison)
        #expect(goal.threshold == threshold)
        #expect(try TrackerGoal(parsing: goal.description) == goal)
    }

    @Test(
        "relative goals and the wording of tracker documents",
        arguments: [
            ("-30% vs baseline", -30.0),
            ("+25% vs baseline", 25),
            ("- 12.5 % vs baseline", -12.5),
            ("25% reduction", -25),
            ("30% memory reduction", -30),
            ("60% latency reduction", -60),
            ("40% lookup time reduction", -40),
            ("25% throughput increase", 25),
        ]
    )
    func relative(text: String, percent: Double) throws {
        let goal = try TrackerGoal(parsing: text)
        #expect(goal == .relative(percent: percent))
        #expect(goal.threshold == nil)
        #expect(goal.bound(baseline: nil) == nil)
        #expect(try TrackerGoal(parsing: goal.description) == goal)
    }

    @Test("a relative goal's bound comes from the baseline")
    func relativeBound() throws {
        let reduction = try #require(try TrackerGoal(parsing: "-30% vs baseline").bound(baseline: 200))
        #expect(reduction.comparison == .atMost)
        #expect(reduction.threshold == 140)
        let increase = try #require(try TrackerGoal(parsing: "+25% vs baseline").bound(baseline: 200))
        #expect(increase.comparison == .atLeast)
        #expect(increase.threshold == 250)
    }

    @Test("canonical forms")
    func descriptions() throws {
        #expect(try TrackerGoal(parsing: "<=5 ms").description == "<= 5ms")
        #expect(try TrackerGoal(parsing: "< 1.5 GiB").description == "< 1.5GiB")
        #expect(try TrackerGoal(parsing: "60% latency reduction").description == "-60% vs baseline")
        #expect(try TrackerGoal(parsing: "> 1000/s").description == "> 1000/s")
        #expect(try TrackerGoal(parsing: "< 250 us").description == "< 250µs")
    }

    @Test(
        "bad goals give one-line errors with the column",
        arguments: [
            ("", "column 1: empty goal (expected e.g. '< 50ms', '>= 70%' or '-30% vs baseline')"),
            ("50ms", "column 1: expected a comparison (<, <=, >, >=) before '50ms'"),
            ("< fast", "column 3: expected a number after '<', found 'fast'"),
            (
                "< 50 mz",
                "column 6: unknown unit 'mz' (expected ns, µs, ms, s, %, B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, /s or none)"
            ),
            ("< 50 ms please", "column 9: unexpected 'please' after the unit"),
            ("30% vs baseline", "column 4: write '-30% vs baseline' or '+30% vs baseline'"),
            ("0% reduction", "column 1: a change against the baseline must not be zero"),
            ("30% better", "column 4: expected 'vs baseline', '… reduction' or '… increase' after the percentage"),
            ("-30% reduction", "column 5: expected 'vs baseline', '… reduction' or '… increase' after the percentage"),
            ("fast", "column 1: expected a comparison (<, <=, >, >=) or a percentage, found 'fast'"),
        ]
    )
    func errors(text: String, message: String) {
        do {
            let goal = try TrackerGoal(parsing: text)
            Issue.record("parsed \(goal)")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test("units format values in base units")
    func formatting() {
        #expect(TrackerUnit.format(0.0452, kind: .time) == "45.2ms")
        #expect(TrackerUnit.format(0.00025, kind: .time) == "250µs")
        #expect(TrackerUnit.format(2.5, kind: .time) == "2.5s")
        #expect(TrackerUnit.format(0.725, kind: .fraction) == "72.5%")
        #expect(TrackerUnit.format(1_610_612_736, kind: .bytes) == "1.5GiB")
        #expect(TrackerUnit.format(512_000_000, kind: .bytes, decimalBytes: true) == "512MB")
        #expect(TrackerUnit.format(1200, kind: .rate) == "1200/s")
        #expect(TrackerUnit.format(3, kind: .plain) == "3")
    }
}
