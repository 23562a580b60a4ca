import PerfKit

/// A source's name, whether it is delivering data, and what the collector is doing about it.
///
/// The collector builds one per configured source every round; the header bar shows it and exports
/// read it (``description``). It is a plain value: copying it costs a few strings.
public struct SourceStatus: Sendable, Equatable {
    /// The source's name, e.g. `proc` or `agent:/tmp/a.sock`: its key in the store and in exports.
    public var name: String
    /// What the source calls itself (``Feed/displayName``), e.g. `demo[4242]`; `nil` if it has not said.
    public var displayName: String?
    /// The source's state.
    public var state: SourceState
    /// When the source last delivered samples, in seconds since 1970-01-01 UTC; `nil` if it never has.
    public var lastSuccess: Double?
    /// The series the source was cut to in its last good poll, or `nil` when nothing was dropped.
    ///
    /// A source that emits unbounded label sets keeps its first series up to the store's
    /// ``SeriesStore/maximumSeriesPerSource`` and ``SeriesStore/maximumIdentityBytesPerSource``; the
    /// rest are dropped and this says how many are kept.
    public var truncatedToSeries: Int?
    /// Seconds until the collector polls a failing source again, when it is backing off; `nil` otherwise.
    public var retryIn: Double?
    /// What an ok source warned about with its last answer (e.g. a Prometheus query's `warnings`),
    /// escaped; `nil` when nothing.
    public var warning: String?
    /// The query behind the source's values (``Feed/query``), e.g. a Prometheus target's PromQL; `nil`
    /// for a source read as a whole.
    public var query: String?

    /// Creates a source status.
    ///
    /// - Parameters:
    ///   - name: the source's name.
    ///   - state: its state.
    ///   - lastSuccess: when it last delivered samples.
    ///   - truncatedToSeries: the series it was cut to, if any.
    ///   - retryIn: seconds until the next poll of a source in backoff.
    ///   - displayName: what the source calls itself, if it has said.
    public init(
        name: String,
        state: SourceState,
        lastSuccess: Double? = nil,
        truncatedToSeries: Int? = nil,
        retryIn: Double? = nil,
        displayName: String? = nil
    ) {
        self.name = name
        self.displayName = displayName
        self.state = state
        self.lastSuccess = lastSuccess
        self.truncatedToSeries = truncatedToSeries
        self.retryIn = retryIn
    }

    /// The source as the screen names it: ``displayName`` when the source has said it, else ``name``.
    public var label: String {
        self.displayName ?? self.name
    }
}

/// Whether a source is delivering data.
public enum SourceState: Sendable, Equatable {
    /// Not polled yet.
    case pending
    /// The last poll succeeded.
    case ok
    /// Recent polls failed, but data from `age` seconds ago is still shown; `reason` says why.
    case stale(age: Double, reason: String)
    /// The source delivers nothing; `reason` says why (e.g. `connection refused`).
    case down(reason: String)
}

// MARK: - Text

extension SourceState: CustomStringConvertible {
    /// `pending`, `ok`, `stale 12s: timeout after 1.0s` or `down: connection refused`.
    public var description: String {
        switch self {
        case .pending:
            "pending"
        case .ok:
            "ok"
        case .stale(let age, let reason):
            "stale " + (age.isFinite ? String(Int(saturating: age.rounded())) : "?") + "s: " + reason
        case .down(let reason):
            "down: " + reason
        }
    }
}

extension SourceStatus: CustomStringConvertible {
    /// The state and its notes in one line, e.g. `ok, truncated to 10000 series` or
    /// `down: connection refused, retry in 8s`; what `--once` prints on standard error for a source
    /// that is not ok.
    public var description: String {
        var parts = [self.state.description]
        if let series = self.truncatedToSeries {
            parts.append("truncated to \(series) series")
        }
        if let retryIn = self.retryIn, retryIn.isFinite {
            parts.append("retry in \(Int(saturating: retryIn.rounded(.up)))s")
        }
        return parts.joined(separator: ", ")
    }
}
