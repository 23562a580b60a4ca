import CPerfKitSystem

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts programs the way perftop must: with `posix_spawnp` (the program looked up in `PATH`, never
/// a shell), standard input from /dev/null, output and error to the files given, no other
/// descriptor of perftop (SwiftNIO does not mark its sockets close-on-exec), no signal blocked and
/// every signal at its default action (the threads that spawn may block some, and a child would
/// inherit that mask and could never be stopped), optionally in a process group of its own.
///
/// Nothing here waits: ``exitStatus(_:)`` polls with `WNOHANG`, so no cooperative thread blocks on a
/// child.
package enum ChildProcess {
    /// Why a program could not start: the system's reason.
    package struct SpawnError: Error, CustomStringConvertible {
        /// The `errno` value `posix_spawnp` returned.
        package var code: Int32

        /// The system's reason, e.g. `No such file or directory`.
        package var description: String {
            String(cString: strerror(self.code))
        }
    }

    /// Starts `command`; returns its process id.
    ///
    /// - Parameters:
    ///   - command: the program and its arguments; at least the program.
    ///   - standardOutput: the file standard output goes to, created (0600) or truncated.
    ///   - standardError: the file standard error goes to, created (0600) or truncated.
    ///   - environment: the child's whole environment; nil passes perftop's.
    ///   - ownProcessGroup: whether the child leads a new process group (so `kill(-pid, …)` reaches
    ///     its children too, and the terminal's signals do not).
    package static func spawn(
        _ command: [String],
        standardOutput: String = "/dev/null",
        standardError: String = "/dev/null",
        environment: [String: String]? = nil,
        ownProcessGroup: Bool = false
    ) -> Result<pid_t, SpawnError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
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
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var arguments = command.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid = pid_t()
        let result: Int32
        if let environment {
            var variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { variables.forEach { free($0) } }
            result = posix_spawnp(&pid, command[0], &actions, &attributes, &arguments, &variables)
        } else {
            result = posix_spawnp(&pid, command[0], &actions, &attributes, &arguments, environ)
        }
        guard result == 0 else {
            return .failure(SpawnError(code: result))
        }
        return .success(pid)
    }

    /// How a child ended.
    package enum Exit: Equatable {
        /// It exited with this status.
        case status(Int32)
        /// A signal ended it.
        case signal(Int32)
    }

    /// How `pid` ended, reaping it, or nil while it runs. Never blocks.
    package static func exitStatus(_ pid: pid_t) -> Exit? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else {
            return nil
        }
        let signal = status & 0x7f
        return signal == 0 ? .status((status >> 8) & 0xff) : .signal(signal)
    }
}
