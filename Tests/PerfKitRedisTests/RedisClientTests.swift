import PerfKitRedis
import ServerTestKit
import Testing

/// The client against a real `redis-server` from Debian's packages on 127.0.0.1 (skipped, saying why,
/// when it is not installed): commands, pipelining, the pool, passwords, and servers that refuse, hang
/// or restart. No assertion depends on elapsed time.
@Suite(.timeLimit(.minutes(1)))
struct RedisClientTests {
    static let isInstalled = ServerTestProcess.isInstalled("/usr/bin/redis-server")
    static let skipReason: Comment = "redis-server is not installed (apt install redis-server; .ci/run does it as root)"

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func setsGetsAndDeletes() async throws {
        let server = try await ServerTestProcess.redis()
        defer { server.stop() }
        let client = RedisClient(host: "127.0.0.1", port: server.port)
        defer { client.close() }
        let binary: [UInt8] = [0, 13, 10, 255, 36]
        try await client.set("k", to: binary, timeout: .mustSucceed)
        #expect(try await client.get("k", timeout: .mustSucceed) == binary, "values are binary-safe")
        #expect(try await client.get("missing", timeout: .mustSucceed) == nil)
        #expect(try await client.delete(["k", "missing"], timeout: .mustSucceed) == 1)
        #expect(try await client.get("k", timeout: .mustSucceed) == nil)
    }

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func setWithAnExpiryGivesTheKeyATimeToLive() async throws {
        let server = try await ServerTestProcess.redis()
        defer { server.stop() }
        let client = RedisClient(host: "127.0.0.1", port: server.port)
        defer { client.close() }
        try await client.set("k", to: Array("v".utf8), expiry: .seconds(60), timeout: .mustSucceed)
        try await client.set("forever", to: Array("v".utf8), timeout: .mustSucceed)
        let ttls = try await client.pipeline(
            [["PTTL", "k"], ["PTTL", "forever"]].map { $0.map { Array($0.utf8) } },
            timeout: .mustSucceed
        )
        guard case .integer(let milliseconds) = ttls[0] else {
            Issue.record("PTTL answered \(ttls[0])")
            return
        }
        #expect((1...60_000).contains(milliseconds))
        #expect(ttls[1] == .integer(-1), "no expiry")
    }

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func concurrentCallsArePipelinedAndEachGetsItsOwnReply() async throws {
        let server = try await ServerTestProcess.redis()
        defer { server.stop() }
        let client = RedisClient(host: "127.0.0.1", port: server.port, connections: 2)
        defer { client.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await client.set("key\(index)", to: Array("value\(index)".utf8), timeout: .mustSucceed)
                }
            }
            try await group.waitForAll()
        }
        try await withThrowingTaskGroup(of: (Int, [UInt8]?).self) { group in
            for index in 0..<200 {
                group.addTask { (index, try await client.get("key\(index)", timeout: .mustSucceed)) }
            }
            for try await (index, value) in group {
                #expect(value == Array("value\(index)".utf8))
            }
        }
        let clients = try await server.send("CLIENT LIST\r\n") { $0.hasSuffix("\r\n") && $0.contains("cmd=client") }
        // Two pooled connections and the test's own.
        #expect(clients.split(separator: "\n").filter { $0.contains("id=") }.count == 3)
    }

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func errorRepliesAndPasswords() async throws {
        let server = try await ServerTestProcess.redis(password: "s3cret")
        defer { server.stop() }
        let without = RedisClient(host: "127.0.0.1", port: server.port)
        defer { without.close() }
        await #expect(throws: RedisError(.replyError, reason: "NOAUTH Authentication required.")) {
            try await without.get("k", timeout: .mustSucceed)
        }
        let wrong = RedisClient(host: "127.0.0.1", port: server.port, password: "wrong")
        defer { wrong.close() }
        let refused = await #expect(throws: RedisError.self) { try await wrong.get("k", timeout: .mustSucceed) }
        #expect(refused?.kind == .replyError)
        let client = RedisClient(host: "127.0.0.1", port: server.port, password: "s3cret")
        defer { client.close() }
        try await client.set("list", to: [1], timeout: .mustSucceed)
        #expect(try await client.get("list", timeout: .mustSucceed) == [1])
        _ = try await client.pipeline(
            [["DEL", "list"], ["LPUSH", "list", "x"]].map { $0.map { Array($0.utf8) } },
            timeout: .mustSucceed
        )
        let wrongType = await #expect(throws: RedisError.self) { try await client.get("list", timeout: .mustSucceed) }
        #expect(wrongType?.kind == .replyError)
        #expect(wrongType?.reason.hasPrefix("WRONGTYPE") == true)
    }

    @Test func aRefusedConnectionFailsAtOnce() async throws {
        let port = try await ServerTestProcess.freePort()
        let client = RedisClient(host: "127.0.0.1", port: port)
        defer { client.close() }
        let error = await #expect(throws: RedisError.self) { try await client.get("k", timeout: .mustSucceed) }
        #expect(error?.kind == .connectionClosed)
        #expect(error?.description == "redis: connection closed: connection refused")
    }

    @Test func aHungServerTimesOut() async throws {
        let hung = try await SilentTCPServer()
        let client = RedisClient(host: "127.0.0.1", port: hung.port)
        let error = await #expect(throws: RedisError.self) { try await client.get("k", timeout: .milliseconds(200)) }
        #expect(error?.kind == .timedOut)
        client.close()
        await hung.stop()
    }

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func reconnectsAfterTheServerRestarts() async throws {
        let server = try await ServerTestProcess.redis()
        defer { server.stop() }
        let client = RedisClient(host: "127.0.0.1", port: server.port, connections: 1)
        defer { client.close() }
        try await client.set("k", to: [1], timeout: .mustSucceed)
        server.kill()
        let broken = await #expect(throws: RedisError.self) { try await client.get("k", timeout: .mustSucceed) }
        #expect(broken?.kind == .connectionClosed)
        try await server.restart()
        // The server kept nothing (no persistence); the client opened a new connection by itself.
        #expect(try await client.get("k", timeout: .mustSucceed) == nil)
        try await client.set("k", to: [2], timeout: .mustSucceed)
        #expect(try await client.get("k", timeout: .mustSucceed) == [2])
    }

    @Test func aClosedClientRefusesCalls() async throws {
        let client = RedisClient(host: "127.0.0.1", port: 1)
        client.close()
        let error = await #expect(throws: RedisError.self) { try await client.get("k", timeout: .seconds(1)) }
        #expect(error?.kind == .closed)
    }
}
