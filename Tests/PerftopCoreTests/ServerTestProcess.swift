import Foundation
import NIOCore
import NIOPosix
import Testing

/// A real server from Debian's packages (`redis-server`, `memcached`) started for a test on a free
/// port of 127.0.0.1 with a temporary directory of its own, and killed by ``stop()``.
///
/// Tests that need one skip, saying why, when the program is not installed (`.ci/run` installs them
/// when it runs as root).
final class ServerTestProcess {
    private let process = Process()
    /// The server's working directory, removed by ``stop()``.
    let directory: URL
    /// The port the server listens on.
    let port: Int

    /// Whether the program at `path` is installed.
    static func isInstalled(_ path: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: path)
    }

    /// Starts `path` with the arguments `arguments(port, directory)` makes, and returns once it accepts
    /// connections.
    init(_ path: String, arguments: (_ port: Int, _ directory: String) -> [String]) async throws {
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("perftop-server-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        // Borrow a free port from the kernel; the race with another process taking it is acceptable in a test.
        let probe = try await HTTPTestServer(.hang)
        self.port = probe.port
        await probe.stop()
        self.process.executableURL = URL(fileURLWithPath: path)
        self.process.arguments = arguments(self.port, self.directory.path)
        self.process.currentDirectoryURL = self.directory
        self.process.standardOutput = FileHandle.nullDevice
        self.process.standardError = FileHandle.nullDevice
        try self.process.run()
        do {
            try await OpenSSLTestServer.waitUntilListening(port: self.port)
        } catch {
            self.stop()
            throw error
        }
    }

    /// A `redis-server` without persistence; `password` sets `requirepass`, `maxmemory` its bound
    /// (with `allkeys-lru` eviction).
    static func redis(password: String? = nil, maxmemory: String? = nil) async throws -> ServerTestProcess {
        try await ServerTestProcess("/usr/bin/redis-server") { port, directory in
            ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory]
                + (password.map { ["--requirepass", $0] } ?? [])
                + (maxmemory.map { ["--maxmemory", $0, "--maxmemory-policy", "allkeys-lru"] } ?? [])
        }
    }

    /// A `memcached` of `megabytes` MiB, TCP only.
    static func memcached(megabytes: Int = 16) async throws -> ServerTestProcess {
        try await ServerTestProcess("/usr/bin/memcached") { port, _ in
            ["-l", "127.0.0.1", "-p", "\(port)", "-U", "0", "-m", "\(megabytes)", "-u", "nobody"]
        }
    }

    /// Sends `text` on a new connection and returns what the server answered once `isComplete` says the
    /// answer is whole: how a test drives known traffic through the server.
    func send(_ text: String, until isComplete: @escaping @Sendable (String) -> Bool) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: self.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: text))
            var answer = ""
            for try await buffer in inbound {
                answer += String(buffer: buffer)
                if isComplete(answer) {
                    break
                }
            }
            return answer
        }
    }

    /// Kills the server and removes its directory.
    func stop() {
        kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
        try? FileManager.default.removeItem(at: self.directory)
    }
}

/// A TCP server on 127.0.0.1 that accepts connections and never answers: a hung server.
final class SilentTCPServer {
    private let channel: any Channel
    /// The port it listens on.
    let port: Int

    init() async throws {
        self.channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        self.port = try #require(self.channel.localAddress?.port)
    }

    func stop() async {
        try? await self.channel.close()
    }
}
