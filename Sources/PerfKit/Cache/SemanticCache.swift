import Synchronization

/// A cache of answers by prompt, for LLM responses: a lookup finds the same prompt, or failing that a
/// prompt whose embedding is similar enough, under the same model parameters.
///
/// The caller supplies the embedding (`embed(prompt)`, e.g. a sentence-transformer's 384 floats) and
/// the similarity a hit needs (cosine, e.g. 0.92). A lookup embeds the prompt only when the exact
/// prompt is not cached, then searches every cached prompt with the same parameters by brute force
/// (SIMD dot products over one contiguous array): a few hundred microseconds for 10,000 prompts of 384 dimensions on one core
/// (docs/performance.md), no approximate index to tune or to be wrong.
///
/// Entries are bounded like a ``Cache``'s (its ``CachePolicy``, capacity and time to live), since one
/// holds them. Exact hits, similar hits and misses are counted apart, and the similarity of every
/// similar hit goes into a histogram, so the threshold can be tuned from the dashboard: registered
/// with a ``MetricsRegistry`` it reports `cache_hits_total` (exact and similar),
/// `cache_similar_hits_total`, `cache_misses_total`, `cache_similarity` and the usual evictions and
/// sizes (docs/caching.md, "Semantic cache").
///
/// Memory: the values, plus 4 bytes per dimension per entry for the embeddings, with a quarter more
/// rows than ``capacity`` so stale rows are dropped in batches; 10,000 entries of 384 dimensions take
/// about 19 MB of embeddings.
public final class SemanticCache<Value: Sendable>: Sendable {
    /// The cache's name, the `cache` label of its samples.
    public let name: String
    /// The most entries the cache holds.
    public let capacity: Int
    /// The length of every embedding.
    public let dimensions: Int
    /// The cosine similarity, from -1 to 1, at or above which a cached prompt answers another.
    public let similarityThreshold: Float

    private let entries: Cache<Key, Value>
    private let index: Mutex<VectorIndex<Key>>
    private let counters = Mutex(Counters())
    private let embed: @Sendable (String) async throws -> [Float]

    /// An entry's identity: the model parameters and the prompt; prompts are compared within their
    /// parameters only.
    struct Key: GroupedKey, Sendable {
        var parameters: String
        var prompt: String

        var group: String {
            self.parameters
        }
    }

    /// The upper bounds of the similarity histogram's buckets.
    public static var similarityBuckets: [Double] {
        [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.925, 0.95, 0.975, 0.99, 1]
    }

    /// Creates an empty cache.
    ///
    /// - Parameters:
    ///   - name: The cache's name, e.g. `answers`.
    ///   - capacity: The most entries held; greater than zero.
    ///   - dimensions: The length of the embeddings `embed` returns; greater than zero.
    ///   - similarityThreshold: The cosine similarity a similar prompt needs, from -1 to 1.
    ///   - policy: How entries are evicted when the cache is full; ``CachePolicy/windowTinyLFU`` by default.
    ///   - timeToLive: How long an answer lives after it was stored; no limit by default.
    ///   - embed: The prompt's embedding, `dimensions` long; called once per lookup that misses the
    ///     exact prompt and once per store of a prompt not looked up first.
    public init(
        name: String,
        capacity: Int,
        dimensions: Int,
        similarityThreshold: Float,
        policy: CachePolicy = .windowTinyLFU,
        timeToLive: Duration? = nil,
        embed: @escaping @Sendable (String) async throws -> [Float]
    ) {
        precondition(capacity > 0, "SemanticCache capacity must be greater than zero, got \(capacity)")
        precondition(dimensions > 0, "SemanticCache dimensions must be greater than zero, got \(dimensions)")
        precondition((-1...1).contains(similarityThreshold), "SemanticCache threshold must be from -1 to 1")
        self.name = name
        self.capacity = capacity
        self.dimensions = dimensions
        self.similarityThreshold = similarityThreshold
        self.entries = Cache(name: name, capacity: capacity, policy: policy, timeToLive: timeToLive)
        self.index = Mutex(VectorIndex(dimensions: dimensions, rows: capacity + max(1, capacity / 4)))
        self.embed = embed
    }

    // MARK: - Lookups

