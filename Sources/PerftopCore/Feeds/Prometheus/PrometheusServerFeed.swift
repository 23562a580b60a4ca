import PerfKit

/// A Prometheus server itself, as a source (`prometheus:URL`): ok while its API answers, down with
/// Prometheus' own reason when it does not (e.g. `prometheus 400 bad_data: …` for a bad query
/// override, `HTTP 503`, `connection refused`), with its `warnings` shown while ok. It has no samples:
/// each target is a ``PrometheusTargetFeed``.
public struct PrometheusServerFeed: Feed {
    /// The engine that reads the server.
    public let engine: PrometheusEngine

    /// Creates the server's feed.
    public init(engine: PrometheusEngine) {
        self.engine = engine
    }

    /// `prometheus:URL`.
    public var name: String {
        self.engine.sourceName
    }

    /// Every request of a round ends by the poll's deadline.
    public var enforcesItsTimeout: Bool { true }

    /// Runs (or joins) this round's fetch; returns no sample.
    public func poll(timeout: Duration) async throws -> [Sample] {
        try await self.read(timeout: timeout).samples
    }

    /// Runs (or joins) this round's fetch; returns no sample, with Prometheus' warnings.
    public func read(timeout: Duration) async throws -> FeedReading {
        let round = try await self.engine.round(timeout: timeout)
        return FeedReading(samples: [], warning: round.warning)
    }
}
