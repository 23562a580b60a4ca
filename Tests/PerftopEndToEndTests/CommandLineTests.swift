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

    /// The subcommands a `--help` lists under SUBCOMMANDS, e.g. `watch` for `watch (default)`.
    static func subcommands(in help: String) -> [String] {
        guard let section = help.components(separatedBy: "SUBCOMMANDS:").dropFirst().first else {
            return []
        }
        return section.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let word = line.split(separator: " ").first,
                word.allSatisfy({ $0.isLetter || $0 == "-" })
            else {
                return nil
            }
            return String(word)
        }
        .filter { $0 != "help" && $0 != "See" }
    }

    /// The long options a `--help` lists (`--attach` from `  --attach <path>`).
    static func options(in help: String) -> Set<String> {
        Set(
            help.split(separator: "\n").compactMap { line in
                let words = line.split(separator: " ").map {
                    $0.trimmingCharacters(in: CharacterSet(charactersIn: ","))
                }
                guard line.hasPrefix("  "), let option = words.first(where: { $0.hasPrefix("--") }) else {
                    return nil
                }
                return option
            }
        )
    }

    @Test("the man page (docs/man/perftop.1) has every option of every command's --help")
    func manPageHasEveryOption() async throws {
        let page = try String(contentsOfFile: Self.packageRoot + "/docs/man/perftop.1", encoding: .utf8)
        var commands: [[String]] = [[]]
        var checked = 0
        while let command = commands.popLast() {
            let help = try await PerftopProcess.run(command + ["--help"])
            #expect(help.status == 0)
            for option in Self.options(in: help.standardOutput) {
                let name = String(option.dropFirst())
                #expect(
                    page.contains("Fl \(name)") || page.contains(", \(name)"),
                    "perftop \(command.joined(separator: " ")) \(option) is not in docs/man/perftop.1: run scripts/man"
                )
                checked += 1
            }
            commands += Self.subcommands(in: help.standardOutput).map { command + [$0] }
        }
        #expect(checked > 30, "the --help pages were read")
    }

    @Test("the installed bash completion completes perftop --att to --attach, and subcommands' options")
    func bashCompletion() async throws {
        let shim = Self.packageRoot + "/scripts/completion/default-subcommand.bash"
        let script = """
            source <("$1" --generate-completion-script bash; cat "$2")
            complete() { COMPREPLY=(); COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
                _perftop_default_watch perftop "${@: -1}" "${@: -2:1}"; echo "${COMPREPLY[*]}"; }
            complete perftop --att
            complete perftop --attach /tmp --int
            complete perftop demo --se
            complete perftop tr
            """
        let result = try await PerftopProcess.run(
            command: ["bash", "-c", script, "bash", PerftopProcess.executablePath, shim]
        )
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == "--attach\n--interval\n--serve\ntracker\n")
    }
}
