import CPerfKitSystem
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
        let target = alert.target
        self.state.withLockedValue { state in
            guard state.running.count < self.maximumRunning else {
                state.fail(
                    "trigger '\(target)': \(command[0]) not run: \(self.maximumRunning) trigger commands still running"
                )
                return
            }
            var environment = ProcessInfo.processInfo.environment
            environment.merge(alert.environment) { _, new in new }
            switch Self.spawn(command, environment: environment) {
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
                var status: Int32 = 0
                if waitpid(running.pid, &status, WNOHANG) == running.pid {
                    let signal = status & 0x7f
                    let code = (status >> 8) & 0xff
                    if signal != 0 {
                        failures.append("trigger '\(running.target)': \(running.program) ended by signal \(signal)")
                    } else if code != 0 {
                        failures.append("trigger '\(running.target)': \(running.program) exited with status \(code)")
                    }
                    return true
                }
                if now >= running.deadline {
                    kill(-running.pid, SIGKILL)
                    // Killed, so it ends at once; the wait only collects it.
                    waitpid(running.pid, &status, 0)
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

    // MARK: - Spawning

    /// Starts `command` (the program looked up in `PATH`) as described on the type.
    private static func spawn(_ command: [String], environment: [String: String]) -> Result<pid_t, SpawnError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        _ = perfkit_spawn_close_from(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP)
        )
        var arguments = command.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { variables.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawnp(&pid, command[0], &actions, &attributes, &arguments, &variables)
        guard result == 0 else {
            return .failure(SpawnError(code: result))
        }
        return .success(pid)
    }

    /// Why a command could not start: the system's reason.
    private struct SpawnError: Error, CustomStringConvertible {
        var code: Int32

        var description: String {
            String(cString: strerror(self.code))
        }
    }
}
