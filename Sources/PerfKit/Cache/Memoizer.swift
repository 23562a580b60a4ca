/// Caches the results of an async function by its arguments, like the seeds' `@cached` decorator.
///
/// Calling the memoizer with arguments it has seen returns the cached result; with new arguments it
/// calls the function once, even when many callers ask for the same arguments at the same time, and
/// caches a successful result. Errors are not cached. Results live in a ``LoadingCache`` of bounded
/// capacity, evicted by the policy of its ``Cache``.
///
/// ## Key derivation
///
/// The cache key is the arguments value itself: two calls share a result exactly when their arguments
/// are equal by `Arguments`'s `Hashable` conformance (`==`, with `hash(into:)` only choosing the
/// bucket). Bundle several arguments in a struct that derives `Hashable`, so every stored property is
/// part of the key. These keys are in-process only: Swift's hash values are seeded per process, so they
/// are never written anywhere or used to name files; the disk tier (``DiskCache``) uses string keys.
///
/// Thread-safe; the memoizer is a ``SampleSource`` with its loading cache's samples.
public final class Memoizer<Arguments: Hashable & Sendable, Result: Sendable>: Sendable {
    /// The loading cache that holds the results, keyed by arguments.
    public let cache: LoadingCache<Arguments, Result>

    private let function: @Sendable (Arguments) async throws -> Result

    /// Creates a memoizer of `function` with an empty result cache.
    ///
    /// - Parameters:
    ///   - name: The cache's name, e.g. `resolve_symbols`; it labels the samples.
    ///   - capacity: The most results kept. Must be greater than zero.
    ///   - function: The function whose results are cached; it should depend only on its arguments.
    public init(
        name: String,
        capacity: Int,
        function: @escaping @Sendable (Arguments) async throws -> Result
    ) {
        self.cache = LoadingCache(name: name, capacity: capacity)
        self.function = function
    }

    // MARK: - Calling

    /// Returns the cached result for `arguments`, or calls the function once and caches its result.
    ///
    /// Cost: that of ``LoadingCache/value(forKey:loader:)``, which hashes `arguments` once per lookup.
    ///
    /// - Parameter arguments: The function's arguments; they are the cache key.
    /// - Returns: The function's result for `arguments`.
    /// - Throws: The function's error; it reaches every caller waiting on that call and is not cached.
    public func callAsFunction(_ arguments: Arguments) async throws -> Result {
        try await self.cache.value(forKey: arguments, loader: self.function)
    }
}

// MARK: - SampleSource

extension Memoizer: SampleSource {
    /// The samples of the result cache; see ``LoadingCache/collectSamples()``.
    public func collectSamples() -> [Sample] {
        self.cache.collectSamples()
    }
}
