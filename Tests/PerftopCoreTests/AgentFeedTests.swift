import Dispatch
import Foundation
import NIOCore
import PerfKit
import PerfKitAgent
import Synchronization
import Testing

@testable import PerftopCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct AgentFeedTests {
    private static func snapshotLine(version: Int = 1) throws -> String {
        var snapshot = Snapshot(
            agent: "test",
            pid: 7,
            timestamp: 1_700_000_000,
            samples: [Sample(name: "cache_hits_total", labels: ["cache": "users"], kind: .counter, value: 42)]
        )
        snapshot.version = version
        return String(decoding: try snapshot.jsonLine(), as: UTF8.self) + "\n"
    }

    /// The timeout of a poll that should answer: a bound, not a measurement. Generous, because a full
    /// test run on two cores can leave a poll waiting seconds for a thread (5 s once timed out).
    static let answerTimeout: Duration = .seconds(30)

    /// Polls once and returns the failure reason, or `nil` when the poll succeeded.
    private static func reason(polling feed: some Feed, timeout: Duration = Self.answerTimeout) async -> String? {
        await failureReason(polling: feed, timeout: timeout)
    }

    // MARK: - Answers

    @Test func returnsTheSamplesOfAValidSnapshot() async throws {
        let listener = try TestListener(.reply(try Self.snapshotLine(), thenClose: false))
        defer { listener.stop() }
        let feed = AgentFeed(path: listener.path)
        #expect(feed.name == "agent:\(listener.path)")
        let samples = try await feed.poll(timeout: Self.answerTimeout)
        #expect(samples == [Sample(name: "cache_hits_total", labels: ["cache": "users"], kind: .counter, value: 42)])
    }

    @Test func sendsTheSnapshotRequestLine() async throws {
        let listener = try TestListener(.reply(try Self.snapshotLine(), thenClose: false))
        defer { listener.stop() }
        _ = try await AgentFeed(path: listener.path).poll(timeout: Self.answerTimeout)
        #expect(listener.requests == [#"{"request":"snapshot"}"#])
    }

    @Test func reportsGarbage() async throws {
        let listener = try TestListener(.reply("hello\n", thenClose: false))
        defer { listener.stop() }
        #expect(await Self.reason(polling: AgentFeed(path: listener.path)) == "malformed snapshot: not a JSON object")
    }

    @Test func reportsAnUnsupportedVersion() async throws {
        let listener = try TestListener(.reply(try Self.snapshotLine(version: 2), thenClose: false))
        defer { listener.stop() }
        #expect(
            await Self.reason(polling: AgentFeed(path: listener.path))
                == "schema perftop.snapshot v2 not supported (this perftop reads v1)"
        )
    }

    @Test func surfacesTheAgentsErrorAnswer() async throws {
        let answer = String(decoding: try AgentErrorResponse(error: "registry is closed").jsonLine(), as: UTF8.self)
        let listener = try TestListener(.reply(answer + "\n", thenClose: false))
        defer { listener.stop() }
        #expect(await Self.reason(polling: AgentFeed(path: listener.path)) == "registry is closed")
    }

    @Test func cleansAnErrorAnswerForTheStatusLine() async throws {
        let long = String(repeating: "x", count: 500)
        let line = #"{"error":"a\tb\u001b[2J"# + long + #"","schema":"perftop.error","version":1}"# + "\n"
        let listener = try TestListener(.reply(line, thenClose: false))
        defer { listener.stop() }
        let reason = try #require(await Self.reason(polling: AgentFeed(path: listener.path)))
        #expect(reason.hasPrefix(#"a\u{9}b\u{1B}[2Jxxx"#))
        #expect(reason.count == SafeText.maximumReasonLength)
        #expect(!reason.unicodeScalars.contains(where: SafeText.isUnsafe))
    }

    // MARK: - Bounds

    @Test func timesOutOnASilentAgent() async throws {
        let listener = try TestListener(.silent)
        defer { listener.stop() }
        let reason = await Self.reason(polling: AgentFeed(path: listener.path), timeout: .milliseconds(300))
        #expect(reason == "timeout after 0.3s")
    }

    @Test func refusesAnAnswerOverTheLimit() async throws {
        let listener = try TestListener(.reply(String(repeating: "x", count: 4096), thenClose: false))
        defer { listener.stop() }
        let feed = AgentFeed(path: listener.path, maximumResponseBytes: 1024)
        #expect(await Self.reason(polling: feed) == "response larger than 1024 bytes")
    }

    @Test func acceptsAnAnswerOfExactlyTheLimit() async throws {
        let line = try Self.snapshotLine()
        let listener = try TestListener(.reply(line, thenClose: false))
        defer { listener.stop() }
        let length = line.utf8.count - 1
        let exact = AgentFeed(path: listener.path, maximumResponseBytes: length)
        #expect(try await exact.poll(timeout: Self.answerTimeout).count == 1)
        let short = AgentFeed(path: listener.path, maximumResponseBytes: length - 1)
        #expect(await Self.reason(polling: short) == "response larger than \(length - 1) bytes")
    }

    @Test func readsAnAnswerThatArrivesInPieces() async throws {
        let line = try Self.snapshotLine()
        let listener = try TestListener(.replyInPieces(line, size: 97))
        defer { listener.stop() }
        #expect(try await AgentFeed(path: listener.path).poll(timeout: Self.answerTimeout).count == 1)

        let length = line.utf8.count - 1
        let short = try TestListener(.replyInPieces(line, size: 97))
        defer { short.stop() }
        let feed = AgentFeed(path: short.path, maximumResponseBytes: length - 1)
        #expect(await Self.reason(polling: feed) == "response larger than \(length - 1) bytes")
    }

    @Test func reportsAConnectionClosedMidLine() async throws {
        let listener = try TestListener(.reply(#"{"schema":"perftop.snap"#, thenClose: true))
        defer { listener.stop() }
        #expect(await Self.reason(polling: AgentFeed(path: listener.path)) == "connection closed before a full line")
    }

    @Test func stopsWhenTheTaskIsCancelled() async throws {
        let listener = try TestListener(.silent)
        defer { listener.stop() }
        let feed = AgentFeed(path: listener.path)
        let poll = Task { try await feed.poll(timeout: .seconds(60)) }
        poll.cancel()
        await #expect(throws: CancellationError.self) {
            try await poll.value
        }
    }

    /// Cancelled while the agent holds its answer: the poll ends with `CancellationError` long before
    /// its deadline, and the next poll opens a new connection (a late answer on the old one is
    /// never read as the next).
    @Test func stopsAPollInFlightWhenTheTaskIsCancelled() async throws {
        let listener = try TestListener(.silent)
        defer { listener.stop() }
        let feed = AgentFeed(path: listener.path)
        let poll = Task { try await feed.poll(timeout: .seconds(60)) }
        while listener.requests.isEmpty {
            try await Task.sleep(for: .milliseconds(5))
        }
        poll.cancel()
        await #expect(throws: CancellationError.self) {
            try await poll.value
        }
        let next = Task { try await feed.poll(timeout: .seconds(60)) }
        while listener.requests.count < 2 {
            try await Task.sleep(for: .milliseconds(5))
        }
        next.cancel()
        _ = try? await next.value
        #expect(feed.connectAttempts.load(ordering: .relaxed) == 2)
    }

    // MARK: - Paths

    @Test func reportsAMissingSocket() async throws {
        let directory = try TestListener.makeTemporaryDirectory()
        defer { rmdir(directory) }
        let path = directory + "/a.sock"
        #expect(await Self.reason(polling: AgentFeed(path: path)) == "no such socket: \(path)")
        #expect(throws: FeedError("no such socket: \(path)")) { try AgentFeed.validate(path: path) }
    }

    @Test func reportsARegularFile() async throws {
        let directory = try TestListener.makeTemporaryDirectory()
        let path = directory + "/a.sock"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
        defer {
            unlink(path)
            rmdir(directory)
        }
        #expect(await Self.reason(polling: AgentFeed(path: path)) == "not a socket: \(path)")
        #expect(throws: FeedError("not a socket: \(path)")) { try AgentFeed.validate(path: path) }
    }

    @Test func reportsASocketNobodyListensOn() async throws {
        let listener = try TestListener(.bindOnly)
        defer { listener.stop() }
        #expect(await Self.reason(polling: AgentFeed(path: listener.path)) == "connection refused")
        try AgentFeed.validate(path: listener.path)
    }

    @Test(.enabled(if: getuid() != 0, "root may connect to any socket"))
    func reportsPermissionDenied() async throws {
        let listener = try TestListener(.silent)
        defer { listener.stop() }
        chmod(listener.path, 0)
        #expect(await Self.reason(polling: AgentFeed(path: listener.path)) == "permission denied")
    }

    @Test func mapsConnectErrorsToShortReasons() {
        let path = "/tmp/x/a.sock"
        func reason(_ error: any Error) -> String {
            "\(AgentFeed.connectFailure(error, path: path, timeout: .seconds(1)))"
        }
        #expect(reason(IOError(errnoCode: EACCES, reason: "connect")) == "permission denied")
        #expect(reason(IOError(errnoCode: ENOENT, reason: "connect")) == "no such socket: \(path)")
        #expect(reason(ChannelError.connectTimeout(.seconds(1))) == "timeout after 1.0s")
        #expect(reason(SocketAddressError.unixDomainSocketPathTooLong) == "socket path too long: \(path)")
    }

    @Test func rejectsAPathTooLongForASocket() {
        let path = "/tmp/" + String(repeating: "d", count: 120) + "/a.sock"
        #expect(throws: FeedError("socket path too long: \(path)")) { try AgentFeed.validate(path: path) }
    }

    // MARK: - Ownership

    /// Another user could have bound the path first (a squatted `/tmp/agent.sock`): nothing is sent.
    @Test(.enabled(if: geteuid() == 0, "only root can give a socket to another user"))
    func refusesASocketOwnedByAnotherUser() async throws {
        let listener = try TestListener(.reply(try Self.snapshotLine(), thenClose: false))
        defer { listener.stop() }
        #expect(chown(listener.path, 1001, 1001) == 0)
        let reason = "socket \(listener.path) is owned by uid 1001, not you or root"
        #expect(await Self.reason(polling: AgentFeed(path: listener.path)) == reason)
        #expect(throws: FeedError(reason)) { try AgentFeed.validate(path: listener.path) }
        #expect(listener.requests.isEmpty, "the request went to the squatter")
    }

    /// The socket file is root's, but the process answering on it is not: only its credentials tell.
    @Test(.enabled(if: geteuid() == 0 && ForeignAgent.isAvailable, "runs an agent as nobody, which needs root"))
    func refusesAnAgentRunningAsAnotherUser() async throws {
        let agent = try await ForeignAgent(uid: 65534, answer: try Self.snapshotLine())
        defer { agent.stop() }
        #expect(chown(agent.path, 0, 0) == 0)
        try AgentFeed.validate(path: agent.path)
        let reason = await Self.reason(polling: AgentFeed(path: agent.path))
        #expect(reason == "agent on \(agent.path) runs as uid 65534, not you or root")
        let trusting = AgentFeed(path: agent.path, trustedOwners: [65534])
        #expect(try await trusting.poll(timeout: Self.answerTimeout).count == 1, "--allow-socket-owner 65534")
        trusting.disconnect()
    }

    @Test(.enabled(if: geteuid() == 0, "only root can give a socket to another user"))
    func readsASocketOfAnAllowedOwner() async throws {
        let listener = try TestListener(.reply(try Self.snapshotLine(), thenClose: false))
        defer { listener.stop() }
        #expect(chown(listener.path, 1001, 1001) == 0)
        try AgentFeed.validate(path: listener.path, trustedOwners: [1001])
        #expect(throws: FeedError("socket \(listener.path) is owned by uid 1001, not you, root or an allowed owner")) {
            try AgentFeed.validate(path: listener.path, trustedOwners: [1002])
        }
        let feed = AgentFeed(path: listener.path, trustedOwners: [1001])
        #expect(try await feed.poll(timeout: Self.answerTimeout).count == 1)
        feed.disconnect()
    }

    // MARK: - A real agent

    @Test func pollsARealAgentServer() async throws {
        let directory = try TestListener.makeTemporaryDirectory()
        defer { rmdir(directory) }
        let path = directory + "/a.sock"
        let registry = MetricsRegistry()
        registry.register(ProcessSampleSource())
        let server = try await AgentServer.start(path: path, registry: registry, agentName: "test")
        let feed = AgentFeed(path: path)
        do {
            let samples = try await feed.poll(timeout: Self.answerTimeout)
            let resident = samples.first { $0.name == "process_resident_memory_bytes" }
            #expect((resident?.value ?? 0) > 0)
        } catch {
            Issue.record("poll failed: \(error)")
        }
        try await server.shutdown()
    }

    @Test func reusesOneConnectionAcrossPolls() async throws {
        let directory = try TestListener.makeTemporaryDirectory()
        defer { rmdir(directory) }
        let path = directory + "/a.sock"
        let server = try await AgentServer.start(path: path, registry: MetricsRegistry(), agentName: "test")
        let feed = AgentFeed(path: path)
        for _ in 0..<3 {
            _ = try await feed.poll(timeout: Self.answerTimeout)
        }
        #expect(feed.connectAttempts.load(ordering: .relaxed) == 1)
        feed.disconnect()
        try await server.shutdown()
    }

    @Test func reconnectsToARestartedAgentWithBackoff() async throws {
        let directory = try TestListener.makeTemporaryDirectory()
        defer { rmdir(directory) }
        let path = directory + "/a.sock"
        let registry = MetricsRegistry()
        registry.register(ProcessSampleSource())
        let clock = Mutex<Double>(0)
        let feed = AgentFeed(
            path: path,
            reconnectBackoff: Backoff(initial: .seconds(1), maximum: .seconds(2)),
            now: { clock.withLockedValue { $0 } }
        )
        func attempts() -> Int { feed.connectAttempts.load(ordering: .relaxed) }
        func advance(_ seconds: Double) { clock.withLockedValue { $0 += seconds } }

        let first = try await AgentServer.start(path: path, registry: registry, agentName: "test")
        #expect(try await !feed.poll(timeout: Self.answerTimeout).isEmpty)
        try await first.shutdown()

        // The agent is gone: one attempt, then polls fail at once until the backoff has passed.
        #expect(await Self.reason(polling: feed) == "no such socket: \(path)")
        let afterFirstFailure = attempts()
        #expect(await Self.reason(polling: feed) == "no such socket: \(path)")
        #expect(attempts() == afterFirstFailure)
        advance(1)
        #expect(await Self.reason(polling: feed) == "no such socket: \(path)")
        #expect(attempts() == afterFirstFailure + 1)
        advance(1)
        #expect(await Self.reason(polling: feed) == "no such socket: \(path)")
        #expect(attempts() == afterFirstFailure + 1)

        // The agent is back: the next attempt the backoff allows reconnects, and the connection stays.
        let second = try await AgentServer.start(path: path, registry: registry, agentName: "test")
        advance(1)
        #expect(try await !feed.poll(timeout: Self.answerTimeout).isEmpty)
        #expect(try await !feed.poll(timeout: Self.answerTimeout).isEmpty)
        #expect(attempts() == afterFirstFailure + 2)
        feed.disconnect()
        try await second.shutdown()
    }

    @Test func replacesABrokenConnectionWithinThePoll() async throws {
        let directory = try TestListener.makeTemporaryDirectory()
        defer { rmdir(directory) }
        let path = directory + "/a.sock"
        let feed = AgentFeed(path: path)
        let first = try await AgentServer.start(path: path, registry: MetricsRegistry(), agentName: "test")
        _ = try await feed.poll(timeout: Self.answerTimeout)
        try await first.shutdown()
        let second = try await AgentServer.start(path: path, registry: MetricsRegistry(), agentName: "test")
        _ = try await feed.poll(timeout: Self.answerTimeout)
        #expect(feed.connectAttempts.load(ordering: .relaxed) == 2)
        feed.disconnect()
        try await second.shutdown()
    }

    // MARK: - Attach patterns

    @Test func expandsADirectoryAndAGlobToTheirSockets() async throws {
        let directory = try TestListener.makeTemporaryDirectory()
        let other = directory + "/notes.txt"
        #expect(FileManager.default.createFile(atPath: other, contents: Data("x".utf8)))
        let servers = [
            try await AgentServer.start(path: directory + "/b.sock", registry: MetricsRegistry(), agentName: "b"),
            try await AgentServer.start(path: directory + "/a.sock", registry: MetricsRegistry(), agentName: "a"),
        ]
        let sockets = [directory + "/a.sock", directory + "/b.sock"]
        #expect(try AgentFeed.socketPaths(matching: directory) == sockets)
        #expect(try AgentFeed.socketPaths(matching: directory + "/") == sockets)
        #expect(try AgentFeed.socketPaths(matching: directory + "/*.sock") == sockets)
        #expect(try AgentFeed.socketPaths(matching: directory + "/a.sock") == [directory + "/a.sock"])
        #expect(throws: FeedError("no sockets match \(directory)/*.json")) {
            try AgentFeed.socketPaths(matching: directory + "/*.json")
        }
        for server in servers {
            try await server.shutdown()
        }
        #expect(throws: FeedError("no sockets in \(directory)")) { try AgentFeed.socketPaths(matching: directory) }
        unlink(other)
        rmdir(directory)
    }

    @Test func attachesToEverySocketOfADirectoryThroughTheCollector() async throws {
        let directory = try TestListener.makeTemporaryDirectory()
        defer { rmdir(directory) }
        let registry = MetricsRegistry()
        registry.register(ProcessSampleSource())
        let servers = [
            try await AgentServer.start(path: directory + "/a.sock", registry: registry, agentName: "a"),
            try await AgentServer.start(path: directory + "/b.sock", registry: registry, agentName: "b"),
        ]
        let feeds = try AgentFeed.socketPaths(matching: directory).map { AgentFeed(path: $0) }
        // Generous: both agents answer, so only a loaded machine makes a poll take long (a full test
        // run on two cores once kept both polls waiting more than 10 s).
        let collector = Collector(feeds: feeds, configuration: Collector.Configuration(interval: .seconds(60)))
        await collector.collectOnce()
        #expect(collector.model.sources.map(\.name) == ["agent:\(directory)/a.sock", "agent:\(directory)/b.sock"])
        #expect(collector.model.sources.map(\.state) == [.ok, .ok])
        feeds.forEach { $0.disconnect() }
        for server in servers {
            try await server.shutdown()
        }
    }
}

