import PerfKit

/// The counters of an ``HTTPResponseCache`` at one moment, with the stats of the `Cache` that holds
/// its responses.
///
/// Every GET counts once, as a hit or a miss, whether it shared another request's fetch or not; a
/// request with another method only counts in ``passedThrough``. Cumulative since creation.
public struct HTTPResponseCacheStats: Sendable, Hashable {
    /// GETs answered by a fresh stored response, without asking the origin.
    public var freshHits: Int
    /// GETs answered by a stored response the origin confirmed with `304 Not Modified`.
    public var revalidations: Int
    /// GETs answered with a full response from the origin, stored or not.
    public var misses: Int
    /// Requests with a method other than GET, sent on unchanged and not counted as hits or misses.
    public var passedThrough: Int
    /// Requests sent to the origin: one per fetch, however many callers shared it.
    public var originRequests: Int
    /// The entries, weight (bytes) and evictions of the cache of stored responses, one entry per URL.
    /// Its own hits and misses count lookups by URL, not requests: use ``hits`` and ``misses``.
    public var storage: CacheStats

    /// Creates stats from their counters.
    public init(
        freshHits: Int,
        revalidations: Int,
        misses: Int,
        passedThrough: Int,
        originRequests: Int,
        storage: CacheStats
    ) {
        self.freshHits = freshHits
        self.revalidations = revalidations
        self.misses = misses
        self.passedThrough = passedThrough
        self.originRequests = originRequests
        self.storage = storage
    }

    /// GETs answered from the cache: fresh hits plus revalidations.
    public var hits: Int {
        self.freshHits + self.revalidations
    }
}
