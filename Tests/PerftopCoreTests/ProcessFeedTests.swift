import Foundation
import PerfKit
import ServerTestKit
import Testing

@testable import PerftopCore

@Suite struct ProcessFeedTests {
    private var fixtureRoot: String {
        get throws {
            try #require(Bundle.module.url(forResource: "proc", withExtension: nil, subdirectory: "Fixtures")).path
        }
    }

    @Test func isNamedAfterItsProcess() {
        #expect(ProcessFeed().name == "self")
        #expect(ProcessFeed(pid: 42).name == "pid:42")
    }

    @Test func emitsTheSamplesOfProcessSampleSource() async throws {
        let root = try self.fixtureRoot
        let samples = try await ProcessFeed(pid: 4242, procRoot: root).poll(timeout: .mustSucceed)
        #expect(samples == ProcessSampleSource(pid: 4242, procRoot: root).collectSamples())
        let resident = samples.first { $0.name == "process_resident_memory_bytes" }
        #expect(resident?.value == 131_408.0 * 1024)
        #expect(samples.first { $0.name == "process_open_fds" }?.value == 5)
    }

    @Test func reportsAVanishedProcess() async throws {
        let feed = ProcessFeed(pid: 123, procRoot: try self.fixtureRoot)
        let error = await #expect(throws: FeedError.self) {
            try await feed.poll(timeout: .mustSucceed)
        }
        #expect(error == FeedError("process 123 exited"))
    }

    @Test func readsAProcessNameWithSpacesAndParentheses() async throws {
        let root = try self.fixtureRoot
        let statistics = try ProcessStatistics.read(pid: 4243, procRoot: root)
        #expect(statistics.command == "my (weird) name")
        #expect(statistics.state == "R")
        #expect(statistics.minorFaults == 777)
        #expect(statistics.openFileDescriptors == nil)
        let samples = try await ProcessFeed(pid: 4243, procRoot: root).poll(timeout: .mustSucceed)
        #expect(samples.first { $0.name == "process_minor_faults_total" }?.value == 777)
        #expect(samples.first { $0.name == "process_major_faults_total" }?.value == 0)
        #expect(!samples.contains { $0.name == "process_open_fds" })
    }

    @Test func reportsAZombieAsExited() async throws {
        let feed = ProcessFeed(pid: 4244, procRoot: try self.fixtureRoot)
        let error = await #expect(throws: FeedError.self) {
            try await feed.poll(timeout: .mustSucceed)
        }
        #expect(error == FeedError("process 4244 exited"))
    }

    @Test func aVanishedProcessTakesItsSourceDown() async throws {
        // A long interval (and with it the poll's timeout): a loaded test run must not turn the exit into a timeout.
        let collector = Collector(
            feeds: [ProcessFeed(pid: 123, procRoot: try self.fixtureRoot)],
            configuration: Collector.Configuration(interval: .seconds(30))
        )
        await collector.collectOnce()
        #expect(collector.model.sources[0].state == .down(reason: "process 123 exited"))
    }

    @Test func readsItselfFromTheRealProc() async throws {
        let samples = try await ProcessFeed().poll(timeout: .mustSucceed)
        let resident = try #require(samples.first { $0.name == "process_resident_memory_bytes" })
        #expect(resident.value > 0)
        #expect((samples.first { $0.name == "process_threads" }?.value ?? 0) >= 1)
        #expect((samples.first { $0.name == "process_open_fds" }?.value ?? 0) >= 3)
    }
}
