import NIOCore
import NIOHTTP1
import PerfKit
import Testing

@testable import PerfKitAgent

/// The `Host` rule of the agent's HTTP server, without a socket: a connection to 127.0.0.1:8080 or
/// [::1]:8080.
@Suite struct AgentHTTPHostCheckTests {
    private static func verdict(
        _ hosts: [String],
        version: HTTPVersion = .http1_1,
        localAddress: String = "127.0.0.1",
        allowing names: [String] = []
    ) throws -> AgentHTTPHostCheck.Verdict {
        let head = HTTPRequestHead(
            version: version,
            method: .GET,
            uri: "/metrics",
            headers: HTTPHeaders(hosts.map { ("Host", $0) })
        )
        let address = try SocketAddress(ipAddress: localAddress, port: 8080)
        return AgentHTTPHostCheck(allowedHostNames: names).verdict(on: head, localAddress: address)
    }

    @Test(arguments: [
        "localhost", "localhost:8080", "LocalHost:8080", "127.0.0.1", "127.0.0.1:8080", "[::1]", "[::1]:8080",
    ])
    func acceptsLoopbackNamesWithTheServersPortOrNone(host: String) throws {
        #expect(try Self.verdict([host]) == .allowed)
    }

    @Test(arguments: [
        "rebind.example", "rebind.example:8080", "localhost:8081", "127.0.0.1:80", "localhost:", "localhost:+8080",
        "localhost:08080x", "[::1", "[::1]8080", ":8080", "127.0.0.2", "0x7f000001", "localhost.",
    ])
    func refusesEveryOtherHost(host: String) throws {
        #expect(try Self.verdict([host]) == .misdirected)
    }

    @Test func acceptsTheAddressTheConnectionArrivedOn() throws {
        #expect(try Self.verdict(["10.1.2.3:8080"], localAddress: "10.1.2.3") == .allowed)
        #expect(try Self.verdict(["10.1.2.4:8080"], localAddress: "10.1.2.3") == .misdirected)
        #expect(try Self.verdict(["[fd00::7]:8080"], localAddress: "fd00::7") == .allowed)
    }

    @Test func acceptsTheNamesTheAgentAllows() throws {
        #expect(try Self.verdict(["node7.internal:8080"], allowing: ["Node7.Internal"]) == .allowed)
        #expect(try Self.verdict(["node8.internal:8080"], allowing: ["Node7.Internal"]) == .misdirected)
    }

    @Test func needsExactlyOneHostFromHTTP11On() throws {
        #expect(try Self.verdict([]) == .missingOrRepeated)
        #expect(try Self.verdict(["localhost", "localhost"]) == .missingOrRepeated)
        #expect(try Self.verdict([], version: .http1_0) == .allowed)
        #expect(try Self.verdict(["rebind.example"], version: .http1_0) == .misdirected)
    }
}
