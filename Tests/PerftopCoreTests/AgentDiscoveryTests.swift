import Foundation
import PerfKit
import PerfKitAgent
import Testing

@testable import PerftopCore

#if canImport(Glibc)
    import Glibc
#endif

/// `--attach DIR` looked at again every round, with real agents on real sockets.
@Suite("Agent discovery")
struct AgentDiscoveryTests {
    @Test("only directories and glob patterns are looked at again; plain socket paths are fixed")
    func patterns() throws {
        let directory = try TestListener.makeTemporaryDirectory()
        defer { rmdir(directory) }
        #expect(AgentDiscovery(attach: [directory + "/a.sock", "/run/b.sock"], trustedOwners: []) == nil)
        let discovery = try #require(
            AgentDiscovery(attach: [directory, "/run/b.sock", "/run/*.sock"], trustedOwners: [])
        )
        #expect(discovery.patterns == [directory, "/run/*.sock"])
        #expect(discovery.fixedPaths == ["/run/b.sock"])
    }

    @Test("a socket that appears gets a feed, a gone one loses its feed, every other feed is kept as it is")
    func feedsFollowTheDirectory() async throws {
        let directory = try TestListener.makeTemporaryDirectory()
        defer { rmdir(directory) }
        let first = try await AgentServer.start(
            path: directory + "/a.sock",
            registry: MetricsRegistry(),
            agentName: "a"
        )
        let discovery = try #require(
            AgentDiscovery(attach: [directory, "/nonexistent/fixed.sock"], trustedOwners: [])
        )
        let machine = SystemFeed()
        let fixed = AgentFeed(path: "/nonexistent/fixed.sock")
        let start: [any Feed] = discovery.feeds(replacing: [machine, fixed])
        #expect(start.map(\.name) == ["proc", "agent:/nonexistent/fixed.sock", "agent:\(directory)/a.sock"])

        let second = try await AgentServer.start(
            path: directory + "/b.sock",
            registry: MetricsRegistry(),
            agentName: "b"
        )
        let grown = discovery.feeds(replacing: start)
        #expect(grown.map(\.name) == start.map(\.name) + ["agent:\(directory)/b.sock"])
        #expect(grown[2] as? AgentFeed === start[2] as? AgentFeed, "the feed of a socket still there is the same feed")

        try await first.shutdown()
        let shrunk = discovery.feeds(replacing: grown)
        #expect(shrunk.map(\.name) == ["proc", "agent:/nonexistent/fixed.sock", "agent:\(directory)/b.sock"])

        try await second.shutdown()
        #expect(discovery.feeds(replacing: shrunk).map(\.name) == ["proc", "agent:/nonexistent/fixed.sock"])
    }

    @Test("the collector watches an agent that appears from the next round and forgets one that is gone")
    func collectorFollowsTheDirectory() async throws {
        let directory = try TestListener.makeTemporaryDirectory()
        defer { rmdir(directory) }
        let registry = MetricsRegistry()
        registry.register(ProcessSampleSource())
        let first = try await AgentServer.start(path: directory + "/a.sock", registry: registry, agentName: "first")
        let discovery = try #require(AgentDiscovery(attach: [directory], trustedOwners: []))
        let collector = Collector(
            feeds: discovery.feeds(replacing: []),
            configuration: Collector.Configuration(interval: .seconds(10)),
            discovery: { discovery.feeds(replacing: $0) }
        )
        let (a, b) = ("agent:\(directory)/a.sock", "agent:\(directory)/b.sock")
        await collector.collectOnce()
        #expect(collector.model.sources.map(\.name) == [a])

        let second = try await AgentServer.start(path: directory + "/b.sock", registry: registry, agentName: "second")
        await collector.collectOnce()
        #expect(collector.model.sources.map(\.name) == [a, b])
        #expect(collector.model.sources.map(\.state) == [.ok, .ok])
        #expect(collector.model.sources.map(\.label) == ["first[\(getpid())]", "second[\(getpid())]"])
        #expect(collector.withStore { $0.sources } == [a, b])

        try await first.shutdown()
        await collector.collectOnce()
        #expect(collector.model.sources.map(\.name) == [b])
        #expect(collector.withStore { $0.sources } == [b], "a gone agent's series leave the store")
        #expect(collector.model.memory.processes.map(\.source) == [b])
        try await second.shutdown()
    }

    @Test("a directory that fills with sockets is watched up to the agent limit, and no further")
    func boundedByTheAgentLimit() throws {
        let directory = try TestListener.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var descriptors: [Int32] = []
        defer { descriptors.forEach { close($0) } }
        for index in 0..<(AgentDiscovery.maximumAgents + 5) {
            let descriptor = try TestListener.bindSocket(at: directory + "/s\(index).sock")
            descriptors.append(descriptor)
        }
        let discovery = try #require(AgentDiscovery(attach: [directory], trustedOwners: []))
        let machine = SystemFeed()
        let first = discovery.feeds(replacing: [machine])
        #expect(first.count == 1 + AgentDiscovery.maximumAgents)
        let again = discovery.feeds(replacing: first)
        #expect(again.count == first.count)
        #expect(zip(again, first).allSatisfy { $0.name == $1.name }, "the same agents, in the same places")
    }

    @Test("an agent's display name is its own name and pid, escaped and cut")
    func displayName() {
        #expect(AgentFeed.displayName(agent: "demo", pid: 4242) == "demo[4242]")
        #expect(AgentFeed.displayName(agent: "de\u{1B}[2Jmo", pid: 7) == "de\\u{1B}[2Jmo[7]")
        #expect(AgentFeed.displayName(agent: "demo", pid: 0) == "demo")
        #expect(AgentFeed.displayName(agent: "", pid: 42) == nil)
        let long = String(repeating: "x", count: 100)
        #expect(AgentFeed.displayName(agent: long, pid: 1)?.count == AgentFeed.maximumNameLength + 3)
    }
}
