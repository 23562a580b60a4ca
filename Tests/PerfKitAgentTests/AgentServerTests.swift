import Foundation
import PerfKit
import PerfKitTestKit
import Testing

@testable import PerfKitAgent

@Suite(.timeLimit(.minutes(1))) struct AgentServerTests {
    // MARK: - Fixtures

    /// A fresh directory under /tmp, short enough for Unix socket paths.
    struct TemporaryDirectory: ~Copyable {
        let path: String

        init() throws {
            self.path = "/tmp/perftop-test-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            try FileManager.default.createDirectory(
                atPath: self.path,
                withIntermediateDirectories: false,
                attributes: [.posixPermissions: 0o700]
            )
        }

        var socketPath: String {
            self.path + "/a.sock"
        }

        var contents: [String] {
            (try? FileManager.default.contentsOfDirectory(atPath: self.path).sorted()) ?? []
        }

        deinit {
            try? FileManager.default.removeItem(atPath: self.path)
        }
    }

    /// A client of the agent's line protocol on a ``BlockingSocket``.
    final class LineClient {
        private let socket: BlockingSocket

        init(path: String) throws {
            self.socket = try BlockingSocket(unixPath: path)
        }

        func send(_ text: String) throws {
            try self.socket.send(text)
        }

        /// The next line without its newline, or `nil` when the server closed the connection.
        func readLine() async throws -> String? {
            while true {
                if let newline = self.socket.pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: self.socket.pending[..<newline], as: UTF8.self)
                    self.socket.pending.removeSubrange(...newline)
                    return line
                }
                guard try await self.socket.fill() else {
                    return nil
                }
            }
        }

        func requestSnapshot() async throws -> Snapshot {
            try self.send(AgentProtocol.snapshotRequest + "\n")
            let line = try #require(try await self.readLine())
            return try Snapshot.decode(jsonLine: Data(line.utf8))
        }

        func readError() async throws -> AgentErrorResponse {
            let line = try #require(try await self.readLine())
            return try JSONDecoder().decode(AgentErrorResponse.self, from: Data(line.utf8))
        }
    }

    private func makeRegistry() -> (MetricsRegistry, Cache<String, Int>) {
        let registry = MetricsRegistry()
        let cache = Cache<String, Int>(name: "users", capacity: 8)
        cache.setValue(1, forKey: "a")
        _ = cache.value(forKey: "a")
        _ = cache.value(forKey: "b")
        registry.register(cache)
        return (registry, cache)
    }

    private func fileStatus(_ path: String) throws -> stat {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            throw BlockingSocket.SocketError(operation: "lstat", code: errno)
        }
        return status
    }

    // MARK: - Serving

    @Test func servesSnapshotsOnAPrivateSocket() async throws {
        let directory = try TemporaryDirectory()
        let (registry, cache) = self.makeRegistry()
        let server = try await AgentServer.start(path: directory.socketPath, registry: registry, agentName: "test")

        let status = try self.fileStatus(directory.socketPath)
        #expect(status.st_mode & S_IFMT == S_IFSOCK)
        #expect(status.st_mode & 0o777 == 0o600)
        #expect(directory.contents == ["a.sock"])
        #expect(server.path == directory.socketPath)

        let client = try LineClient(path: directory.socketPath)
        let first = try await client.requestSnapshot()
        #expect(first.agent == "test")
        #expect(first.pid == getpid())
        #expect(first.samples == cache.collectSamples())

        _ = cache.value(forKey: "a")
        let second = try await client.requestSnapshot()
        let hits = samples(named: "cache_hits_total", in: second.samples)
        #expect(hits[["cache": "users"]]?.value == 2)

        try await server.shutdown()
        #expect(!FileManager.default.fileExists(atPath: directory.socketPath))
        #expect(directory.contents.isEmpty)
        #expect(try await client.readLine() == nil)
        try await server.shutdown()
    }

    #if os(Linux)
        @Test func marksItsSocketsCloseOnExec() async throws {
            let directory = try TemporaryDirectory()
            let (registry, _) = self.makeRegistry()
            let server = try await AgentServer.start(path: directory.socketPath, registry: registry, agentName: "test")
            let client = try LineClient(path: directory.socketPath)
            _ = try await client.requestSnapshot()

            let descriptors = try Self.socketDescriptors(boundUnder: directory.path)
            #expect(descriptors.count == 2, "the listening socket and the accepted connection")
            for descriptor in descriptors {
                #expect(fcntl(descriptor, F_GETFD) & FD_CLOEXEC != 0)
            }
            try await server.shutdown()
        }

        /// This process's Unix sockets whose bound path (as /proc/net/unix shows it: where the socket was
        /// bound, before any rename) is under `directory`; accepted connections share their listener's path.
        static func socketDescriptors(boundUnder directory: String) throws -> [Int32] {
            let table = try ProcFile.read("/proc/net/unix")
            let inodes = Set(
                table.split(separator: "\n").dropFirst().compactMap { row -> Substring? in
                    let fields = row.split(separator: " ")
                    return fields.count > 7 && fields[7].hasPrefix(directory + "/") ? fields[6] : nil
                }
            )
            return try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap { entry in
                guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + entry),
                    link.hasPrefix("socket:["),
                    inodes.contains(link.dropFirst("socket:[".count).dropLast())
                else {
                    return nil
                }
                return Int32(entry)
            }
        }
    #endif

    @Test func acceptsRequestsSplitAcrossWritesAndCRLF() async throws {
        let directory = try TemporaryDirectory()
        let (registry, _) = self.makeRegistry()
        let server = try await AgentServer.start(path: directory.socketPath, registry: registry, agentName: "split")

        let client = try LineClient(path: directory.socketPath)
        try client.send(#"{"request":"snap"#)
        try client.send("shot\"}\r\n")
        let line = try #require(try await client.readLine())
        #expect(try Snapshot.decode(jsonLine: Data(line.utf8)).agent == "split")

        try await server.shutdown()
    }

    @Test func answersBadRequestsWithAnErrorLineAndKeepsTheConnection() async throws {
        let directory = try TemporaryDirectory()
        let (registry, _) = self.makeRegistry()
        let server = try await AgentServer.start(path: directory.socketPath, registry: registry, agentName: "test")
        let client = try LineClient(path: directory.socketPath)

        try client.send(#"{"request":"bogus"}"# + "\n")
        let unknown = try await client.readError()
        #expect(unknown.schema == "perftop.error")
        #expect(unknown.version == 1)
        #expect(unknown.error == #"unknown request "bogus""#)

        try client.send("not json\n")
        #expect(try await client.readError().error == "request is not a JSON object")

        try client.send("\n")
        #expect(try await client.readError().error == "request is not a JSON object")

        #expect(try await client.requestSnapshot().agent == "test")
        try await server.shutdown()
    }

    @Test func closesTheConnectionAfterAnOverlongLine() async throws {
        let directory = try TemporaryDirectory()
        let (registry, _) = self.makeRegistry()
        let server = try await AgentServer.start(path: directory.socketPath, registry: registry, agentName: "test")
        let client = try LineClient(path: directory.socketPath)

        try client.send(String(repeating: " ", count: AgentProtocol.maxRequestLineBytes) + "\n")
        #expect(try await client.readError().error == "request is not a JSON object")
        #expect(try await client.requestSnapshot().agent == "test")

        try client.send(String(repeating: "x", count: AgentProtocol.maxRequestLineBytes + 1) + "\n")
        #expect(try await client.readError().error.contains("longer than 4096 bytes"))
        #expect(try await client.readLine() == nil)

        try await server.shutdown()
    }

    @Test func closesIdleConnections() async throws {
        let directory = try TemporaryDirectory()
        let (registry, _) = self.makeRegistry()
        let server = try await AgentServer.start(
            path: directory.socketPath,
            registry: registry,
            agentName: "test",
            idleTimeout: .milliseconds(50)
        )
        let client = try LineClient(path: directory.socketPath)

        #expect(try await client.readLine() == nil)
        try await server.shutdown()
    }

    // MARK: - The socket path

    @Test func replacesAStaleSocket() async throws {
        let directory = try TemporaryDirectory()
        let stale = try BlockingSocket.makeSocket(family: AF_UNIX)
        #expect(withSocketAddress(directory.socketPath) { bind(stale, $0, $1) } == 0)
        close(stale)
        let staleInode = try self.fileStatus(directory.socketPath).st_ino

        let (registry, _) = self.makeRegistry()
        let server = try await AgentServer.start(path: directory.socketPath, registry: registry, agentName: "fresh")

        #expect(try self.fileStatus(directory.socketPath).st_ino != staleInode)
        #expect(try await LineClient(path: directory.socketPath).requestSnapshot().agent == "fresh")
        try await server.shutdown()
    }

    @Test func refusesASocketAnAgentAnswersOn() async throws {
        let directory = try TemporaryDirectory()
        let (registry, _) = self.makeRegistry()
        let first = try await AgentServer.start(path: directory.socketPath, registry: registry, agentName: "first")

        await #expect(throws: AgentServerError.alreadyInUse(path: directory.socketPath)) {
            _ = try await AgentServer.start(path: directory.socketPath, registry: registry, agentName: "second")
        }

        #expect(try await LineClient(path: directory.socketPath).requestSnapshot().agent == "first")
        #expect(directory.contents == ["a.sock"])
        try await first.shutdown()
    }

    @Test func refusesARegularFileAndLeavesItIntact() async throws {
        let directory = try TemporaryDirectory()
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: directory.socketPath))
        let (registry, _) = self.makeRegistry()

        await #expect(throws: AgentServerError.notASocket(path: directory.socketPath, found: "a regular file")) {
            _ = try await AgentServer.start(path: directory.socketPath, registry: registry, agentName: "test")
        }

        #expect(try String(contentsOfFile: directory.socketPath, encoding: .utf8) == "keep me")
        #expect(directory.contents == ["a.sock"])
    }

    @Test func refusesADirectory() async throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.socketPath, withIntermediateDirectories: false)
        let (registry, _) = self.makeRegistry()

        do {
            _ = try await AgentServer.start(path: directory.socketPath, registry: registry, agentName: "test")
            Issue.record("started over a directory")
        } catch let error as AgentServerError {
            #expect(error == .notASocket(path: directory.socketPath, found: "a directory"))
            #expect(error.description.contains(directory.socketPath))
            #expect(!error.description.contains("\n"))
        }
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: directory.socketPath, isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
    }

    @Test func refusesAPathTooLongForASocketAddress() async throws {
        let path = "/tmp/" + String(repeating: "p", count: 120) + ".sock"
        await #expect {
            _ = try await AgentServer.start(path: path, registry: MetricsRegistry(), agentName: "test")
        } throws: { error in
            (error as? AgentServerError)?.kind == .pathTooLong && "\(error)".contains(path)
        }
    }

    @Test func reportsAMissingDirectory() async throws {
        let path = "/tmp/perftop-test-missing-\(UInt32.random(in: 0...UInt32.max))/a.sock"
        await #expect {
            _ = try await AgentServer.start(path: path, registry: MetricsRegistry(), agentName: "test")
        } throws: { error in
            (error as? AgentServerError)?.kind == .systemCallFailed && "\(error)".contains(path)
        }
    }

    // MARK: - Responses

    @Test(
        arguments: [
            (#"{"request":5}"#, #"the "request" field is not a string"#),
            (#"{"other":"snapshot"}"#, #"request has no "request" field"#),
            (#"["snapshot"]"#, "request is not a JSON object"),
            (#"{"request":"x\ny"}"#, #"unknown request "x y""#),
        ]
    )
    func explainsWhyARequestFailed(request: String, reason: String) throws {
        let responder = AgentResponder(registry: MetricsRegistry(), agentName: "test")
        let response = responder.response(toRequestLine: Array(request.utf8))
        #expect(response.last == UInt8(ascii: "\n"))
        #expect(response.dropLast().contains(UInt8(ascii: "\n")) == false)
        let error = try JSONDecoder().decode(AgentErrorResponse.self, from: Data(response.dropLast()))
        #expect(error.error == reason)
    }
}

// MARK: - POSIX helpers

private func withSocketAddress(
    _ path: String,
    _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32
) -> Int32 {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
}
