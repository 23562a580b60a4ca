import Foundation
import PerfKit
import ServerTestKit
import Testing

@testable import PerftopCore

@Suite struct SystemFeedTests {
    private var fixtureRoot: String {
        get throws {
            try #require(Bundle.module.url(forResource: "proc", withExtension: nil, subdirectory: "Fixtures")).path
        }
    }

    private static func byID(_ samples: [Sample]) -> [String: Sample] {
        Dictionary(uniqueKeysWithValues: samples.map { ($0.seriesID.description, $0) })
    }

    @Test func emitsNodeExporterSamplesFromAFixtureRoot() async throws {
        let feed = SystemFeed(procRoot: try self.fixtureRoot)
        #expect(feed.name == "proc")
        let samples = try await feed.poll(timeout: .mustSucceed)
        let byID = Self.byID(samples)
        let hz = ProcessStatistics.clockTicksPerSecond

        #expect(byID["node_cpu_seconds_total{mode=\"user\"}"]?.value == 22914 / hz)
        #expect(byID["node_cpu_seconds_total{mode=\"user\"}"]?.kind == .counter)
        #expect(byID["node_cpu_seconds_total{mode=\"steal\"}"]?.value == 144 / hz)
        #expect(byID["node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}"]?.value == 54989 / hz)
        #expect(byID["node_cpu_seconds_total{cpu=\"1\",mode=\"iowait\"}"]?.value == 525 / hz)
        #expect(samples.filter { $0.name == "node_cpu_seconds_total" }.count == 3 * 8)

        #expect(byID["node_memory_MemTotal_bytes"]?.value == 24_683_656.0 * 1024)
        #expect(byID["node_memory_MemTotal_bytes"]?.kind == .gauge)
        #expect(byID["node_memory_MemAvailable_bytes"]?.value == 24_286_420.0 * 1024)
        #expect(byID["node_memory_MemFree_bytes"]?.value == 23_709_544.0 * 1024)
        #expect(byID["node_memory_Buffers_bytes"]?.value == 5628.0 * 1024)
        #expect(byID["node_memory_Cached_bytes"]?.value == 768_016.0 * 1024)
        #expect(byID["node_memory_SwapTotal_bytes"]?.value == 0)
        #expect(byID["node_memory_SwapFree_bytes"]?.value == 0)

        #expect(byID["node_load1"]?.value == 0.42)
        #expect(byID["node_load5"]?.value == 0.41)
        #expect(byID["node_load15"]?.value == 0.26)
        #expect(samples.count == 24 + 7 + 3)
    }

    @Test func omitsMemoryTheKernelDoesNotReport() {
        let statistics = SystemStatistics(
            cpu: SystemStatistics.CPU(
                total: SystemStatistics.CPUTimes(
                    user: 1,
                    nice: 0,
                    system: 0,
                    idle: 0,
                    iowait: 0,
                    irq: 0,
                    softirq: 0,
                    steal: 0
                ),
                cores: []
            ),
            memory: SystemStatistics.Memory(totalBytes: 1024),
            load: SystemStatistics.LoadAverage(one: 0, five: 0, fifteen: 0)
        )
        let names = Set(SystemFeed.samples(from: statistics).map(\.name))
        #expect(names.contains("node_memory_MemTotal_bytes"))
        #expect(!names.contains("node_memory_MemAvailable_bytes"))
    }

    @Test func reportsABrokenRootAsAFeedError() async {
        let error = await #expect(throws: FeedError.self) {
            try await SystemFeed(procRoot: "/nonexistent-proc").poll(timeout: .mustSucceed)
        }
        #expect(error?.reason == "/nonexistent-proc/stat: no such file or directory")
    }

    @Test func readsTheRealProc() async throws {
        let samples = try await SystemFeed().poll(timeout: .mustSucceed)
        let byID = Self.byID(samples)
        let total = try #require(byID["node_memory_MemTotal_bytes"]?.value)
        #expect(total > 0)
        #expect((byID["node_memory_MemFree_bytes"]?.value ?? .infinity) <= total)
        #expect((byID["node_cpu_seconds_total{mode=\"idle\"}"]?.value ?? 0) > 0)
        #expect(byID["node_cpu_seconds_total{cpu=\"0\",mode=\"user\"}"] != nil)
        #expect((byID["node_load1"]?.value ?? -1) >= 0)
    }
}
