// MARK: - CacheStats

extension CacheStats {
    /// The counters of a ``CacheStats``; every other field is a gauge.
    private static var counters: [WritableKeyPath<CacheStats, Int>] {
        [\.hits, \.misses, \.sizeEvictions, \.replacements, \.explicitRemovals, \.expirations]
    }

    /// The change since an earlier snapshot of the same cache, so a dashboard can show rates.
    ///
    /// Counters (hits, misses, evictions by cause) are the newer value minus the earlier one; gauges
    /// (entries, weight, capacity, maximum weight) are the newer value. If any counter went down, the
    /// snapshots come from different caches (e.g. the cache was recreated), and the result is `self`:
    /// everything counted since that cache was created. ``hitRatio`` of the result is the hit ratio over
    /// the interval, `nil` when there was no read in it. Cost: O(1).
    ///
    /// - Parameter earlier: A snapshot taken before this one.
    /// - Returns: The counts of the interval between `earlier` and this snapshot, with this snapshot's
    ///   gauges.
    public func delta(since earlier: CacheStats) -> CacheStats {
        counterDelta(of: self, since: earlier, counters: Self.counters)
    }
}

// MARK: - LoadStats

extension LoadStats {
    /// The change since an earlier snapshot of the same loading cache, so a dashboard can show rates.
    ///
    /// Every field is a counter: successes, failures, refreshes and total load time are the newer value
    /// minus the earlier one. If any of them went down, the snapshots come from different caches and the result is
    /// `self`. Cost: O(1).
    ///
    /// - Parameter earlier: A snapshot taken before this one.
    /// - Returns: The loads of the interval between `earlier` and this snapshot.
    public func delta(since earlier: LoadStats) -> LoadStats {
        guard
            self.successes >= earlier.successes,
            self.failures >= earlier.failures,
            self.refreshes >= earlier.refreshes,
            self.totalLoadTime >= earlier.totalLoadTime
        else {
            return self
        }
        var delta = self
        delta.successes -= earlier.successes
        delta.failures -= earlier.failures
        delta.refreshes -= earlier.refreshes
        delta.totalLoadTime -= earlier.totalLoadTime
        return delta
    }
}

// MARK: - DiskCacheStats

extension DiskCacheStats {
    /// The counters of a ``DiskCacheStats``; every other field is a gauge.
    private static var counters: [WritableKeyPath<DiskCacheStats, Int>] {
        [\.hits, \.misses, \.writes, \.evictions, \.invalidations, \.corruptEntries]
    }

    /// The change since an earlier snapshot of the same disk cache, so a dashboard can show rates.
    ///
    /// Counters (hits, misses, writes, evictions, invalidations, corrupt entries) are the newer value
    /// minus the earlier one; gauges (entries, bytes, maximum bytes) are the newer value. If any counter
    /// went down, the snapshots come from different caches (e.g. the cache was reopened after a restart),
    /// and the result is `self`. ``hitRatio`` of the result is the hit ratio over the interval. Cost: O(1).
    ///
    /// - Parameter earlier: A snapshot taken before this one.
    /// - Returns: The counts of the interval between `earlier` and this snapshot, with this snapshot's
    ///   gauges.
    public func delta(since earlier: DiskCacheStats) -> DiskCacheStats {
        counterDelta(of: self, since: earlier, counters: Self.counters)
    }

    /// The fraction of reads that were hits, from 0 to 1, or `nil` when there was no read.
    public var hitRatio: Double? {
        let requests = self.hits + self.misses
        return requests == 0 ? nil : Double(self.hits) / Double(requests)
    }
}

// MARK: - Shared arithmetic

/// `newer` with each of its `counters` reduced by the earlier value; `newer` itself when any counter
/// went down, because then the two snapshots come from different instances. Gauges are left as they are.
private func counterDelta<Stats>(
    of newer: Stats,
    since earlier: Stats,
    counters: [WritableKeyPath<Stats, Int>]
) -> Stats {
    guard counters.allSatisfy({ newer[keyPath: $0] >= earlier[keyPath: $0] }) else {
        return newer
    }
    var delta = newer
    for counter in counters {
        delta[keyPath: counter] -= earlier[keyPath: counter]
    }
    return delta
}