    /// What a lookup found.
    public enum Lookup: Sendable {
        /// The same prompt, with the same parameters, was cached.
        case exact(Value)
        /// A prompt this similar (cosine), with the same parameters, was cached.
        case similar(Value, similarity: Float, prompt: String)
        /// Nothing close enough: compute the answer and ``store(_:prompt:parameters:embedding:)`` it with
        /// this embedding, so the prompt is not embedded twice.
        case miss(embedding: [Float])
    }

    /// Looks `prompt` up: the exact prompt first, else the most similar cached prompt with the same
    /// `parameters` if it reaches ``similarityThreshold``.
    ///
    /// Cost: one hash lookup; on a miss of the exact prompt, one call of `embed` and one pass over the
    /// cached embeddings (O(entries × dimensions), SIMD).
    ///
    /// - Throws: what `embed` throws, or ``SemanticCacheError`` when its embedding is not
    ///   ``dimensions`` long or is all zeros.
    public func lookup(_ prompt: String, parameters: String = "") async throws -> Lookup {
        let key = Key(parameters: parameters, prompt: prompt)
        if let value = self.entries.value(forKey: key) {
            self.counters.withLockedValue { $0.exactHits += 1 }
            return .exact(value)
        }
        let embedding = try await self.embedding(of: prompt)
        while let nearest = self.index.withLockedValue({
            $0.nearest(to: embedding, group: parameters, threshold: self.similarityThreshold)
        }) {
            if let value = self.entries.value(forKey: nearest.key) {
                self.counters.withLockedValue { $0.recordSimilarHit(nearest.similarity) }
                return .similar(value, similarity: nearest.similarity, prompt: nearest.key.prompt)
            }
            // Evicted or expired since it was indexed: forget it and look again.
            self.index.withLockedValue { $0.remove(nearest.key) }
        }
        self.counters.withLockedValue { $0.misses += 1 }
        return .miss(embedding: embedding)
    }

    /// The cached answer for `prompt` (exact or similar), or `compute()`'s, stored for next time.
    ///
    /// Concurrent calls for the same prompt may each compute it; wrap `compute` in a ``SingleFlight``
    /// when that matters.
    public func value(
        for prompt: String,
        parameters: String = "",
        compute: () async throws -> Value
    ) async throws -> Value {
        switch try await self.lookup(prompt, parameters: parameters) {
        case .exact(let value), .similar(let value, _, _):
            return value
        case .miss(let embedding):
            let value = try await compute()
            try self.store(value, prompt: prompt, parameters: parameters, embedding: embedding)
            return value
        }
    }

    // MARK: - Storing

    /// Stores `value` as the answer to `prompt` under `parameters`, embedding the prompt.
    ///
    /// - Throws: what `embed` throws, or ``SemanticCacheError``.
    public func store(_ value: Value, prompt: String, parameters: String = "") async throws {
        try self.store(value, prompt: prompt, parameters: parameters, embedding: try await self.embedding(of: prompt))
    }

    /// Stores `value` as the answer to `prompt` under `parameters` with the prompt's `embedding`, as a
    /// ``Lookup/miss(embedding:)`` returned it. Cost: O(1) amortised; when the index runs out of rows,
    /// one pass drops the rows of evicted entries (at most once per ``capacity`` / 4 stores).
    ///
    /// - Throws: ``SemanticCacheError`` when `embedding` is not ``dimensions`` long or is all zeros.
    public func store(_ value: Value, prompt: String, parameters: String = "", embedding: [Float]) throws {
        let normalized = try self.normalized(embedding)
        let key = Key(parameters: parameters, prompt: prompt)
        self.entries.setValue(value, forKey: key)
        self.index.withLockedValue { index in
            if !index.hasFreeRow(for: key) {
                index.removeAll { !self.entries.containsKey($0) }
            }
            index.insert(key, normalized: normalized)
        }
    }

    /// Removes the answer to `prompt` under `parameters`, if any.
    public func removeValue(for prompt: String, parameters: String = "") {
        let key = Key(parameters: parameters, prompt: prompt)
        self.entries.removeValue(forKey: key)
        self.index.withLockedValue { $0.remove(key) }
    }

    /// The number of answers held.
    public var count: Int {
        self.entries.count
    }

    // MARK: - Embeddings

    private func embedding(of prompt: String) async throws -> [Float] {
        try self.normalized(try await self.embed(prompt))
    }

