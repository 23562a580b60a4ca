/// Something that can report its current state as samples: a cache, a processor, the process itself.
///
/// Register sources with a ``MetricsRegistry`` to have them appear in the agent's snapshot.
/// Implementations must be cheap (a lock and a copy of counters) because every snapshot request
/// calls every source.
public protocol SampleSource: Sendable {
    /// The samples that describe this source now. Counters are cumulative since creation.
    func collectSamples() -> [Sample]
}
