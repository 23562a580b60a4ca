import PerfKit
import PerfKitHTTPCache
import PerfKitRedis
import PerftopCore

/// A synthetic agent with real PerfKit caches, a real processor, real operation timings and the real
/// heap under changing load, so every pane has something true to show on first run.
///
/// Its caches: `users` and `embeddings` (``Cache``), `answers` (``SemanticCache``), `catalog`
/// (`HTTPResponseCache` over perftop's own HTTP client and a loopback origin, registered once ``run()`` has started it) and, given a
/// Redis server, `profiles` (a ``TieredCache`` with a Redis tier).
///
/// Nothing here is simulated at the metric level: the caches really are looked up with a skewed
/// key distribution and filled on misses, and the processor really runs jobs with a concurrency
/// limit while arrivals come in waves, so its queue grows and drains. The numbers on screen are
/// whatever that traffic produces.
public final class DemoAgent: Sendable {
    /// The registry holding the demo's caches, processor and process statistics.
    public let registry: MetricsRegistry

    private let users: Cache<Int, String>
    private let embeddings: Cache<Int, [Float]>
    private let answers: SemanticCache<String>
    /// Profiles over a Redis tier, only when the demo was given a Redis server.
    private let profiles: TieredCache<String>?
    private let jobs: AsyncProcessor
    private let timings: OperationTimings

    /// The prefix of every key the demo writes to Redis.
    public static let redisKeyPrefix = "perftop-demo:profiles:"

    /// Creates the agent and registers its sources; call ``run()`` to start traffic.
    ///
    /// - Parameter redis: A Redis server for the `profiles` cache's Redis tier; without one the demo has
    ///   no Redis tier (it never fakes one).
    public init(redis: RedisClient? = nil) {
        self.registry = MetricsRegistry()
        self.users = Cache(name: "users", capacity: 600)
        self.embeddings = Cache(name: "embeddings", capacity: 120)
        self.answers = SemanticCache(
            name: "answers",
            capacity: 300,
            dimensions: Self.wordDimensions,
            similarityThreshold: 0.8,
            embed: Self.embedWords
        )
        self.profiles = redis.map { client in
            let tier = RedisCacheTier<String>(client: client, keyPrefix: Self.redisKeyPrefix, timeToLive: .seconds(60))
            return TieredCache(name: "profiles", capacity: 100, remote: tier)
        }
        self.jobs = AsyncProcessor(name: "jobs", maxConcurrency: 4)
        self.timings = OperationTimings()
        self.registry.register(self.users)
        self.registry.register(self.embeddings)
        self.registry.register(self.answers)
        if let profiles = self.profiles {
            self.registry.register(profiles)
        }
        self.registry.register(self.jobs)
        self.registry.register(self.timings)
        self.registry.register(ProcessSampleSource())
        self.registry.register(AllocationSampleSource())
    }

