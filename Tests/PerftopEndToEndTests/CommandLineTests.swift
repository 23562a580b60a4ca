import Foundation
import Testing

/// What perftop says about itself: its version and the commit it was built from.
@Suite("command line", .timeLimit(.minutes(2)))
struct CommandLineTests {
    /// The root of this package's checkout.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test("--version prints the version and the commit it was built from")
    func version() async throws {
        let result = try await PerftopProcess.run(["--version"])
        #expect(result.status == 0)
        let git = try await PerftopProcess.run(command: [
            "git", "-C", Self.packageRoot, "rev-parse", "--short=12", "HEAD",
        ])
        let head = git.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let commit = git.status == 0 && !head.isEmpty ? head : "unknown"
        #expect(result.standardOutput == "perftop 0.1.0 (commit \(commit))\n")
    }
}
