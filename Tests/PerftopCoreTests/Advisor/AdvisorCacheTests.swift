import PerfKit
import Testing

@testable import PerftopCore

@Suite("Advisor: cache-capacity and cache-expiry")
struct AdvisorCacheTests {
    /// A cache polled once a second: per second `hits` hits, `misses` misses, `bySize` size and
    /// `byExpiry` expiry evictions; `entries` of `capacity` held (no capacity gauge when nil).
    private func cache(
        points: Int = 10,
        hits: Double,
        misses: Double,
        bySize: Double = 0,
        byExpiry: Double = 0,
        entries: Double = 1000,
        capacity: Double? = 1000
    ) -> SeriesStore {
        SeriesStore.polls(points) { poll in
            let time = Double(poll)
            let labels = ["cache": "users"]
            var samples: [Sample] = [
                .counter("cache_hits_total", hits * time, labels),
                .counter("cache_misses_total", misses * time, labels),
                .counter("cache_evictions_total", bySize * time, ["cache": "users", "cause": "size"]),
                .counter("cache_evictions_total", byExpiry * time, ["cache": "users", "cause": "expired"]),
                .gauge("cache_entries", entries, labels),
            ]
            if let capacity {
                samples.append(.gauge("cache_capacity", capacity, labels))
            }
            return samples
        }
    }

    @Test("a cache under its hit-rate target that evicts by size gets raise capacity, with its numbers")
    func fires() throws {
        let advice = Advisor().advise(store: self.cache(hits: 40, misses: 60, bySize: 5, entries: 990))
        #expect(advice.count == 1)
        let capacity = try #require(advice.first)
        #expect(capacity.rule == .cacheCapacity)
        #expect(capacity.severity == .warning)
        #expect(capacity.subject == AdviceSubject(source: "agent", kind: .cache, name: "users"))
        #expect(capacity.action == "raise capacity")
        #expect(capacity.value("hit rate") == 0.4)
        #expect(capacity.value("target") == 0.7)
        #expect(capacity.value("size evictions") == 5)
        #expect(capacity.value("fill") == 0.99)
        #expect(capacity.value("window") == 9)
        #expect(capacity.message.contains("hit rate 40.0%, target 70.0%, requests 100/s, size evictions 5.00/s"))
        #expect(capacity.message.contains("fill 99.0%, entries 990, capacity 1.00k, window 9.00s"))
    }

    @Test("a cache bounded by weight alone cites its entries but no fill")
    func weightBounded() throws {
        let advice = try #require(
            Advisor().advise(store: self.cache(hits: 1, misses: 9, bySize: 2, capacity: nil)).first
        )
        #expect(advice.value("fill") == nil)
        #expect(advice.value("entries") == 1000)
    }

    @Test("a hit rate at or above the target is healthy, whatever the evictions")
    func healthy() {
        #expect(Advisor().advise(store: self.cache(hits: 90, misses: 10, bySize: 50)).isEmpty)
        #expect(Advisor().advise(store: self.cache(hits: 70, misses: 30, bySize: 50)).isEmpty)
        #expect(Advisor().advise(store: self.cache(hits: 69, misses: 31, bySize: 50)).count == 1)
    }

    @Test("a target for the cache by name replaces the default hit ratio and is cited")
    func targetByName() throws {
        let store = self.cache(hits: 80, misses: 20, bySize: 5)
        #expect(Advisor().advise(store: store).isEmpty)
        let strict = Advisor(thresholds: AdvisorThresholds(cacheHitRatioTargets: ["users": 0.9]))
        let advice = try #require(strict.advise(store: store).first)
        #expect(advice.value("target") == 0.9)
        #expect(advice.message.contains("hit rate 80.0%, target 90.0%"))
        let other = Advisor(thresholds: AdvisorThresholds(cacheHitRatioTargets: ["sessions": 0.9]))
        #expect(other.advise(store: store).isEmpty)
    }

    @Test("size evictions at the threshold fire; just under it, nothing does")
    func evictionEdge() {
        #expect(Advisor().advise(store: self.cache(hits: 10, misses: 90, bySize: 1)).map(\.rule) == [.cacheCapacity])
        #expect(Advisor().advise(store: self.cache(hits: 10, misses: 90, bySize: 0.9)).isEmpty)
        #expect(Advisor().advise(store: self.cache(hits: 10, misses: 90)).isEmpty)
    }

    @Test("evictions by expiry do not ask for capacity: they get cache-expiry (info) instead")
    func expiry() throws {
        let advice = Advisor().advise(store: self.cache(hits: 30, misses: 70, bySize: 0.5, byExpiry: 20))
        #expect(advice.count == 1)
        let expiry = try #require(advice.first)
        #expect(expiry.rule == .cacheExpiry)
        #expect(expiry.severity == .info)
        #expect(expiry.value("expiry evictions") == 20)
        #expect(expiry.value("size evictions") == 0.5)
        #expect(expiry.message.contains("lengthen the TTL"))
        #expect(Advisor.only(.cacheCapacity, self.cache(hits: 30, misses: 70, byExpiry: 20)).isEmpty)
    }

    @Test("when a cache evicts both by size and by expiry at the thresholds, capacity comes first and alone")
    func bothCauses() {
        let advice = Advisor().advise(store: self.cache(hits: 30, misses: 70, bySize: 3, byExpiry: 20))
        #expect(advice.map(\.rule) == [.cacheCapacity])
    }

    @Test("fewer points than the minimum, or no traffic, is no evidence")
    func tooLittle() {
        #expect(Advisor().advise(store: self.cache(points: 4, hits: 10, misses: 90, bySize: 5)).isEmpty)
        #expect(Advisor().advise(store: self.cache(points: 5, hits: 10, misses: 90, bySize: 5)).count == 1)
        #expect(Advisor().advise(store: self.cache(hits: 0, misses: 0, bySize: 5)).isEmpty)
    }

    @Test("the hit rate is over the whole window, weighted by traffic, across a counter reset")
    func windowAndReset() throws {
        // Five busy seconds at 20% hits, a restart, then four quiet seconds at 100% hits: 90 of 410.
        let counts: [(hits: Double, misses: Double, evicted: Double)] = [
            (0, 0, 0), (20, 80, 10), (40, 160, 20), (60, 240, 30), (80, 320, 40), (2, 0, 40), (4, 0, 40),
            (6, 0, 40), (8, 0, 40), (10, 0, 40),
        ]
        let store = SeriesStore.polls(counts.count) { poll in
            [
                .counter("cache_hits_total", counts[poll].hits, ["cache": "users"]),
                .counter("cache_misses_total", counts[poll].misses, ["cache": "users"]),
                .counter("cache_evictions_total", counts[poll].evicted, ["cache": "users", "cause": "size"]),
            ]
        }
        let advice = try #require(Advisor().advise(store: store).first)
        #expect(advice.value("hit rate") == 90.0 / 410.0)
        #expect(advice.value("size evictions") == 40.0 / 9.0)
    }
}
