import Foundation
import PerftopCore

/// The built `perftop` executable, run as a user would run it.
///
/// Children are started with posix_spawn rather than Foundation's `Process`: on Linux, `Process`
/// learns that a child ended from a descriptor the child inherits, and a tmux server started by a
/// test running alongside inherits it too and keeps it open for its life, hiding the exit. Here
/// exits are polled with waitpid(WNOHANG), so no cooperative thread ever blocks on a child.
enum PerftopProcess {
    /// The executable next to the test bundle in the build folder (SwiftPM builds it for this target).
    static var executablePath: String {
        self.builtProductPath("perftop")
    }

    /// Whether this build links a sanitizer's runtime (ThreadSanitizer, AddressSanitizer), which
    /// replaces malloc: heap figures are then absent and the malloc interposer cannot run. The
    /// executables under test are built the same way as the test bundle.
    static let isSanitized =
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__tsan_init") != nil
        || dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_init") != nil

    /// The path of an executable built next to the test bundle, e.g. `perfkit-allocation-agent`.
    static func builtProductPath(_ name: String) -> String {
        URL(fileURLWithPath: CommandLine.arguments[0])
            .deletingLastPathComponent()
            .appendingPathComponent(name)
            .path
    }

    /// What a finished run printed and how it ended.
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// Runs perftop with `arguments` to completion, without a terminal.
    ///
    /// A run that outlives `limit` is terminated, so a hung perftop fails the test instead of hanging it.
    static func run(_ arguments: [String], limit: Duration = .seconds(60)) async throws -> Result {
        try await self.run(command: [self.executablePath] + arguments, limit: limit)
    }

    /// Runs any program (looked up in PATH) to completion and returns what it printed.
    static func run(command: [String], limit: Duration = .seconds(60)) async throws -> Result {
        let base = FileManager.default.temporaryDirectory.path + "/perftop-run-\(UInt32.random(in: 0...UInt32.max))"
        let outputPath = base + ".out"
        let errorPath = base + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        let pid = try self.spawn(command, outputPath: outputPath, errorPath: errorPath)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        var status: Int32?
        while status == nil {
            if clock.now > deadline {
                kill(pid, SIGKILL)
            }
            status = self.exitStatus(pid)
            if status == nil {
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        return Result(
            status: status ?? -1,
            standardOutput: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        )
    }

    /// Starts perftop in the background with its output discarded; stop it with ``stop(_:)``.
    static func start(_ arguments: [String], executable: String? = nil) throws -> pid_t {
        try self.spawn([executable ?? self.executablePath] + arguments, outputPath: "/dev/null", errorPath: "/dev/null")
    }

    /// Sends SIGTERM to a process started with ``start(_:)`` and waits for it to exit; returns its status.
    @discardableResult
    static func stop(_ pid: pid_t) async -> Int32 {
        kill(pid, SIGTERM)
        while true {
            if let status = self.exitStatus(pid) {
                return status
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Starts `command` with standard input from /dev/null, output and error to the given files, and
    /// no other descriptor of the test process: a tmux server lives on after the test and would
    /// otherwise keep other tests' sockets open. The test runs on dispatch worker threads, which block
    /// every signal; ``ChildProcess`` starts the child with none blocked.
    static func spawn(_ command: [String], outputPath: String, errorPath: String) throws -> pid_t {
        switch ChildProcess.spawn(command, standardOutput: outputPath, standardError: errorPath) {
        case .success(let pid):
            return pid
        case .failure(let error):
            throw SpawnError(command: command, reason: error.description)
        }
    }

    /// The exit status of `pid` if it has ended (128 + N for a signal), reaping it; nil while it runs.
    static func exitStatus(_ pid: pid_t) -> Int32? {
        switch ChildProcess.exitStatus(pid) {
        case .status(let status): status
        case .signal(let signal): 128 + signal
        case nil: nil
        }
    }

    /// A fresh private directory for sockets; Unix socket paths must stay under 108 bytes.
    static func temporaryDirectory() throws -> String {
        let path = "/tmp/perftop-e2e-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    /// Waits until `condition` holds, checking every 50 ms, for at most `limit`; returns whether it held.
    static func eventually(
        limit: Duration = .seconds(30),
        _ condition: () async throws -> Bool
    ) async rethrows -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        while clock.now < deadline {
            if try await condition() {
                return true
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }
}

/// A child process could not be started.
struct SpawnError: Error, CustomStringConvertible {
    var command: [String]
    var reason: String

    var description: String {
        "cannot start \(self.command[0]): \(self.reason)"
    }
}
