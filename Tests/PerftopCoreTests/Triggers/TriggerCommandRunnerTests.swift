import Foundation
import Testing

@testable import PerftopCore

@Suite("Trigger commands")
struct TriggerCommandRunnerTests {
    /// A fresh directory for a test's files.
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "perftop-trigger-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func alert(_ command: [String], target: String = "embed p95") -> TriggerAlert {
        TriggerAlert(
            sequence: 1,
            time: 0,
            event: .fired,
            subject: TriggerSubject(
                key: "target:0:\(target)",
                name: target,
                status: .missed,
                value: 0.072,
                formattedValue: "72ms",
                goal: "< 50ms",
                source: "demo[41]",
                trigger: Trigger(command: command)
            )
        )
    }

    @Test("runs the program without a shell, with the alert in its environment and /dev/null as its output")
    func environment() async throws {
        let directory = try Self.directory()
        let log = directory + "/log"
        // The script is the test's own; the metric text reaches it only through the environment.
        let script =
            "printf '%s|%s|%s|%s\\n' \"$PERFTOP_TARGET\" \"$PERFTOP_STATUS\" \"$PERFTOP_VALUE\" \"$0\" > \"$1\"; echo out"
        let runner = TriggerCommandRunner()
        runner.run(Self.alert(["/bin/sh", "-c", script, "$(touch \(directory)/pwned)", log], target: "a'; touch x; '"))
        await runner.finish(waitingUpTo: .seconds(30))
        #expect(runner.runningCount == 0)
        #expect(runner.startedCount == 1)
        let written = try String(contentsOfFile: log, encoding: .utf8)
        #expect(written == "a'; touch x; '|missed|72ms|$(touch \(directory)/pwned)\n")
        #expect(!FileManager.default.fileExists(atPath: directory + "/pwned"))
        #expect(runner.failures.count == 0)
    }

    @Test("a program that cannot start, a non-zero exit and a signal are failures, one line each")
    func failures() async throws {
        let runner = TriggerCommandRunner()
        runner.run(Self.alert(["/nonexistent/perftop-trigger"]))
        runner.run(Self.alert(["/bin/sh", "-c", "exit 3"]))
        runner.run(Self.alert(["/bin/sh", "-c", "kill -TERM $$"]))
        await runner.finish(waitingUpTo: .seconds(30))
        let (messages, count) = runner.failures
        #expect(count == 3)
        #expect(
            messages.contains("trigger 'embed p95': cannot run /nonexistent/perftop-trigger: No such file or directory")
        )
        #expect(messages.contains("trigger 'embed p95': /bin/sh exited with status 3"))
        #expect(messages.contains("trigger 'embed p95': /bin/sh ended by signal 15"))
    }

    @Test("a command past its timeout is killed with its process group")
    func timeout() async throws {
        let directory = try Self.directory()
        let runner = TriggerCommandRunner(timeout: .milliseconds(200))
        // The child of the shell writes its pid; it must die with the group.
        runner.run(Self.alert(["/bin/sh", "-c", "sleep 60 & echo $! > \(directory)/child; wait"]))
        await runner.finish(waitingUpTo: .seconds(30))
        #expect(runner.runningCount == 0)
        #expect(runner.failures.messages == ["trigger 'embed p95': /bin/sh killed after 0.2 seconds"])
        let child = try #require(
            Int32(
                String(contentsOfFile: directory + "/child", encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines
                )
            )
        )
        // Reaped by nobody here (it is the shell's child), so it is gone once init has collected it.
        #expect(await Self.eventually { kill(child, 0) != 0 })
    }

    @Test("at most maximumRunning commands run at once; the rest are not run, and said so")
    func bound() async throws {
        let runner = TriggerCommandRunner(maximumRunning: 2, timeout: .milliseconds(500))
        for _ in 0..<3 {
            runner.run(Self.alert(["/bin/sh", "-c", "sleep 60"]))
        }
        #expect(runner.startedCount == 2)
        #expect(
            runner.failures.messages.first == "trigger 'embed p95': /bin/sh not run: 2 trigger commands still running"
        )
        await runner.finish(waitingUpTo: .seconds(30))
        #expect(runner.runningCount == 0)
    }

    /// Whether `condition` holds within 30 s, looking every 20 ms.
    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<1500 {
            if condition() {
                return true
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }
}
