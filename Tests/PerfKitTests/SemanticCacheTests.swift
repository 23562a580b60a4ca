import PerfKit
import Synchronization
import Testing

/// The semantic cache with a bag-of-words embedding: exact and similar hits, misses that hand back
/// their embedding, parameters kept apart, bounds, its samples, and refused embeddings.
@Suite("SemanticCache")
struct SemanticCacheTests {
    /// Each word adds 1 to one of 64 dimensions (by its FNV-1a hash): prompts that share most words
    /// are similar. Counts its calls.
    final class WordEmbedder: Sendable {
        static let dimensions = 64
        let calls = Atomic<Int>(0)

        func embed(_ text: String) -> [Float] {
            self.calls.add(1, ordering: .relaxed)
            var vector = [Float](repeating: 0, count: Self.dimensions)
            for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                for byte in word.utf8 {
                    hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
                }
                vector[Int(hash % UInt64(Self.dimensions))] += 1
            }
            return vector
        }
    }

    private static func cache(
        capacity: Int = 100,
        threshold: Float = 0.8,
        embedder: WordEmbedder = WordEmbedder()
    ) -> SemanticCache<String> {
        SemanticCache(
            name: "answers",
            capacity: capacity,
            dimensions: WordEmbedder.dimensions,
            similarityThreshold: threshold
        ) {
            embedder.embed($0)
        }
    }

    @Test("the same prompt is an exact hit, a reworded one a similar hit, another question a miss")
    func lookups() async throws {
        let cache = Self.cache()
        try await cache.store("Paris", prompt: "what is the capital city of France")
        guard case .exact("Paris") = try await cache.lookup("what is the capital city of France") else {
            Issue.record("no exact hit")
            return
        }
        guard
            case .similar("Paris", let similarity, let prompt) = try await cache.lookup(
                "what is the capital city of France ?!"
            )
        else {
            Issue.record("no similar hit for the same words with other punctuation")
            return
        }
        #expect(similarity > 0.99)
        #expect(prompt == "what is the capital city of France")
        let reworded = try await cache.lookup("tell me what is the capital city of France")
        guard case .similar("Paris", let close, _) = reworded else {
            Issue.record("no similar hit for a reworded prompt: \(reworded)")
            return
        }
        #expect(close >= 0.8 && close < 1)
        guard case .miss(let embedding) = try await cache.lookup("how tall is the Eiffel tower") else {
            Issue.record("a different question hit")
            return
        }
        #expect(embedding.count == WordEmbedder.dimensions)
        #expect(cache.lookups == (exactHits: 1, similarHits: 2, misses: 1))
    }

    @Test("a miss hands back its embedding, so storing the computed answer embeds nothing more")
    func missEmbedsOnce() async throws {
        let embedder = WordEmbedder()
        let cache = Self.cache(embedder: embedder)
        var computed = 0
        let first = try await cache.value(for: "summarise the quarterly report") {
            computed += 1
            return "summary"
        }
        let second = try await cache.value(for: "summarise the quarterly report") {
            computed += 1
            return "other"
        }
        #expect(first == "summary" && second == "summary")
        #expect(computed == 1)
        #expect(embedder.calls.load(ordering: .relaxed) == 1, "one embedding: the miss; the exact hit needs none")
    }

    @Test("prompts are compared only under the same parameters")
    func parametersApart() async throws {
        let cache = Self.cache()
        try await cache.store("small model answer", prompt: "explain recursion", parameters: "model=small")
        guard case .miss = try await cache.lookup("explain recursion", parameters: "model=large") else {
            Issue.record("a hit across parameters")
            return
        }
        guard case .exact = try await cache.lookup("explain recursion", parameters: "model=small") else {
            Issue.record("no hit under the same parameters")
            return
        }
    }

    @Test("bounded by capacity: evicted answers are never returned, and storing goes on past the index's rows")
    func bounded() async throws {
        let cache = Self.cache(capacity: 10)
        for number in 0..<1000 {
            try await cache.store("answer \(number)", prompt: "question number \(number) about topic \(number)")
        }
        #expect(cache.count <= 10)
        var hits = 0
        for number in 0..<1000 {
            switch try await cache.lookup("question number \(number) about topic \(number)") {
            case .exact(let answer):
                #expect(answer == "answer \(number)")
                hits += 1
            case .similar(let answer, _, let prompt):
                #expect(answer.dropFirst("answer ".count) == prompt.split(separator: " ")[2])
                hits += 1
            case .miss:
                break
            }
        }
        #expect(hits > 0, "the answers still held are found")
        #expect(cache.count <= 10)
        let samples = cache.collectSamples()
        #expect(samples.first { $0.name == "cache_entries" }?.value ?? 11 <= 10)
    }

    @Test("samples: hits count exact and similar, similar hits and their similarity histogram apart")
    func samples() async throws {
        let cache = Self.cache()
        try await cache.store("Paris", prompt: "what is the capital city of France")
        _ = try await cache.lookup("what is the capital city of France")
        _ = try await cache.lookup("what is the capital city of France ?")
        _ = try await cache.lookup("how tall is the Eiffel tower")
        let samples = cache.collectSamples()
        let value = { (name: String, labels: [String: String]) in
            samples.first { $0.name == name && $0.labels == labels }?.value
        }
        let answers = ["cache": "answers"]
        #expect(value("cache_hits_total", answers) == 2)
        #expect(value("cache_similar_hits_total", answers) == 1)
        #expect(value("cache_misses_total", answers) == 1)
        #expect(value("cache_similarity_bucket", ["cache": "answers", "le": "0.99"]) == 0)
        #expect(value("cache_similarity_bucket", ["cache": "answers", "le": "1"]) == 1)
        #expect(value("cache_similarity_bucket", ["cache": "answers", "le": "+Inf"]) == 1)
        #expect(value("cache_similarity_count", answers) == 1)
        #expect(value("cache_entries", answers) == 1)
        #expect(
            samples.filter { $0.name == "cache_hits_total" }.count == 1,
            "the inner cache's own hits are not reported"
        )
    }

    @Test("an embedding of the wrong length or without a direction is refused")
    func refusedEmbeddings() async throws {
        let cache = Self.cache()
        #expect(throws: SemanticCacheError.self) {
            try cache.store("x", prompt: "p", embedding: [1, 2, 3])
        }
        #expect(throws: SemanticCacheError.self) {
            try cache.store("x", prompt: "p", embedding: [Float](repeating: 0, count: WordEmbedder.dimensions))
        }
        var notFinite = [Float](repeating: 1, count: WordEmbedder.dimensions)
        notFinite[3] = .nan
        #expect(throws: SemanticCacheError.self) { try cache.store("x", prompt: "p", embedding: notFinite) }
        #expect(cache.count == 0)
    }

    @Test("concurrent lookups and stores keep the bounds and the counters exact")
    func concurrent() async throws {
        let cache = Self.cache(capacity: 50)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for number in 0..<200 {
                        let prompt = "worker \(worker) question \(number % 70) topic \(number % 70)"
                        _ = try await cache.value(for: prompt) { "answer \(number % 70)" }
                    }
                }
            }
            try await group.waitForAll()
        }
        let lookups = cache.lookups
        #expect(lookups.exactHits + lookups.similarHits + lookups.misses == 800)
        #expect(cache.count <= 50)
    }
}
