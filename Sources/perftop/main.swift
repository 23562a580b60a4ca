import ArgumentParser
import FoundationEssentials
import PerftopCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a parsed command's asynchronous `run()`; generic so that the async requirement, not the
/// synchronous one inherited from `ParsableCommand`, is the one called.
func runAsynchronously(_ command: inout some AsyncParsableCommand) async throws {
    try await command.run()
}

// One malloc arena, set before any thread allocates: the command runs on Swift's cooperative pool,
// whose first allocation (parsing the arguments) would otherwise make an arena of its own.
MallocArenas.limit(to: 1)

// A custom entry point instead of `Perftop.main()`, so that every usage error is one line on
// standard error (ArgumentParser would add the usage text) while --help and --version still
// print in full.
do {
    var command = try Perftop.parseAsRoot()
    if var asyncCommand = command as? any AsyncParsableCommand {
        try await runAsynchronously(&asyncCommand)
    } else {
        try command.run()
    }
} catch let exitCode as ExitCode {
    // Thrown after the reason was written, e.g. by --once naming each source that is down.
    exit(exitCode.rawValue)
} catch {
    let exitCode = Perftop.exitCode(for: error)
    if exitCode == .success {
        print(Perftop.fullMessage(for: error))
    } else {
        let message =
            Perftop.message(for: error)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .first
            .map(String.init) ?? "failed"
        Console.error(message)
    }
    exit(exitCode.rawValue)
}
