import PerfKit

/// A place perftop reads samples from: /proc, an agent's socket, an HTTP endpoint.
///
/// The collector calls ``poll(timeout:)`` once per interval. A feed never draws and never keeps
/// history; it returns what it reads now, normalised to ``Sample``s with the well-known names of
/// docs/metrics.md. Every poll must finish (or throw) within its timeout and must bound how much it
/// reads.
public protocol Feed: Sendable {
    /// The name shown on screen and in exports, e.g. `proc` or `agent:/tmp/a.sock`.
    var name: String { get }

    /// Reads the source once.
    ///
    /// - Parameter timeout: the longest the poll may take, I/O included.
    /// - Returns: the samples read.
    /// - Throws: ``FeedError`` with a short reason to show on screen.
    func poll(timeout: Duration) async throws -> [Sample]

    /// What the source calls itself, fit for the screen (escaped), e.g. `demo[4242]` for an agent
    /// named `demo` in process 4242; `nil` until it has said, or when it never does.
    var displayName: String? { get }

    /// Whether ``poll(timeout:)`` itself always returns or throws within its timeout (its I/O is
    /// bounded by the same deadline). The poller then calls it directly instead of racing it against
    /// a timer, which costs two tasks and a sleep per poll (a hundred agents poll a hundred times a
    /// second). False by default: the poller enforces the timeout.
    var enforcesItsTimeout: Bool { get }
}

extension Feed {
    /// None: the source is shown by ``name``.
    public var displayName: String? { nil }

    /// False: the poller races the poll against the timeout.
    public var enforcesItsTimeout: Bool { false }
}

/// Why a poll failed, in a few words fit for a status line (e.g. `connection refused`).
public struct FeedError: Error, Equatable, CustomStringConvertible {
    /// The reason, lower case, without a trailing period.
    public var reason: String

    /// Creates an error with the reason to show.
    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String {
        self.reason
    }
}
