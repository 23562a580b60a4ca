import PerfKit
import PerftopCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a run does with its triggers' alerts besides the dashboard's bell and notice
/// (docs/tracker.md, "Triggers"): runs their commands and, without a dashboard, writes their notices
/// on standard error (with the bell when that is a terminal); reports the commands' failures when the
/// terminal is the run's own again.
final class TriggerActions: Sendable {
    /// How long a run waits at its end for trigger commands still running.
    static let exitWait: Duration = .seconds(5)

    /// Runs the commands.
    let runner: TriggerCommandRunner
    /// Whether notices go to standard error (an export, `--once`, `tracker check`).
    private let printsNotices: Bool
    /// The sequence of the last alert acted on.
    private let lastSequence = Mutex(0)

    /// Creates the actions of a run.
    init(printsNotices: Bool, runner: TriggerCommandRunner = TriggerCommandRunner()) {
        self.printsNotices = printsNotices
        self.runner = runner
    }

    /// Acts on the alerts not acted on yet (a sequence above the last), in order; reaps commands
    /// that ended. Called once per round.
    func handle(_ alerts: [TriggerAlert]) {
        let last = self.lastSequence.withLockedValue { last in
            defer { last = max(last, alerts.last?.sequence ?? last) }
            return last
        }
        self.runner.reap()
        for alert in alerts where alert.sequence > last {
            if self.printsNotices, alert.trigger.notice || alert.trigger.bell {
                let bell = alert.trigger.bell && isatty(STDERR_FILENO) == 1 ? "\u{7}" : ""
                Console.error(alert.message)
                if !bell.isEmpty {
                    DescriptorWriter.write(bell, to: STDERR_FILENO)
                }
            }
            self.runner.run(alert)
        }
    }

    /// Waits for the commands still running, for at most `limit`.
    func finish(waitingUpTo limit: Duration) async {
        await self.runner.finish(waitingUpTo: limit)
    }

    /// Writes each failed command on standard error, one line each.
    func reportFailures() {
        let (messages, count) = self.runner.failures
        for message in messages {
            Console.error(message)
        }
        if count > messages.count {
            Console.error("\(count - messages.count) more trigger commands failed")
        }
    }
}
