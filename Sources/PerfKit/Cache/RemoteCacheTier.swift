/// A tier of a ``TieredCache`` kept outside the process, such as Redis (`RedisCacheTier`, in the
/// PerfKitRedis library), between the memory tier and the disk tier or the loader.
///
/// A remote tier is shared by several processes and may be down or slow, so its calls never throw: a
/// value it cannot read is `nil`, a write or removal it cannot make is dropped, and each such fallback
/// is counted by the tier itself and reported in ``samples(cache:)``. Each call must return within the
/// tier's own deadline, and at once while the tier knows it is down (a circuit breaker), so a lookup
/// of the tiered cache never waits long on it.
public protocol RemoteCacheTier<Value>: Sendable {
    /// The type of the values held.
    associatedtype Value: Sendable

    /// The tier's ``LabelName/tier`` label value, e.g. ``LabelValue/CacheTier/redis``.
    var tier: LabelValue.CacheTier { get }

    /// The value for `key`, or `nil` when the tier does not hold it or cannot be read now.
    func value(forKey key: String) async -> Value?

    /// Stores `value` for `key`; dropped (and counted) when the tier cannot be written now.
    func setValue(_ value: Value, forKey key: String) async

    /// Removes the value for `key`; dropped (and counted) when the tier cannot be written now.
    func removeValue(forKey key: String) async

    /// The tier's samples, labelled `cache=<cache>` and `tier=<tier>`: its hits, misses, errors,
    /// fallbacks and whether it is up (docs/metrics.md).
    func samples(cache: String) -> [Sample]
}
