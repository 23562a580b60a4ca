/// Why an entry left a ``Cache``; the value of the `cause` label of `cache_evictions_total`.
public enum CacheEvictionCause: String, Sendable, Hashable, CaseIterable {
    /// The cache was full and the entry was the one its policy chose to make room for a new key.
    case size
    /// A new value was stored for the entry's key, replacing the old one.
    case replaced
    /// The entry was removed by ``Cache/removeValue(forKey:)`` or ``Cache/removeAll()``.
    case explicit
    /// The entry outlived the cache's time to live or time to idle.
    case expired
}

/// The counters and sizes of a ``Cache`` at one moment, all read under the same lock.
///
/// Counters are cumulative since the cache was created; every read of the cache is exactly one hit or
/// one miss.
public struct CacheStats: Sendable, Hashable {
    /// Reads that found their key.
    public var hits: Int
    /// Reads that did not find their key.
    public var misses: Int
    /// Entries evicted to make room because the cache was full, plus values too heavy to be stored.
    public var sizeEvictions: Int
    /// Values replaced by a new value for the same key.
    public var replacements: Int
    /// Entries removed by ``Cache/removeValue(forKey:)`` or ``Cache/removeAll()``.
    public var explicitRemovals: Int
    /// Entries that expired after their time to live or time to idle.
    public var expirations: Int
    /// Entries in the cache.
    public var entries: Int
    /// The most entries the cache holds; `Int.max` when it is bounded only by weight.
    public var capacity: Int
    /// The total weight of the entries in the cache; equal to ``entries`` when the cache has no weigher.
    public var weight: Int
    /// The most total weight the cache holds; `Int.max` when it is not bounded by weight.
    public var maximumWeight: Int

    /// Creates stats from their counters.
    ///
    /// `weight` defaults to `entries`, the weight of a cache without a weigher.
    public init(
        hits: Int,
        misses: Int,
        sizeEvictions: Int,
        replacements: Int,
        explicitRemovals: Int,
        entries: Int,
        capacity: Int,
        expirations: Int = 0,
        weight: Int? = nil,
        maximumWeight: Int = .max
    ) {
        self.hits = hits
        self.misses = misses
        self.sizeEvictions = sizeEvictions
        self.replacements = replacements
        self.explicitRemovals = explicitRemovals
        self.entries = entries
        self.capacity = capacity
        self.expirations = expirations
        self.weight = weight ?? entries
        self.maximumWeight = maximumWeight
    }

    /// Reads of the cache: hits plus misses.
    public var requests: Int {
        self.hits + self.misses
    }

    /// The fraction of reads that were hits, from 0 to 1, or `nil` before the first read.
    public var hitRatio: Double? {
        self.requests == 0 ? nil : Double(self.hits) / Double(self.requests)
    }

    /// The number of evictions with the given cause.
    public func evictions(_ cause: CacheEvictionCause) -> Int {
        switch cause {
        case .size: self.sizeEvictions
        case .replaced: self.replacements
        case .explicit: self.explicitRemovals
        case .expired: self.expirations
        }
    }

    /// All evictions, whatever their cause.
    public var totalEvictions: Int {
        self.sizeEvictions + self.replacements + self.explicitRemovals + self.expirations
    }
}
