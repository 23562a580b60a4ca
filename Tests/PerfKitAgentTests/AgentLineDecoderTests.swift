import PerfKit
import Testing

@testable import PerfKitAgent

/// ``AgentLineDecoder`` behind a real ``AgentServer``: the protocol's line rules at the request-line limit.
@Suite(.timeLimit(.minutes(1))) struct AgentLineDecoderTests {
    // Found by Fuzz/FuzzAgentLine: a line of exactly the limit was refused as too long when `\r\n` ended it,
    // because the `\r` the protocol ignores was counted, before or after the newline arrived.
    @Test(arguments: [false, true])
    func acceptsALineOfTheLimitEndedByCRLF(splittingBeforeTheNewline: Bool) async throws {
        let directory = try AgentServerTests.TemporaryDirectory()
        let server = try await AgentServer.start(
            path: directory.socketPath,
            registry: MetricsRegistry(),
            agentName: "test"
        )
        let client = try AgentServerTests.LineClient(path: directory.socketPath)
        let line = String(repeating: " ", count: AgentProtocol.maxRequestLineBytes) + "\r"
        if splittingBeforeTheNewline {
            // Usually read apart, so the decoder first holds the limit and the `\r` with no newline yet.
            try client.send(line)
            try client.send("\n")
        } else {
            try client.send(line + "\n")
        }
        #expect(try await client.readError().error == "request is not a JSON object")
        #expect(try await client.requestSnapshot().agent == "test")
        try await server.shutdown()
    }
}