// MARK: - Failure injection

/// A Unix socket listener that answers every connection in one fixed way, on a thread of its own.
///
/// It lives in `/tmp/perftop-test-XXXXXX/a.sock` so the path fits in a socket address.
final class TestListener: Sendable {
    /// How the listener treats a connection.
    enum Behaviour: Sendable {
        /// Reads the request line, writes `text`, then closes the connection or holds it open.
        case reply(String, thenClose: Bool)
        /// Reads the request line and writes `text` in pieces of `size` bytes a millisecond apart,
        /// so that they arrive as reads of their own; holds the connection open.
        case replyInPieces(String, size: Int)
        /// Reads the request line and never answers.
        case silent
        /// Binds the socket but never listens, so connections are refused.
        case bindOnly
    }

    let path: String
    private let directory: String
    private let descriptor: Int32
    private let behaviour: Behaviour
    /// Connections held open until ``stop()``, and the request lines received.
    private let state = Mutex<(open: [Int32], requests: [String])>(([], []))
    private let finished = DispatchSemaphore(value: 0)

    init(_ behaviour: Behaviour) throws {
        self.behaviour = behaviour
        self.directory = try Self.makeTemporaryDirectory()
        self.path = self.directory + "/a.sock"
        self.descriptor = try Self.bindSocket(at: self.path)
        if case .bindOnly = behaviour {
            self.finished.signal()
            return
        }
        listen(self.descriptor, 8)
        Thread.detachNewThread { [self] in
            self.serve()
        }
    }

