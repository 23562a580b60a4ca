/// The outcome of warming a ``LoadingCache``: how many keys loaded and how many failed.
public struct CacheWarmingReport: Sendable, Hashable {
    /// Keys whose value is now in the cache, either already there or loaded successfully.
    public var loaded: Int
    /// Keys whose loader threw; their values are not cached.
    public var failed: Int

    /// Creates a report from its counts.
    public init(loaded: Int, failed: Int) {
        self.loaded = loaded
        self.failed = failed
    }
}

// MARK: - Warming

extension LoadingCache {
    /// Loads `keys` into the cache through `loader`, with at most `maxConcurrency` loads in flight.
    ///
    /// Each key goes through ``value(forKey:loader:)``, so keys already cached are hits and cost no load,
    /// and a key another caller is loading joins that load. Errors are counted, not thrown, and do not
    /// stop the warming. If the cache is smaller than `keys`, later keys evict earlier ones.
    /// Cancelling the calling task stops starting new loads; loads in flight still finish.
    ///
    /// Cost: one child task per key, at most `maxConcurrency` at a time, plus the loads.
    ///
    /// - Parameters:
    ///   - keys: The keys to load, in the order loads are started.
    ///   - maxConcurrency: The most loads in flight at once. Must be greater than zero.
    ///   - loader: Produces the value for a missing key.
    /// - Returns: How many keys loaded and how many failed; keys skipped by cancellation are in neither.
    @discardableResult
    public func warm(
        keys: some Sequence<Key>,
        maxConcurrency: Int,
        loader: @escaping @Sendable (Key) async throws -> Value
    ) async -> CacheWarmingReport {
        precondition(maxConcurrency > 0, "maxConcurrency must be greater than zero, got \(maxConcurrency)")
        return await withTaskGroup(of: Bool.self) { group in
            var report = CacheWarmingReport(loaded: 0, failed: 0)
            var inFlight = 0
            for key in keys {
                if Task.isCancelled {
                    break
                }
                if inFlight == maxConcurrency, let loaded = await group.next() {
                    report.count(loaded: loaded)
                    inFlight -= 1
                }
                group.addTask {
                    do {
                        _ = try await self.value(forKey: key, loader: loader)
                        return true
                    } catch {
                        return false
                    }
                }
                inFlight += 1
            }
            for await loaded in group {
                report.count(loaded: loaded)
            }
            return report
        }
    }
}

extension CacheWarmingReport {
    /// Counts one key as loaded or failed.
    fileprivate mutating func count(loaded: Bool) {
        if loaded {
            self.loaded += 1
        } else {
            self.failed += 1
        }
    }
}
