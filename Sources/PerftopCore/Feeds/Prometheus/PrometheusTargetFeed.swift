import PerfKit

/// One target of a Prometheus server (one value of the source label, e.g. an `instance`), as a
/// source named `prometheus:URL#TARGET` and shown by the target's name.
///
/// Its samples are the target's share of the engine's fetch for this round, recorded at the time
/// Prometheus scraped it. It is down when Prometheus failed to scrape it (`up` is 0) or has nothing
/// from it, and when the server cannot be read.
public struct PrometheusTargetFeed: Feed {
    /// The engine that reads the server.
    public let engine: PrometheusEngine
    /// The target, e.g. `10.0.0.7:9100`.
    public let target: String

    /// The PromQL behind the source's values, shown on request; made once, as the poller asks every round.
    public let query: String?

    /// Creates a target's feed.
    public init(engine: PrometheusEngine, target: String) {
        self.engine = engine
        self.target = target
        self.query = engine.queries.description(ofSource: target)
    }

    /// `prometheus:URL#TARGET`.
    public var name: String {
        self.engine.sourceName(ofTarget: self.target)
    }

    /// The target, escaped and cut like an agent's name.
    public var displayName: String? {
        SafeText.escaped(self.target, limit: AgentFeed.maximumNameLength)
    }

    /// Every request of a round ends by the poll's deadline.
    public var enforcesItsTimeout: Bool { true }

    /// The target's samples from this round's fetch.
    public func poll(timeout: Duration) async throws -> [Sample] {
        try await self.read(timeout: timeout).samples
    }

    /// The target's samples from this round's fetch, at the time it was scraped.
    ///
    /// - Throws: ``FeedError`` `scrape failing in Prometheus (up 0)`, `no series in Prometheus`, or
    ///   the server's own failure.
    public func read(timeout: Duration) async throws -> FeedReading {
        let round = try await self.engine.round(timeout: timeout)
        if round.down.contains(self.target) {
            throw FeedError("scrape failing in Prometheus (up 0)")
        }
        guard let reading = round.targets[self.target] else {
            throw FeedError("no series in Prometheus")
        }
        return FeedReading(samples: reading.samples, time: reading.time, warning: round.warning)
    }
}
