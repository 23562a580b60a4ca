import PerfKit

/// A feed that reads a ``MetricsRegistry`` in this process: perftop's own collector, or the demo agent.
///
/// Reading is a lock and a copy per registered source, so the timeout is never reached.
public struct RegistryFeed: Feed {
    /// The name shown on screen, e.g. `self` or `demo`.
    public let name: String
    private let registry: MetricsRegistry

    /// Creates a feed over `registry`, shown as `name`.
    public init(name: String, registry: MetricsRegistry) {
        self.name = name
        self.registry = registry
    }

    /// The registry's samples now; in-process, so it never times out. Cost: one collection of every
    /// registered source.
    public func poll(timeout: Duration) async throws -> [Sample] {
        self.registry.collectSamples()
    }
}
