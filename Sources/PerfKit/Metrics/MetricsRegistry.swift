import FoundationEssentials
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The set of sample sources an agent exposes, in the order they were registered.
///
/// An agent registers its caches, processors and other ``SampleSource``s once, and the
/// An agent server (`PerfKitAgent`) asks the registry for a ``Snapshot`` on every request. Thread-safe: sources can be
/// registered while snapshots are taken.
public final class MetricsRegistry: Sendable {
    private let sources = Mutex<[any SampleSource]>([])

    /// Creates an empty registry.
    public init() {}

    // MARK: - Registering

    /// Adds a source; its samples follow those of the sources registered before it.
    ///
    /// The registry keeps the source alive. Registering the same source twice reports its samples
    /// twice. Cost: O(1) amortised, one lock.
    public func register(_ source: some SampleSource) {
        self.sources.withLockedValue { $0.append(source) }
    }

    /// The number of registered sources. Cost: O(1), one lock.
    public var sourceCount: Int {
        self.sources.withLockedValue { $0.count }
    }

    // MARK: - Collecting

    /// The samples of every registered source, source by source in registration order.
    ///
    /// The registry's lock is held only to copy the list of sources, so a source may itself be slow or
    /// take its own locks. Cost: the sum of the sources' ``SampleSource/collectSamples()``.
    public func collectSamples() -> [Sample] {
        let sources = self.sources.withLockedValue { $0 }
        return sources.flatMap { $0.collectSamples() }
    }

    /// A snapshot of every registered source, stamped with this process's ID and the current time.
    ///
    /// - Parameter agent: The agent's name, e.g. `demo`, as shown by perftop.
    /// - Returns: A snapshot of the current schema version whose timestamp is the wall-clock time in
    ///   seconds since 1970-01-01 UTC. Cost: that of ``collectSamples()``.
    public func snapshot(agent: String) -> Snapshot {
        Snapshot(
            agent: agent,
            pid: getpid(),
            timestamp: Date().timeIntervalSince1970,
            samples: self.collectSamples()
        )
    }
}
