import Foundation

/// A private tmux server with one shell window: perftop driven as a person drives it.
///
/// Each session uses its own server socket (`tmux -L`), so tests never touch the user's tmux and
/// can run side by side. Call ``close()`` at the end.
struct TmuxSession {
    let server = "perftop-test-\(UInt32.random(in: 0...UInt32.max))"

    /// Starts a shell in a detached window of `columns` × `rows`, with `environment` added to its
    /// environment (e.g. `XDG_CONFIG_HOME`, so that a test never writes the user's config).
    static func start(
        columns: Int = 120,
        rows: Int = 40,
        environment: [String: String] = [:]
    ) async throws -> TmuxSession {
        let session = TmuxSession()
        let variables =
            ["LANG=C.UTF-8", "PS1=$ "] + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        try await session.tmux(
            ["new-session", "-d", "-x", "\(columns)", "-y", "\(rows)", "env"] + variables + ["sh"]
        )
        return session
    }

    /// Stops the tmux server and everything running in it.
    func close() async {
        _ = try? await self.tmux("kill-server")
    }

    /// Presses `keys` (tmux key names, e.g. `q` or `Enter`).
    func send(_ keys: String...) async throws {
        try await self.tmux(["send-keys", "-t", "0"] + keys)
    }

    /// Types a command line and presses Enter.
    func type(_ line: String) async throws {
        try await self.tmux("send-keys", "-t", "0", "-l", line)
        try await self.tmux("send-keys", "-t", "0", "Enter")
    }

    /// The visible screen as plain text.
    func screen() async throws -> String {
        try await self.tmux("capture-pane", "-p", "-t", "0")
    }

    /// Whether the pane is showing the alternate screen (a full-screen program is in curses mode).
    func isAlternateScreenOn() async throws -> Bool {
        let value = try await self.tmux("display-message", "-p", "-t", "0", "#{alternate_on}")
        return value.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// Waits until the screen contains `text`; returns whether it did.
    func waitFor(_ text: String, limit: Duration = .seconds(30)) async throws -> Bool {
        try await PerftopProcess.eventually(limit: limit) { try await self.screen().contains(text) }
    }

    /// Waits until the screen no longer contains `text`; returns whether it went.
    func waitForAbsence(of text: String, limit: Duration = .seconds(30)) async throws -> Bool {
        try await PerftopProcess.eventually(limit: limit) { try await !self.screen().contains(text) }
    }

    /// Waits until `condition` holds for the screen; returns whether it did.
    func waitUntil(limit: Duration = .seconds(30), _ condition: (String) -> Bool) async throws -> Bool {
        try await PerftopProcess.eventually(limit: limit) { try await condition(self.screen()) }
    }

    /// Resizes the window, as a terminal emulator's window being resized would.
    func resize(columns: Int, rows: Int) async throws {
        try await self.tmux("resize-window", "-t", "0", "-x", "\(columns)", "-y", "\(rows)")
    }

    /// The window's size now, as `columns` × `rows`.
    func size() async throws -> (columns: Int, rows: Int) {
        let value = try await self.tmux("display-message", "-p", "-t", "0", "#{pane_width} #{pane_height}")
        let numbers = value.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        return (numbers.first ?? 0, numbers.last ?? 0)
    }

    @discardableResult
    private func tmux(_ arguments: String...) async throws -> String {
        try await self.tmux(arguments)
    }

    @discardableResult
    private func tmux(_ arguments: [String]) async throws -> String {
        let result = try await PerftopProcess.run(
            command: ["tmux", "-L", self.server] + arguments,
            limit: .seconds(10)
        )
        guard result.status == 0 else {
            throw TmuxError(arguments: arguments, status: result.status, message: result.standardError)
        }
        return result.standardOutput
    }
}

/// A tmux command failed.
struct TmuxError: Error, CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var message: String

    var description: String {
        "tmux \(self.arguments.joined(separator: " ")) exited with \(self.status): \(self.message)"
    }
}
