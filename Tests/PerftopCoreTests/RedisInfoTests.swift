import Foundation
import PerfKit
import Testing

@testable import PerftopCore

/// `INFO all` of a real Redis 7.0 (captured from Debian's redis-server) in the vocabulary's names.
struct RedisInfoTests {
    private static func fixture() throws -> String {
        let url = try #require(
            Bundle.module.url(forResource: "redis-7.0-info-all", withExtension: "txt", subdirectory: "Fixtures/servers")
        )
        return try String(contentsOf: url, encoding: .utf8)
    }

    private static func value(_ samples: [Sample], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    @Test func readsTheKeyspaceAsACache() throws {
        let samples = RedisInfo.samples(try Self.fixture())
        let cache = [LabelName.cache: "redis"]
        #expect(Self.value(samples, MetricName.cacheHits, cache) == 1)
        #expect(Self.value(samples, MetricName.cacheMisses, cache) == 1)
        #expect(Self.value(samples, MetricName.cacheEntries, cache) == 1)
        #expect(Self.value(samples, MetricName.cacheEvictions, cache.merging([LabelName.cause: "size"]) { $1 }) == 0)
        #expect(Self.value(samples, MetricName.cacheEvictions, cache.merging([LabelName.cause: "expired"]) { $1 }) == 0)
        #expect(Self.value(samples, MetricName.cacheBytes, cache) == 965_984)
        #expect(Self.value(samples, MetricName.cacheCapacityBytes, cache) == 10_485_760)
    }

    @Test func readsTheServer() throws {
        let samples = RedisInfo.samples(try Self.fixture())
        #expect(Self.value(samples, MetricName.processResidentMemory) == 6_787_072)
        #expect(Self.value(samples, MetricName.processHeapInUse) == 965_984)
        #expect(Self.value(samples, MetricName.redisConnectedClients) == 1)
        #expect(Self.value(samples, MetricName.redisBlockedClients) == 0)
        #expect(Self.value(samples, MetricName.redisCommandsProcessed) == 3)
        #expect(Self.value(samples, MetricName.redisMaxMemory) == 10_485_760)
        #expect(Self.value(samples, MetricName.processCPUSeconds) != nil)
    }

    @Test func readsPerCommandLatency() throws {
        let samples = RedisInfo.samples(try Self.fixture())
        let get = [LabelName.command: "get"]
        #expect(Self.value(samples, MetricName.redisCommandSeconds + MetricName.countSuffix, get) == 2)
        #expect(Self.value(samples, MetricName.redisCommandSeconds + MetricName.sumSuffix, get) == 7e-6)
        let quantile = { (label: String) in
            Self.value(samples, MetricName.redisCommandSeconds, get.merging([LabelName.quantile: label]) { $1 })
        }
        #expect(quantile("0.5") == 2.007e-6)
        #expect(quantile("0.99") == 5.023e-6)
        #expect(quantile("0.999") == 5.023e-6)
    }

    @Test(arguments: [
        (50.0, "0.5"), (95, "0.95"), (99, "0.99"), (99.9, "0.999"), (100, "1"), (0, "0"), (99.9999, "0.999999"),
        (99.99999, "0.9999999"),
    ])
    func writesPercentilesAsQuantileLabels(percent: Double, label: String) {
        #expect(RedisInfo.quantileLabel(percent) == label)
    }

    /// Found by FuzzRedisReply: `61e3082` parses as infinity.
    @Test func leavesOutNumbersThatAreNotFiniteOrAreNegative() {
        let samples = RedisInfo.samples(
            "used_memory_rss:61e3082\r\nused_cpu_sys:1e999\r\nkeyspace_hits:-5\r\nkeyspace_misses:3\r\n"
                + "cmdstat_get:calls=1e400,usec=7\r\nlatency_percentiles_usec_get:p50=inf,p99=nan\r\n"
        )
        #expect(samples.map(\.name) == [MetricName.cacheMisses])
    }

    @Test func skipsWhatItDoesNotKnow() {
        let samples = RedisInfo.samples(
            "# Stats\r\nkeyspace_hits:abc\r\nnonsense\r\nfuture_field:1\r\nkeyspace_misses:4\r\n"
        )
        #expect(samples.map(\.name) == [MetricName.cacheMisses])
        let empty = RedisInfo.samples("# Keyspace\r\n")
        #expect(empty.map(\.name) == [MetricName.cacheEntries] && empty.first?.value == 0)
        #expect(RedisInfo.samples("").isEmpty)
    }
}
