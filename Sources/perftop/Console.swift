import FoundationEssentials
import PerfKit
import PerftopCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What perftop prints outside the dashboard: one-line messages on standard error and reports on
/// standard output, with every control and format character escaped (``SafeText``), since they
/// quote what sources and files hold (names, reasons, notes).
enum Console {
    /// The most characters of a message written on standard error; the rest is cut with `…`.
    static let maximumMessageLength = 1_000

    /// Writes `perftop: MESSAGE` on standard error as one line of at most ``maximumMessageLength``
    /// characters; a line break in the message is escaped like any other control character.
    static func error(_ message: String) {
        let line = SafeText.escaped(message, limit: Self.maximumMessageLength)
        DescriptorWriter.write("perftop: \(line)\n", to: STDERR_FILENO)
    }

    /// Writes `perftop: warning: MESSAGE` on standard error as one line, before the dashboard or
    /// export starts.
    static func warning(_ message: String) {
        Self.error("warning: " + message)
    }

    /// Writes `text` on standard output, each line escaped and the line feeds between them kept.
    static func output(_ text: String) {
        DescriptorWriter.write(SafeText.escapedKeepingLines(text), to: STDOUT_FILENO)
    }
}
