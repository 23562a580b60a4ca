import FoundationEssentials
import PerfKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs triggers' commands (docs/tracker.md, "Triggers"): the program and its arguments exactly as
/// written, never through a shell, with the alert in `PERFTOP_*` environment variables.
///
/// Each command starts with standard input, output and error on /dev/null (the terminal belongs to
/// the dashboard, standard output to an export), no other descriptor of perftop, no signal blocked
/// and every signal at its default action, in a process group of its own. At most
/// ``maximumRunning`` run at once (a firing beyond that is not run, and said so); one still running
/// after ``timeout`` is killed with its group. Nothing here blocks: finished commands are reaped by
/// ``reap()``, which the round loop calls, and by ``finish(waitingUpTo:)``.
///
/// Failures (a program that cannot start, a non-zero exit, a kill) are kept as one-line messages in
/// ``failures``, the first ``maximumFailures`` of them, for the caller to print when the terminal is
/// its own again.
public final class TriggerCommandRunner: Sendable {
    /// The most commands running at once.
    public let maximumRunning: Int
    /// How long a command may run before it is killed.
    public let timeout: Duration
    /// How many failure messages are kept.
    public static let maximumFailures = 8

    private struct Running {
        var pid: pid_t
        var target: String
        var program: String
        var deadline: ContinuousClock.Instant
    }

    private struct State {
        var running: [Running] = []
        var failures: [String] = []
        var failureCount = 0
        var started = 0

        mutating func fail(_ message: String) {
            self.failureCount += 1
            if self.failures.count < TriggerCommandRunner.maximumFailures {
                self.failures.append(SafeText.escaped(message, limit: SafeText.maximumReasonLength))
            }
        }
    }

    private let state = Mutex(State())

    /// Creates a runner.
    ///
    /// - Parameters:
    ///   - maximumRunning: The most commands running at once; 4 by default.
    ///   - timeout: How long a command may run before it is killed; 30 s by default.
    public init(maximumRunning: Int = 4, timeout: Duration = .seconds(30)) {
        self.maximumRunning = max(1, maximumRunning)
        self.timeout = timeout
    }

    /// Starts `alert`'s command, if its trigger has one, after reaping the commands that ended.
    /// Cost: one `posix_spawn`.
    public func run(_ alert: TriggerAlert) {
        guard !alert.trigger.command.isEmpty else {
            return
        }
        self.reap()
        let command = alert.trigger.command
        let target = alert.subject.name
        self.state.withLockedValue { state in
            guard state.running.count < self.maximumRunning else {
                state.fail(
                    "trigger '\(target)': \(command[0]) not run: \(self.maximumRunning) trigger commands still running"
                )
                return
            }
            var environment = ProcessInfo.processInfo.environment
            environment.merge(alert.environment) { _, new in new }
            switch ChildProcess.spawn(command, environment: environment, ownProcessGroup: true) {
            case .success(let pid):
                state.started += 1
                state.running.append(
                    Running(pid: pid, target: target, program: command[0], deadline: .now + self.timeout)
                )
            case .failure(let error):
                state.fail("trigger '\(target)': cannot run \(command[0]): \(error)")
            }
        }
    }

    /// Reaps the commands that ended (noting a non-zero exit) and kills those past their deadline.
    /// Never blocks. Cost: one `waitpid` per running command.
    public func reap() {
        self.state.withLockedValue { state in
            let now = ContinuousClock.now
            var failures: [String] = []
            state.running.removeAll { running in
                switch ChildProcess.exitStatus(running.pid) {
                case .signal(let signal):
                    failures.append("trigger '\(running.target)': \(running.program) ended by signal \(signal)")
                    return true
                case .status(let code):
                    if code != 0 {
                        failures.append("trigger '\(running.target)': \(running.program) exited with status \(code)")
                    }
                    return true
                case nil:
                    break
                }
                if now >= running.deadline {
                    // The group, and the child itself in case it left its group: killed, it ends at once,
                    // so the wait only collects it.
                    kill(-running.pid, SIGKILL)
                    kill(running.pid, SIGKILL)
                    waitpid(running.pid, nil, 0)
                    failures.append("trigger '\(running.target)': \(running.program) killed after \(self.timeout)")
                    return true
                }
                return false
            }
            failures.forEach { state.fail($0) }
        }
    }

    /// Waits until every command has ended, reaping them, for at most `limit`; commands still
    /// running then are left to run on their own. Sleeps between looks, never blocking a thread.
    public func finish(waitingUpTo limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while true {
            self.reap()
            guard self.runningCount > 0, ContinuousClock.now < deadline else {
                return
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Commands running now.
    public var runningCount: Int {
        self.state.withLockedValue { $0.running.count }
    }

    /// Commands started so far.
    public var startedCount: Int {
        self.state.withLockedValue { $0.started }
    }

    /// The first ``maximumFailures`` failures, one line each, and how many there were in all.
    public var failures: (messages: [String], count: Int) {
        self.state.withLockedValue { ($0.failures, $0.failureCount) }
    }
}
