/// How a ``Cache`` chooses the entry to evict when it is full; a construction option of the cache.
///
/// Every policy runs in O(1) amortised time per operation and shares one statistics model,
/// ``CacheStats``.
public enum CachePolicy: String, Sendable, Hashable, CaseIterable {
    /// Least recently used: evicts the entry read or written longest ago.
    case lru
    /// Least frequently used: evicts the entry read or written the fewest times since it was stored,
    /// the least recently used one among equals. Frequencies are exact and never age.
    case lfu
    /// First in, first out: evicts the entry stored longest ago; reads and replacements do not
    /// change the order.
    case fifo
    /// Window TinyLFU, the default: a small LRU window (1% of the bounds to start with) in front of
    /// a segmented LRU main area (20% probation, 80% protected).
    ///
    /// An entry leaving the window enters the main area only if a 4-bit count-min sketch of recent
    /// accesses, halved periodically so it forgets, estimates it was used more often than the entry
    /// it would displace. Frequently used entries therefore survive scans of keys used once. Costs
    /// a sketch of 8 to 16 bytes per unit of the smaller bound (at least 64 bytes, at most 8 MiB),
    /// allocated when the cache is created; none for a cache without bounds.
    ///
    /// A cache of at least 1,000 entries bounded by count adapts: it sizes its window (1 to 90% of
    /// the capacity) from small simulations of a sample of its reads, and ages the sketch and its
    /// protected segment when its hits suddenly halve, so that new popular keys are admitted soon.
    /// That costs about 5 ns a read and 40 to 60 KiB.
    case windowTinyLFU
}