    /// Generates cache and processor traffic until the calling task is cancelled.
    ///
    /// Memory stays bounded: at most ``maximumOutstandingJobs`` jobs wait at once.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.lookUpForever() }
            group.addTask { await self.askForever() }
            if let profiles = self.profiles {
                group.addTask { await Self.readProfilesForever(profiles) }
            }
            group.addTask { await self.browseCatalogForever() }
            group.addTask { await self.submitJobsForever() }
        }
    }

    /// The most jobs the demo keeps submitted (queued or running) at once.
    public static let maximumOutstandingJobs = 64

    // MARK: - Traffic

    private var outstandingJobs: Int {
        let stats = self.jobs.stats
        return stats.queueDepth + stats.inFlight
    }

    private func lookUpForever() async {
        var random = SplitMix64(seed: 0x5EED)
        while !Task.isCancelled {
            for _ in 0..<200 {
                let user = random.skewedKey(upTo: 2_000)
                self.timings.measure("users.lookup") {
                    if self.users.value(forKey: user) == nil {
                        self.users.setValue("user-\(user)", forKey: user)
                    }
                }
                let document = random.skewedKey(upTo: 1_000)
                if self.embeddings.value(forKey: document) == nil {
                    let embedding = self.timings.measure("embeddings.compute") { Self.embed(document) }
                    self.embeddings.setValue(embedding, forKey: document)
                }
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Questions to a stand-in model through the semantic cache: the same question asked in one of
    /// three wordings, so some lookups hit exactly, some hit a similar wording, and the rest compute.
    private func askForever() async {
        var random = SplitMix64(seed: 0xA5C)
        let subjects = ["price", "status", "owner", "size", "delivery date"]
        while !Task.isCancelled {
            for _ in 0..<20 {
                let item = random.skewedKey(upTo: 400)
                let subject = subjects[Int(random.next() % UInt64(subjects.count))]
                let question =
                    switch random.next() % 3 {
                    case 0: "what is the \(subject) of item \(item)"
                    case 1: "tell me the \(subject) of item \(item) please"
                    default: "\(subject) of item \(item)?"
                    }
                _ = try? await self.answers.value(for: question) {
                    self.timings.measure("answers.generate") {
                        "the \(subject) of item \(item) is \(Self.embed(item)[0])"
                    }
                }
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Profile reads through a small memory tier over Redis: most hit memory, many of the rest hit
    /// Redis (values written earlier, by this run or a recent one), and the rest load. With Redis down,
    /// the loader serves them all and the cache pane says `redis down`.
    private static func readProfilesForever(_ profiles: TieredCache<String>) async {
        var random = SplitMix64(seed: 0x960F)
        while !Task.isCancelled {
            for _ in 0..<20 {
                let user = random.skewedKey(upTo: 600)
                _ = try? await profiles.value(forKey: String(user)) { key in
                    try await Task.sleep(for: .milliseconds(2))
                    return "profile of user \(key)"
                }
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// GETs of a catalogue through an HTTP response cache, from a real HTTP origin the demo starts on
    /// 127.0.0.1 (``DemoOrigin``): fresh hits within an item's 2 s `max-age`, `304` revalidations after
    /// it, and misses when an item changed or was evicted (the cache holds about a third of them).
    private func browseCatalogForever() async {
        let origin: DemoOrigin
        do {
            origin = try await DemoOrigin.start()
        } catch {
            return
        }
        let client = HTTPFeed.makeClient()
        let catalog = HTTPResponseCache(
            name: "catalog",
            transport: client,
            maximumBytes: 48 << 10,
            timeout: .seconds(2)
        )
        self.registry.register(catalog)
        var random = SplitMix64(seed: 0xCA7A)
        // About 40 GETs a second: enough for every outcome, little enough to cost the demo next to nothing.
        while !Task.isCancelled {
            for _ in 0..<2 {
                _ = try? await catalog.get(origin.url(ofItem: random.skewedKey(upTo: 300)))
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        await client.shutdown()
        await origin.shutdown()
    }

    private func submitJobsForever() async {
        var random = SplitMix64(seed: 0xD0B5)
        let clock = ContinuousClock()
        let start = clock.now
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                // Arrivals come in 20 s waves: light, then heavier than 4 workers can serve.
                let phase = (clock.now - start).components.seconds % 20
                let arrivalsPerTick = phase < 10 ? 1 : 3
                for _ in 0..<arrivalsPerTick where self.outstandingJobs < Self.maximumOutstandingJobs {
                    let milliseconds = 20 + Int(random.next() % 40)
                    let fails = random.next() % 50 == 0
                    group.addTask {
                        _ = try? await self.jobs.submit {
                            try await Task.sleep(for: .milliseconds(milliseconds))
                            if fails {
                                throw DemoJobError()
                            }
                        }
                    }
                }
                try? await Task.sleep(for: .milliseconds(25))
            }
            group.cancelAll()
        }
    }
}

extension DemoAgent {
    /// A stand-in for a model call: a 256-dimension vector derived from the document (a few
    /// microseconds of real work and one allocation), so the cache misses it measures cost something.
    static func embed(_ document: Int) -> [Float] {
        var generator = SplitMix64(seed: UInt64(document))
        return (0..<256).map { _ in Float(generator.nextUnitDouble()) }
    }
}

extension DemoAgent {
    /// The length of ``embedWords(_:)``'s vectors.
    static let wordDimensions = 128

    /// A stand-in for a sentence embedding: each word adds 1 to one of ``wordDimensions`` dimensions
    /// (by its FNV-1a hash), so wordings that share most words point the same way.
    @Sendable static func embedWords(_ text: String) -> [Float] {
        var vector = [Float](repeating: 0, count: Self.wordDimensions)
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in word.utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            vector[Int(hash % UInt64(Self.wordDimensions))] += 1
        }
        return vector
    }
}

/// The error a demo job fails with now and then, so the failure counts are not always zero.
struct DemoJobError: Error {}

extension SplitMix64 {
    /// A key in `0..<count`, small keys far more likely than large ones (cubic skew), like real hot sets.
    mutating func skewedKey(upTo count: Int) -> Int {
        let uniform = self.nextUnitDouble()
        return min(count - 1, Int(uniform * uniform * uniform * Double(count)))
    }
}
