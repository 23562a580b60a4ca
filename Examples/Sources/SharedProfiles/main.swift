import PerfKit
import PerfKitRedis

// Two "processes" sharing profiles through Redis: the first loads them, the second (an empty memory
// tier, as after a restart) reads them from Redis without calling its loader.
//
//   SharedProfiles [HOST] [PORT]     a Redis server, 127.0.0.1 6379 by default
//
// With Redis down it still answers every lookup (from the loader), and says the tier is down.

struct Profile: Codable, Sendable {
    var name: String
}

let arguments = CommandLine.arguments
let host = arguments.count > 1 ? arguments[1] : "127.0.0.1"
let port = arguments.count > 2 ? Int(arguments[2]) ?? 6379 : 6379

let redis = RedisClient(host: host, port: port)
defer { redis.close() }

func profiles() -> TieredCache<Profile> {
    let tier = RedisCacheTier<Profile>(client: redis, keyPrefix: "example:profiles:", timeToLive: .seconds(60))
    return TieredCache(name: "profiles", capacity: 1_000, remote: tier)
}

let names = ["ada", "grace", "alan", "edsger", "barbara"]
let first = profiles()
let second = profiles()
for name in names {
    _ = try await first.value(forKey: name) { Profile(name: $0.capitalized) }
}
for name in names {
    _ = try await second.value(forKey: name) { Profile(name: $0.capitalized) }
}
for (label, cache) in [("first", first), ("second", second)] {
    let stats = cache.stats
    print("\(label): \(stats.loaderCalls) loaded, \(stats.remoteHits) from Redis")
}
let up = second.collectSamples().first { $0.name == MetricName.cacheTierUp }?.value == 1
print("redis tier: \(up ? "up" : "down (every lookup fell through to the loader)")")
