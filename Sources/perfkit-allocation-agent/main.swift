import FoundationEssentials
import PerfKit
import PerfKitAgent
import PerfKitAllocationCounting
import PerftopCore
import PerftopDemo

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// An example agent that links PerfKitAllocationCounting, so its allocation churn is counted exactly:
// `perfkit-allocation-agent SOCKET` serves the demo workload plus exact allocation counters on a Unix
// socket until SIGINT or SIGTERM; watch it with `perftop --attach SOCKET`.

guard CommandLine.arguments.count == 2 else {
    DescriptorWriter.write("usage: perfkit-allocation-agent SOCKET\n", to: STDERR_FILENO)
    exit(64)
}
let path = CommandLine.arguments[1]
let signals = TerminationSignals.shared
let agent = DemoAgent()
agent.registry.register(AllocationCountingSampleSource())
let traffic = Task { await agent.run() }
do {
    let server = try await AgentServer.start(path: path, registry: agent.registry, agentName: "allocation-agent")
    DescriptorWriter.write("perfkit-allocation-agent: serving on \(path)\n", to: STDERR_FILENO)
    _ = await signals.next()
    traffic.cancel()
    try await server.shutdown()
} catch {
    DescriptorWriter.write("perfkit-allocation-agent: \(path): \(error)\n", to: STDERR_FILENO)
    exit(1)
}