    /// The request lines received so far.
    var requests: [String] {
        self.state.withLockedValue { $0.requests }
    }

    /// A Unix stream socket bound to `path` (not listening), or a thrown ``FeedError``.
    static func bindSocket(at path: String) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard descriptor >= 0, bound == 0 else {
            throw FeedError("test listener: cannot bind \(path)")
        }
        return descriptor
    }

    static func makeTemporaryDirectory() throws -> String {
        var template = Array("/tmp/perftop-test-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw FeedError("test listener: mkdtemp failed")
        }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Stops accepting, closes every connection and removes the socket and its directory.
    func stop() {
        shutdown(self.descriptor, Int32(SHUT_RDWR))
        self.finished.wait()
        close(self.descriptor)
        for connection in self.state.withLockedValue({ $0.open }) {
            close(connection)
        }
        unlink(self.path)
        rmdir(self.directory)
    }

    private func serve() {
        while true {
            let connection = accept(self.descriptor, nil, nil)
            if connection < 0 {
                if errno == EINTR {
                    continue
                }
                break
            }
            let request = Self.readLine(connection)
            switch self.behaviour {
            case .reply(let text, let thenClose):
                var bytes = Array(text.utf8)
                _ = send(connection, &bytes, bytes.count, Int32(MSG_NOSIGNAL))
                if thenClose {
                    close(connection)
                    self.state.withLockedValue { $0.requests.append(request) }
                } else {
                    self.state.withLockedValue {
                        $0.open.append(connection)
                        $0.requests.append(request)
                    }
                }
            case .replyInPieces(let text, let size):
                let bytes = Array(text.utf8)
                for start in stride(from: 0, to: bytes.count, by: size) {
                    var piece = Array(bytes[start..<min(start + size, bytes.count)])
                    _ = send(connection, &piece, piece.count, Int32(MSG_NOSIGNAL))
                    usleep(1_000)
                }
                self.state.withLockedValue {
                    $0.open.append(connection)
                    $0.requests.append(request)
                }
            case .silent, .bindOnly:
                self.state.withLockedValue {
                    $0.open.append(connection)
                    $0.requests.append(request)
                }
            }
        }
        self.finished.signal()
    }

    /// Reads up to the first newline (at most 4 KiB), without it.
    private static func readLine(_ connection: Int32) -> String {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count < 4096, recv(connection, &byte, 1, 0) == 1, byte != UInt8(ascii: "\n") {
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
    }
}

/// A Unix socket agent run by `python3` as another user through `setpriv`, answering the first request
/// line of each connection with one fixed line (a connection closed before it is dropped); its socket is `/tmp/perftop-test-XXXXXX/a.sock`, in a
/// directory given to that user.
private final class ForeignAgent {
    /// Whether `setpriv` and `python3` are installed.
    static let isAvailable =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")

    private static let script = """
        import socket, sys
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(sys.argv[1])
        server.listen(8)
        print("ready", flush=True)
        connections = []
        while True:
            connection, _ = server.accept()
            connections.append(connection)
            try:
                if connection.makefile("rb").readline():
                    connection.sendall(sys.argv[2].encode())
            except OSError:
                pass
        """

    let path: String
    private let directory: String
    private let process = Process()

    /// Starts the agent as `uid` (and the group of the same number); returns once it listens.
    init(uid: UInt32, answer: String) async throws {
        self.directory = try TestListener.makeTemporaryDirectory()
        self.path = self.directory + "/a.sock"
        chown(self.directory, uid, uid)
        self.process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        self.process.arguments = [
            "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "/usr/bin/python3", "-c", Self.script, self.path,
            answer,
        ]
        self.process.currentDirectoryURL = URL(fileURLWithPath: self.directory)
        let output = Pipe()
        self.process.standardOutput = output
        try self.process.run()
        // Read on a thread of its own: Python can take a second to start on a loaded machine, and a
        // blocking read here would hold one of the two threads Swift concurrency has.
        let ready = await withCheckedContinuation { (continuation: CheckedContinuation<Data, Never>) in
            Thread.detachNewThread { continuation.resume(returning: output.fileHandleForReading.readData(ofLength: 6)) }
        }
        guard ready == Data("ready\n".utf8) else {
            self.stop()
            throw FeedError("foreign agent did not start")
        }
    }

    /// Stops the agent and removes its socket and directory.
    func stop() {
        // SIGKILL: the child inherits the test process's blocked signals, SIGTERM among them.
        kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
        unlink(self.path)
        rmdir(self.directory)
    }
}
