import PerfKit
import Testing

@testable import PerftopCore

@Suite("DashboardModel: what the panes add (evictions by cause, running history, memory growth)")
struct DashboardModelPanesTests {
    @Test("evictions are split by cause; the total still counts series without a cause")
    func evictionsByCause() throws {
        func samples(size: Double, expired: Double, unlabelled: Double) -> [Sample] {
            [
                .counter("cache_hits_total", 1, ["cache": "users"]),
                .counter("cache_misses_total", 1, ["cache": "users"]),
                .counter("cache_evictions_total", size, ["cache": "users", "cause": "size"]),
                .counter("cache_evictions_total", expired, ["cache": "users", "cause": "expired"]),
                .counter("cache_evictions_total", unlabelled, ["cache": "users"]),
            ]
        }
        let model = DashboardModel.recorded([
            (0, samples(size: 10, expired: 0, unlabelled: 0)),
            (2, samples(size: 16, expired: 1, unlabelled: 2)),
        ])
        let cache = try #require(model.caches.first)
        #expect(
            cache.evictionsByCause == [
                EvictionRate(cause: "expired", perSecond: 0.5),
                EvictionRate(cause: "size", perSecond: 3),
            ]
        )
        #expect(cache.evictionsPerSecond == 4.5)
    }

    @Test("before the second poll a cause is listed without a rate")
    func causeWithoutRate() throws {
        let model = DashboardModel.recorded([
            (
                0,
                [
                    .counter("cache_hits_total", 1, ["cache": "users"]),
                    .counter("cache_evictions_total", 3, ["cache": "users", "cause": "size"]),
                ]
            )
        ])
        #expect(try #require(model.caches.first).evictionsByCause == [EvictionRate(cause: "size", perSecond: nil)])
    }

    @Test("a processor keeps the history of its running tasks next to its depth")
    func inFlightHistory() throws {
        let polls: [(time: Double, samples: [Sample])] = [(0, 2, 4), (1, 5, 8), (2, 3, 6)].map { time, depth, running in
            (
                time,
                [
                    .gauge("processor_queue_depth", depth, ["processor": "jobs"]),
                    .gauge("processor_in_flight", running, ["processor": "jobs"]),
                ]
            )
        }
        let processor = try #require(DashboardModel.recorded(polls).processors.first)
        #expect(processor.depthHistory.map(\.value) == [2, 5, 3])
        #expect(processor.inFlightHistory.map(\.value) == [4, 8, 6])
        #expect(processor.inFlight == 6)
    }

    @Test("resident growth is the least-squares slope over the retained points")
    func residentGrowth() throws {
        // 100 MiB growing 1 MiB per 2 s, with one spike that a first-to-last difference would not see
        // but that pulls a least-squares line only a little.
        let mebibyte = 1_048_576.0
        let values = [100, 100.5, 101, 120, 102, 102.5].map { $0 * mebibyte }
        let polls = values.enumerated().map { index, value in
            (time: Double(index) + 1_700_000_000, samples: [Sample.gauge("process_resident_memory_bytes", value)])
        }
        let process = try #require(DashboardModel.recorded(polls).memory.processes.first)
        let growth = try #require(process.residentGrowthBytesPerSecond)
        let expected = try #require(
            LinearFit(polls.map { SeriesStore.Point(time: $0.time, value: $0.samples[0].value) })?.slope
        )
        #expect(growth == expected)
        #expect(growth > 0.5 * mebibyte && growth < 3 * mebibyte)
    }

    @Test("a process read once has no growth yet")
    func growthNeedsTwoPoints() throws {
        let polls = [(time: 0.0, samples: [Sample.gauge("process_resident_memory_bytes", 5)])]
        let process = try #require(DashboardModel.recorded(polls).memory.processes.first)
        #expect(process.residentGrowthBytesPerSecond == nil)
    }
}
