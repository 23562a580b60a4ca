import Testing

@testable import PerftopCore

@Suite("Trigger tables in tracker files")
struct TriggerTests {
    static let tracker = """
        [[target]]
        name = "embed p95"
        metric = 'operation_seconds{op="embed"}'
        statistic = "p95"
        goal = "< 50ms"
        trigger = { when = "at risk", rounds = 3, bell = true, command = ["notify-send", "perftop: $x"], recovery = true, cooldown = 5 }

        [[target]]
        name = "hit ratio"
        metric = 'cache_hits_total{cache="a"}'
        statistic = "hit ratio"
        goal = ">= 70%"

        [target.trigger]
        notice = false
        command = ["/usr/local/bin/page", "--team", "perf"]
        """

    @Test("reads an inline table and a [target.trigger] table")
    func reading() throws {
        let tracker = try Tracker(toml: Self.tracker)
        #expect(
            tracker.targets[0].trigger
                == Trigger(
                    condition: .atRisk,
                    rounds: 3,
                    bell: true,
                    command: ["notify-send", "perftop: $x"],
                    recovery: true,
                    cooldown: 5
                )
        )
        #expect(
            tracker.targets[1].trigger == Trigger(notice: false, command: ["/usr/local/bin/page", "--team", "perf"])
        )
    }

    @Test("a written tracker reads back with the same triggers")
    func roundTrip() throws {
        var tracker = try Tracker(toml: Self.tracker)
        tracker.targets.append(TrackerTarget(name: "defaults", trigger: Trigger()))
        let text = tracker.tomlText()
        #expect(text.contains("trigger = {}"))
        #expect(try Tracker(toml: text) == tracker)
    }

    @Test(
        "a bad trigger names its line and key",
        arguments: [
            (
                "trigger = { rounds = 0 }",
                "tracker.toml:3: trigger: expected rounds to be a whole number from 1 to 1000"
            ),
            (
                "trigger = { when = \"sometimes\" }",
                "tracker.toml:3: trigger: expected when to be \"missed\" or \"at risk\""
            ),
            ("trigger = { command = [] }", "tracker.toml:3: trigger: expected command to be a non-empty list"),
            (
                "trigger = { command = [\"a\\u0000b\"] }",
                "tracker.toml:3: trigger: expected command to be a non-empty list"
            ),
            ("trigger = { bell = \"yes\" }", "tracker.toml:3: trigger: expected bell to be true or false"),
            ("trigger = { cooldown = -1 }", "tracker.toml:3: trigger: expected cooldown to be a number of seconds"),
            (
                "trigger = { notice = false }",
                "tracker.toml:3: trigger: a trigger with no bell, notice or command does nothing"
            ),
            ("trigger = { shell = \"rm -rf\" }", "tracker.toml:3: trigger: unknown key 'shell'"),
            ("trigger = true", "tracker.toml:3: expected trigger to be a table"),
            ("[target.trigger]\nrounds = 0", "tracker.toml:4: trigger: expected rounds to be a whole number"),
        ]
    )
    func badTrigger(line: String, expected: String) {
        let text = "[[target]]\nname = \"x\"\n\(line)\n"
        #expect {
            try Tracker(toml: text)
        } throws: { error in
            "\(error)".hasPrefix(expected)
        }
    }
}