    /// `vector` scaled to length 1, so a dot product is the cosine similarity.
    private func normalized(_ vector: [Float]) throws(SemanticCacheError) -> [Float] {
        guard vector.count == self.dimensions else {
            throw SemanticCacheError(.wrongDimensions(expected: self.dimensions, got: vector.count))
        }
        let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard length > 0, length.isFinite else {
            throw SemanticCacheError(.notAVector)
        }
        return vector.map { $0 / length }
    }
}

// MARK: - Counters and samples

extension SemanticCache {
    /// The cache's counters: exact hits, similar hits with their similarity histogram, misses.
    struct Counters {
        var exactHits = 0
        var similarHits = 0
        var misses = 0
        /// Similar hits per bucket of ``SemanticCache/similarityBuckets`` (not cumulative).
        var similarityCounts = [Int](repeating: 0, count: SemanticCache.similarityBuckets.count)
        var similaritySum: Double = 0

        mutating func recordSimilarHit(_ similarity: Float) {
            self.similarHits += 1
            self.similaritySum += Double(similarity)
            let bucket =
                SemanticCache.similarityBuckets.firstIndex { Double(similarity) <= $0 }
                ?? (self.similarityCounts.count - 1)
            self.similarityCounts[bucket] += 1
        }
    }

    /// Exact hits, similar hits and misses so far.
    public var lookups: (exactHits: Int, similarHits: Int, misses: Int) {
        self.counters.withLockedValue { ($0.exactHits, $0.similarHits, $0.misses) }
    }
}

extension SemanticCache: SampleSource {
    /// `cache_hits_total` (exact and similar), `cache_similar_hits_total`, `cache_misses_total`, the
    /// `cache_similarity` histogram of similar hits, and the evictions and sizes of the entries it
    /// holds, all labelled `cache=<name>`. Cost: two locks and about 25 samples.
    public func collectSamples() -> [Sample] {
        let counters = self.counters.withLockedValue { $0 }
        let cache = [LabelName.cache: self.name]
        var samples = self.entries.collectSamples().filter {
            $0.name != MetricName.cacheHits && $0.name != MetricName.cacheMisses
        }
        samples += [
            Sample(
                name: MetricName.cacheHits,
                labels: cache,
                kind: .counter,
                value: Double(counters.exactHits + counters.similarHits)
            ),
            Sample(name: MetricName.cacheMisses, labels: cache, kind: .counter, value: Double(counters.misses)),
            Sample(
                name: MetricName.cacheSimilarHits,
                labels: cache,
                kind: .counter,
                value: Double(counters.similarHits)
            ),
        ]
        var cumulative = 0
        for (bound, count) in zip(Self.similarityBuckets, counters.similarityCounts) {
            cumulative += count
            samples.append(
                Sample(
                    name: MetricName.cacheSimilarity + MetricName.bucketSuffix,
                    labels: [LabelName.cache: self.name, LabelName.bucketBound: PrometheusTextEncoder.format(bound)],
                    kind: .histogram,
                    value: Double(cumulative)
                )
            )
        }
        samples += [
            Sample(
                name: MetricName.cacheSimilarity + MetricName.bucketSuffix,
                labels: [LabelName.cache: self.name, LabelName.bucketBound: PrometheusTextEncoder.format(.infinity)],
                kind: .histogram,
                value: Double(counters.similarHits)
            ),
            Sample(
                name: MetricName.cacheSimilarity + MetricName.countSuffix,
                labels: cache,
                kind: .histogram,
                value: Double(counters.similarHits)
            ),
            Sample(
                name: MetricName.cacheSimilarity + MetricName.sumSuffix,
                labels: cache,
                kind: .histogram,
                value: counters.similaritySum
            ),
        ]
        return samples
    }
}

/// Why a ``SemanticCache`` refused an embedding.
public struct SemanticCacheError: Error, Hashable, CustomStringConvertible {
    /// The kinds of refusal.
    public enum Kind: Hashable, Sendable {
        /// The embedding's length is not the cache's ``SemanticCache/dimensions``.
        case wrongDimensions(expected: Int, got: Int)
        /// The embedding is all zeros, or holds a NaN or an infinity: it has no direction.
        case notAVector
    }

    /// What was wrong.
    public let kind: Kind

    init(_ kind: Kind) {
        self.kind = kind
    }

    public var description: String {
        switch self.kind {
        case .wrongDimensions(let expected, let got): "embedding has \(got) dimensions, the cache \(expected)"
        case .notAVector: "embedding is all zeros or not finite"
        }
    }
}
