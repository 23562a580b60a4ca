import Foundation
import PerfKit
import PerfKitAgent
import PerfKitAllocationCounting
import PerftopCore
import PerftopDemo

// An example agent that links PerfKitAllocationCounting, so its allocation churn is counted exactly:
// `perfkit-allocation-agent SOCKET` serves the demo workload plus exact allocation counters on a Unix
// socket until SIGINT or SIGTERM; watch it with `perftop --attach SOCKET`.

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: perfkit-allocation-agent SOCKET\n".utf8))
    exit(64)
}
let path = CommandLine.arguments[1]
let signals = TerminationSignals.shared
let agent = DemoAgent()
agent.registry.register(AllocationCountingSampleSource())
let traffic = Task { await agent.run() }
do {
    let server = try await AgentServer.start(path: path, registry: agent.registry, agentName: "allocation-agent")
    FileHandle.standardError.write(Data("perfkit-allocation-agent: serving on \(path)\n".utf8))
    _ = await signals.next()
    traffic.cancel()
    try await server.shutdown()
} catch {
    FileHandle.standardError.write(Data("perfkit-allocation-agent: \(path): \(error)\n".utf8))
    exit(1)
}
