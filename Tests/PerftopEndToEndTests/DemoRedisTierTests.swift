import Foundation
import ServerTestKit
import Testing

/// `perftop demo --redis` in a real terminal (tmux) against a real `redis-server` (skipped, saying why,
/// without it): the profiles cache appears, says `redis down` when the server is killed, and comes back
/// when it restarts, the demo running on throughout.
@Suite("The demo's Redis tier in tmux", .serialized, .timeLimit(.minutes(2)))
struct DemoRedisTierTests {
    static let isInstalled = ServerTestProcess.isInstalled("/usr/bin/redis-server")
    static let skipReason: Comment = "redis-server is not installed (apt install redis-server; .ci/run does it as root)"

    @Test(.enabled(if: Self.isInstalled, Self.skipReason))
    func theCachePaneShowsTheTierGoingDownAndComingBack() async throws {
        let redis = try await ServerTestProcess.redis()
        defer { redis.stop() }
        let directory = try PerftopProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let tmux = try await TmuxSession.start(columns: 200, rows: 50, environment: ["XDG_CONFIG_HOME": directory])
        try await tmux.type(
            "\(PerftopProcess.executablePath) demo --interval 0.5 --redis redis://127.0.0.1:\(redis.port); echo EXIT=$?"
        )
        #expect(try await tmux.waitFor("│profiles "), "the profiles cache is listed")
        let keys = try await redis.send("DBSIZE\r\n") { $0.hasSuffix("\r\n") }
        #expect(keys != ":0\r\n", "the demo wrote profiles to Redis")

        redis.kill()
        let down = try await tmux.waitFor("profiles redis down")
        let downScreen = try await tmux.screen()
        #expect(down, "the tier is shown down:\n\(downScreen)")
        try await redis.restart()
        let back = try await tmux.waitForAbsence(of: "redis down")
        let backScreen = try await tmux.screen()
        #expect(back, "the breaker closed again:\n\(backScreen)")
        try await tmux.send("q")
        #expect(try await tmux.waitFor("EXIT=0"))
        await tmux.close()
    }
}
