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

    /// Reads the source once, with when its values were measured and any warning it gave. The poller
    /// calls this; the default calls ``poll(timeout:)`` and says neither.
    ///
    /// A feed whose values carry their own time (e.g. a Prometheus server's last scrape of a target)
    /// says it, so rates are computed between the times the values were measured, not read; a reading
    /// no newer than the last one recorded adds nothing to the store.
    func read(timeout: Duration) async throws -> FeedReading

    /// What the source calls itself, fit for the screen (escaped), e.g. `demo[4242]` for an agent
    /// named `demo` in process 4242; `nil` until it has said, or when it never does.
    var displayName: String? { get }

    /// The query behind the source's values, shown on request (the fleet pane's `i`), e.g. a
    /// Prometheus target's PromQL; `nil` for a source that is read as a whole.
    var query: String? { get }

    /// Whether ``poll(timeout:)`` itself always returns or throws within its timeout (its I/O is
    /// bounded by the same deadline). The poller then calls it directly instead of racing it against
    /// a timer, which costs two tasks and a sleep per poll (a hundred agents poll a hundred times a
    /// second). False by default: the poller enforces the timeout.
    var enforcesItsTimeout: Bool { get }
}

extension Feed {
    /// None: the source is shown by ``name``.
    public var displayName: String? { nil }

    /// None: the source is read as a whole.
    public var query: String? { nil }

    /// False: the poller races the poll against the timeout.
    public var enforcesItsTimeout: Bool { false }

    /// The samples of ``poll(timeout:)``, measured when they were read, with no warning.
    public func read(timeout: Duration) async throws -> FeedReading {
        FeedReading(samples: try await self.poll(timeout: timeout))
    }
}

/// What one read of a feed returned (``Feed/read(timeout:)``).
public struct FeedReading: Sendable {
    /// The samples read.
    public var samples: [Sample]
    /// When the values were measured, in seconds since 1970, if the source says so; nil means now.
    public var time: Double?
    /// A warning the source gave with its answer (e.g. a Prometheus query's `warnings`), in a few
    /// words; the source is still ok.
    public var warning: String?

    /// Creates a reading.
    public init(samples: [Sample], time: Double? = nil, warning: String? = nil) {
        self.samples = samples
        self.time = time
        self.warning = warning
    }
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
