import Foundation
import PerfKit
import PerfKitTestKit
import Testing

@testable import PerfKitAgent

@Suite(.timeLimit(.minutes(1))) struct AgentHTTPServerTests {
    // MARK: - Fixtures

    /// Samples fixed at creation, including values and labels that need care in the text format.
    struct FixedSource: SampleSource {
        var samples: [Sample]

        func collectSamples() -> [Sample] {
            self.samples
        }
    }

    private static let awkwardSamples = [
        Sample(name: "odd_gauge", labels: ["path": #"C:\tmp "x""#, "note": "two\nlines"], kind: .gauge, value: .nan),
        Sample(name: "odd_gauge", labels: ["path": "up"], kind: .gauge, value: .infinity),
        Sample(name: "odd_gauge", labels: ["path": "down"], kind: .gauge, value: -.infinity),
        Sample(name: "op_seconds", labels: ["op": "embed", "quantile": "0.95"], kind: .summary, value: 0.125),
        Sample(name: "op_seconds_sum", labels: ["op": "embed"], kind: .summary, value: 3.5),
        Sample(name: "op_seconds_count", labels: ["op": "embed"], kind: .summary, value: 40),
        Sample(name: "size_bytes_bucket", labels: ["le": "1024"], kind: .histogram, value: 3),
        Sample(name: "size_bytes_bucket", labels: ["le": "+Inf"], kind: .histogram, value: 4),
        Sample(name: "size_bytes_sum", kind: .histogram, value: 5000),
        Sample(name: "size_bytes_count", kind: .histogram, value: 4),
    ]

    private func makeRegistry() -> MetricsRegistry {
        let registry = MetricsRegistry()
        let cache = Cache<String, Int>(name: "users", capacity: 8)
        cache.setValue(1, forKey: "a")
        _ = cache.value(forKey: "a")
        _ = cache.value(forKey: "b")
        registry.register(cache)
        registry.register(FixedSource(samples: Self.awkwardSamples))
        return registry
    }

    /// Starts a server; tests of the timeouts pass their own, the others get five minutes: a full run
    /// on two cores can leave a test unscheduled for over 10 s (the server's `requestTimeout`)
    /// between a response and its next request, and the server would close the connection.
    private func start(
        _ registry: MetricsRegistry,
        idleTimeout: Duration = .seconds(300),
        requestTimeout: Duration = .seconds(300)
    ) async throws -> AgentHTTPServer {
        try await AgentHTTPServer.start(
            registry: registry,
            agentName: "test",
            idleTimeout: idleTimeout,
            requestTimeout: requestTimeout
        )
    }

    private static func get(_ path: String, _ extraHeaders: String = "") -> String {
        "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(extraHeaders)\r\n"
    }

    // MARK: - Endpoints

    @Test func servesPrometheusTextOnMetrics() async throws {
        let registry = self.makeRegistry()
        let server = try await self.start(registry)
        #expect(server.host == "127.0.0.1")
        #expect(server.port > 0)

        let client = try HTTPTestClient(port: server.port)
        try client.send(Self.get("/metrics"))
        let response = try #require(try await client.readResponse())
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.headers["content-length"] == String(response.body.utf8.count))
        #expect(response.body == PrometheusTextEncoder().encode(registry.collectSamples()))
        #expect(response.body.contains("cache_hits_total{cache=\"users\"} 1\n"))

        await server.shutdown()
    }

    @Test func servesTheSnapshotAsJSON() async throws {
        let registry = self.makeRegistry()
        let server = try await self.start(registry)

        let client = try HTTPTestClient(port: server.port)
        try client.send(Self.get("/perftop.json?fresh=1"))
        let response = try #require(try await client.readResponse())
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.body.hasSuffix("}\n"))
        let snapshot = try Snapshot.decode(jsonLine: Data(response.body.utf8))
        #expect(snapshot.agent == "test")
        #expect(snapshot.pid == getpid())
        #expect(snapshot.samples.count == registry.collectSamples().count)
        #expect(snapshot.samples.first == registry.collectSamples().first)

        await server.shutdown()
    }

    @Test func servedTextParsesBack() async throws {
        let registry = self.makeRegistry()
        let server = try await self.start(registry)
        let client = try HTTPTestClient(port: server.port)
        try client.send(Self.get("/metrics"))
        let body = try #require(try await client.readResponse()).body
        await server.shutdown()

        let parsed = try ExpositionLineCheck.parse(body)
        var expected: [String: String] = [:]
        for sample in registry.collectSamples() {
            expected[SeriesID(name: sample.name, labels: sample.labels).description] = PrometheusTextEncoder.format(
                sample.value
            )
        }
        #expect(parsed == expected)
    }

    @Test func answersUnknownPathsAndMethodsAndKeepsTheConnection() async throws {
        let server = try await self.start(self.makeRegistry())
        let client = try HTTPTestClient(port: server.port)

        try client.send(Self.get("/metrics/extra"))
        let notFound = try #require(try await client.readResponse())
        #expect(notFound.status == 404)
        #expect(notFound.headers["content-type"] == "text/plain; charset=utf-8")

        try client.send("POST /metrics HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello")
        let notAllowed = try #require(try await client.readResponse())
        #expect(notAllowed.status == 405)
        #expect(notAllowed.headers["allow"] == "GET, HEAD")

        try client.send("DELETE /perftop.json HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try await client.readResponse()?.status == 405)

        try client.send(Self.get("/metrics"))
        #expect(try await client.readResponse()?.status == 200)

        await server.shutdown()
    }

    @Test func servesTwoRequestsOnOneKeepAliveConnection() async throws {
        let server = try await self.start(self.makeRegistry())
        let client = try HTTPTestClient(port: server.port)

        try client.send(Self.get("/metrics"))
        let first = try #require(try await client.readResponse())
        try client.send(Self.get("/perftop.json"))
        let second = try #require(try await client.readResponse())
        #expect(first.status == 200)
        #expect(first.headers["connection"] == nil)
        #expect(second.status == 200)
        #expect(second.headers["content-type"] == "application/json")

        try client.send(Self.get("/metrics") + Self.get("/nope"))
        #expect(try await client.readResponse()?.status == 200)
        #expect(try await client.readResponse()?.status == 404)

        await server.shutdown()
    }

    @Test func answersHeadWithoutABody() async throws {
        let server = try await self.start(self.makeRegistry())
        let client = try HTTPTestClient(port: server.port)

        try client.send("HEAD /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let head = try #require(try await client.readResponse(hasBody: false))
        #expect(head.status == 200)
        #expect(Int(head.headers["content-length"] ?? "") ?? 0 > 0)

        try client.send(Self.get("/nope"))
        let next = try #require(try await client.readResponse())
        #expect(next.status == 404)
        #expect(next.body == "not found\n")

        await server.shutdown()
    }

    @Test func closesWhenTheClientAsks() async throws {
        let server = try await self.start(self.makeRegistry())

        let closing = try HTTPTestClient(port: server.port)
        try closing.send(Self.get("/metrics", "Connection: close\r\n"))
        let response = try #require(try await closing.readResponse())
        #expect(response.headers["connection"] == "close")
        #expect(try await closing.readResponse() == nil)

        let pipelined = try HTTPTestClient(port: server.port)
        try pipelined.send(Self.get("/metrics", "Connection: close\r\n") + Self.get("/nope"))
        #expect(try await pipelined.readResponse()?.status == 200)
        #expect(try await pipelined.readResponse() == nil)

        let old = try HTTPTestClient(port: server.port)
        try old.send("GET /metrics HTTP/1.0\r\n\r\n")
        #expect(try await old.readResponse()?.version == "HTTP/1.0")
        #expect(try await old.readResponse() == nil)

        let oldKeepAlive = try HTTPTestClient(port: server.port)
        try oldKeepAlive.send("GET /metrics HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try await oldKeepAlive.readResponse()?.headers["connection"] == "keep-alive")
        try oldKeepAlive.send("GET /nope HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try await oldKeepAlive.readResponse()?.status == 404)

        await server.shutdown()
    }

    // MARK: - Limits

    @Test func refusesAnOversizedRequestHead() async throws {
        let server = try await self.start(self.makeRegistry())
        let client = try HTTPTestClient(port: server.port)

        let padding = String(repeating: "x", count: AgentHTTPServer.maxRequestHeadBytes)
        try client.send(Self.get("/metrics", "X-Padding: \(padding)\r\n"))
        #expect(try await client.readResponse()?.status == 400)
        #expect(try await client.readResponse() == nil)

        await server.shutdown()
    }

    @Test func refusesAnOversizedBody() async throws {
        let server = try await self.start(self.makeRegistry())

        let small = try HTTPTestClient(port: server.port)
        let allowed = String(repeating: "b", count: AgentHTTPServer.maxRequestBodyBytes)
        try small.send(Self.get("/metrics", "Content-Length: \(allowed.utf8.count)\r\n") + allowed)
        #expect(try await small.readResponse()?.status == 200)

        let large = try HTTPTestClient(port: server.port)
        let tooMuch = String(repeating: "b", count: AgentHTTPServer.maxRequestBodyBytes + 1)
        try large.send(Self.get("/metrics", "Content-Length: \(tooMuch.utf8.count)\r\n") + tooMuch)
        let response = try #require(try await large.readResponse())
        #expect(response.status == 413)
        #expect(response.headers["connection"] == "close")
        #expect(try await large.readResponse() == nil)

        await server.shutdown()
    }

    @Test func closesIdleConnections() async throws {
        // Long enough that a loaded machine still sends the request before the connection counts as
        // idle; the test waits for the close, it does not time it.
        let server = try await self.start(self.makeRegistry(), idleTimeout: .seconds(1))
        let client = try HTTPTestClient(port: server.port)
        try client.send(Self.get("/metrics"))
        #expect(try await client.readResponse()?.status == 200)
        #expect(try await client.readResponse() == nil)
        await server.shutdown()
    }

    /// A client trickling a request one byte per 100 ms never lets the connection go idle, yet the
    /// request's deadline, counted from accept, closes it.
    @Test func closesAConnectionWhoseRequestTrickles() async throws {
        let server = try await self.start(self.makeRegistry(), requestTimeout: .seconds(1))
        let client = try HTTPTestClient(port: server.port)
        let head = Self.get("/metrics", "X-Padding: " + String(repeating: "x", count: 200) + "\r\n")
        let sent = await client.trickle(head, every: .milliseconds(100))
        #expect(sent < head.utf8.count, "the server let the whole request trickle in")
        #expect(try await client.readResponse() == nil)
        await server.shutdown()
    }

    /// The deadline covers the body too: a complete head does not buy a trickling body more time.
    @Test func closesAConnectionWhoseBodyTrickles() async throws {
        let server = try await self.start(self.makeRegistry(), requestTimeout: .seconds(1))
        let client = try HTTPTestClient(port: server.port)
        let body = String(repeating: "b", count: 200)
        try client.send(Self.get("/metrics", "Content-Length: \(body.utf8.count)\r\n"))
        let sent = await client.trickle(body, every: .milliseconds(100))
        #expect(sent < body.utf8.count, "the server let the whole body trickle in")
        #expect(try await client.readResponse() == nil)
        await server.shutdown()
    }

    /// On a kept-alive connection the deadline starts again at the end of each response.
    @Test func closesAKeptAliveConnectionWhoseNextRequestTrickles() async throws {
        let server = try await self.start(self.makeRegistry(), requestTimeout: .seconds(1))
        let client = try HTTPTestClient(port: server.port)
        try client.send(Self.get("/metrics"))
        #expect(try await client.readResponse()?.status == 200)
        let head = Self.get("/metrics", "X-Padding: " + String(repeating: "x", count: 200) + "\r\n")
        let sent = await client.trickle(head, every: .milliseconds(100))
        #expect(sent < head.utf8.count, "the server let the whole request trickle in")
        #expect(try await client.readResponse() == nil)
        await server.shutdown()
    }

    // MARK: - Host

    @Test(arguments: ["localhost", "LOCALHOST", "127.0.0.1", "[::1]"])
    func acceptsLoopbackHostsWithOrWithoutThePort(host: String) async throws {
        let server = try await self.start(self.makeRegistry())
        let client = try HTTPTestClient(port: server.port)
        try client.send("GET /metrics HTTP/1.1\r\nHost: \(host)\r\n\r\n")
        #expect(try await client.readResponse()?.status == 200)
        try client.send("GET /metrics HTTP/1.1\r\nHost: \(host):\(server.port)\r\n\r\n")
        #expect(try await client.readResponse()?.status == 200)
        await server.shutdown()
    }

    /// DNS rebinding: a web page whose name now resolves to 127.0.0.1 sends its own name as the host.
    @Test func refusesAnyOtherHostAndCloses() async throws {
        let server = try await self.start(self.makeRegistry())
        let others = [
            "rebind.example", "rebind.example:\(server.port)", "127.0.0.1:\(server.port + 1)", "localhost.example",
            "localhost:", "[::1]:\(server.port)x", "127.0.0.1.rebind.example",
        ]
        for host in others {
            let client = try HTTPTestClient(port: server.port)
            try client.send("GET /metrics HTTP/1.1\r\nHost: \(host)\r\n\r\n")
            let response = try #require(try await client.readResponse())
            #expect(response.status == 421, "Host: \(host)")
            #expect(response.headers["connection"] == "close")
            #expect(!response.body.contains("cache_hits_total"))
            #expect(try await client.readResponse() == nil)
        }
        await server.shutdown()
    }

    /// A server exposed beyond loopback for a scraper elsewhere answers to the names the agent lists.
    @Test func acceptsTheHostNamesTheAgentAllows() async throws {
        let server = try await AgentHTTPServer.start(
            registry: self.makeRegistry(),
            agentName: "test",
            allowedHostNames: ["Metrics.Example.Internal"]
        )
        let client = try HTTPTestClient(port: server.port)
        try client.send("GET /metrics HTTP/1.1\r\nHost: metrics.example.internal:\(server.port)\r\n\r\n")
        #expect(try await client.readResponse()?.status == 200)
        try client.send("GET /metrics HTTP/1.1\r\nHost: other.example.internal\r\n\r\n")
        #expect(try await client.readResponse()?.status == 421)
        await server.shutdown()
    }

    @Test func requiresOneHostOnHTTP11() async throws {
        let server = try await self.start(self.makeRegistry())
        for request in [
            "GET /metrics HTTP/1.1\r\n\r\n", "GET /metrics HTTP/1.1\r\nHost: localhost\r\nHost: rebind.example\r\n\r\n",
        ] {
            let client = try HTTPTestClient(port: server.port)
            try client.send(request)
            #expect(try await client.readResponse()?.status == 400)
            #expect(try await client.readResponse() == nil)
        }
        await server.shutdown()
    }

    // MARK: - Binding

    @Test func refusesAddressesBeyondLoopbackWithoutOptIn() async throws {
        let registry = MetricsRegistry()
        await #expect(throws: AgentHTTPServerError.notLoopback(host: "0.0.0.0")) {
            _ = try await AgentHTTPServer.start(registry: registry, agentName: "test", host: "0.0.0.0")
        }
        await #expect(throws: AgentHTTPServerError.invalidHost("localhost")) {
            _ = try await AgentHTTPServer.start(registry: registry, agentName: "test", host: "localhost")
        }
        await #expect(throws: AgentHTTPServerError.invalidPort(65_536)) {
            _ = try await AgentHTTPServer.start(registry: registry, agentName: "test", port: 65_536)
        }

        let exposed = try await AgentHTTPServer.start(
            registry: registry,
            agentName: "test",
            host: "0.0.0.0",
            exposingMetricsBeyondLoopback: true
        )
        let client = try HTTPTestClient(port: exposed.port)
        try client.send(Self.get("/metrics"))
        #expect(try await client.readResponse()?.status == 200)
        await exposed.shutdown()
    }

    @Test(arguments: ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"])
    func acceptsLoopbackAddresses(host: String) async throws {
        let server = try await AgentHTTPServer.start(registry: MetricsRegistry(), agentName: "test", host: host)
        #expect(server.host == host)
        await server.shutdown()
    }

    @Test func reportsAPortInUse() async throws {
        let registry = MetricsRegistry()
        let first = try await AgentHTTPServer.start(registry: registry, agentName: "test")
        await #expect {
            _ = try await AgentHTTPServer.start(registry: registry, agentName: "test", port: first.port)
        } throws: { error in
            (error as? AgentHTTPServerError)?.kind == .bindFailed && "\(error)".contains("127.0.0.1:\(first.port)")
        }
        await first.shutdown()
    }

    #if os(Linux)
        @Test func marksItsSocketsCloseOnExec() async throws {
            let server = try await self.start(self.makeRegistry())
            let client = try HTTPTestClient(port: server.port)
            try client.send(Self.get("/metrics"))
            #expect(try await client.readResponse()?.status == 200)

            let descriptors = try ServerSockets.descriptors(localPort: server.port)
            #expect(descriptors.count == 2)
            for descriptor in descriptors {
                #expect(fcntl(descriptor, F_GETFD) & FD_CLOEXEC != 0)
            }
            await server.shutdown()
        }
    #endif

    // MARK: - Shutdown

    @Test func shutdownClosesTheListenerAndIdleConnections() async throws {
        let server = try await self.start(self.makeRegistry())
        let port = server.port
        let client = try HTTPTestClient(port: port)
        try client.send(Self.get("/metrics"))
        #expect(try await client.readResponse()?.status == 200)

        await server.shutdown()
        #expect(try await client.readResponse() == nil)
        #expect(throws: BlockingSocket.SocketError.self) {
            _ = try HTTPTestClient(port: port)
        }
        await server.shutdown()
    }

    @Test func shutdownLetsARequestInProgressFinish() async throws {
        let server = try await self.start(self.makeRegistry())
        let port = server.port
        let client = try HTTPTestClient(port: port)
        // One write: the server reads the second request's head in the same read as the first request,
        // so it is in the middle of that request once the first response arrives.
        try client.send(Self.get("/metrics") + Self.get("/metrics", "Content-Length: 4\r\n") + "ab")
        let first = try #require(try await client.readResponse())
        #expect(first.headers["connection"] == nil)

        let stopping = Task { await server.shutdown() }
        // The server tells its connections to finish before it stops listening.
        try await waitUntil { (try? HTTPTestClient(port: port)) == nil }
        try client.send("cd")
        let second = try #require(try await client.readResponse())
        #expect(second.status == 200)
        #expect(second.headers["connection"] == "close")
        #expect(try await client.readResponse() == nil)
        await stopping.value
    }

    // MARK: - Responses without a socket

    @Test(
        arguments: [
            ("GET", "/metrics", 200),
            ("HEAD", "/perftop.json", 200),
            ("GET", "/", 404),
            ("GET", "/metrics.txt", 404),
            ("PUT", "/metrics", 405),
            ("PUT", "/elsewhere", 404),
        ]
    )
    func routesRequests(method: String, uri: String, status: Int) {
        let responder = AgentHTTPResponder(registry: MetricsRegistry(), agentName: "test")
        let response = responder.response(method: .init(rawValue: method), uri: uri)
        #expect(Int(response.status.code) == status)
    }
}

// MARK: - A raw HTTP/1.1 client

/// An HTTP/1.1 client on a ``BlockingSocket`` to 127.0.0.1 that writes requests as given and reads
/// responses framed by `Content-Length`; independent of NIO.
final class HTTPTestClient {
    struct Response: Equatable {
        var version: String
        var status: Int
        /// Header values by lower-cased name.
        var headers: [String: String]
        var body: String
    }

    private let socket: BlockingSocket

    init(port: Int) throws {
        self.socket = try BlockingSocket(loopbackPort: port)
    }

    func send(_ text: String) throws {
        try self.socket.send(text)
    }

    /// Sends `text` one byte at a time, pausing `interval` after each, until all is sent or a write
    /// fails because the server closed the connection; returns how many bytes were sent.
    func trickle(_ text: String, every interval: Duration) async -> Int {
        var sent = 0
        for byte in text.utf8 {
            guard (try? self.socket.send(String(decoding: [byte], as: UTF8.self))) != nil else {
                break
            }
            sent += 1
            try? await Task.sleep(for: interval)
        }
        return sent
    }

    /// The next response, or `nil` when the server closed the connection before sending one.
    ///
    /// - Parameter hasBody: `false` for the response to a `HEAD` request, whose `Content-Length` has no
    ///   body behind it.
    func readResponse(hasBody: Bool = true) async throws -> Response? {
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            let pending = self.socket.pending
            headEnd = pending.indices.dropLast(3).first { pending[$0..<$0 + 4].elementsEqual(separator) }
            if headEnd == nil, try await !self.socket.fill() {
                return nil
            }
        }
        let head = String(decoding: self.socket.pending[..<headEnd!], as: UTF8.self)
        self.socket.pending.removeSubrange(..<(headEnd! + 4))
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        var headers: [String: String] = [:]
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1)
            headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        let length = hasBody ? Int(headers["content-length"] ?? "0") ?? 0 : 0
        while self.socket.pending.count < length {
            guard try await self.socket.fill() else {
                throw BlockingSocket.SocketError(operation: "read body", code: 0)
            }
        }
        let body = String(decoding: self.socket.pending[..<length], as: UTF8.self)
        self.socket.pending.removeSubrange(..<length)
        return Response(version: String(statusLine[0]), status: Int(statusLine[1]) ?? 0, headers: headers, body: body)
    }
}

// MARK: - Checking exposition text

/// A strict line-by-line reading of Prometheus text: every line is a `# TYPE` line or a sample of the
/// family its last `# TYPE` line named, with valid names, well-formed escaped label values and a value
/// Prometheus reads. Enough to catch malformed output; not a full parser.
enum ExpositionLineCheck {
    struct Malformed: Error, CustomStringConvertible {
        var line: String
        var reason: String

        var description: String {
            "\(self.reason): \(self.line)"
        }
    }

    /// The samples of `text`, as their series identity (``SeriesID/description`` form) to their value text.
    static func parse(_ text: String) throws -> [String: String] {
        guard text.isEmpty || text.hasSuffix("\n") else {
            throw Malformed(line: String(text.suffix(40)), reason: "no final newline")
        }
        var families: Set<String> = []
        var family: (name: String, type: String)?
        var samples: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) {
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ")
                guard parts.count == 4, parts[1] == "TYPE", Self.isMetricName(parts[2]),
                    ["counter", "gauge", "summary", "histogram", "untyped"].contains(parts[3])
                else {
                    throw Malformed(line: line, reason: "bad comment")
                }
                guard families.insert(String(parts[2])).inserted else {
                    throw Malformed(line: line, reason: "second TYPE line")
                }
                family = (String(parts[2]), String(parts[3]))
                continue
            }
            guard let current = family else {
                throw Malformed(line: line, reason: "sample before any TYPE line")
            }
            var rest = Substring(line)
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
            rest = rest.dropFirst(name.count)
            let suffixes =
                switch current.type {
                case "summary": ["", "_sum", "_count"]
                case "histogram": ["_bucket", "_sum", "_count"]
                default: [""]
                }
            guard Self.isMetricName(name), suffixes.contains(where: { current.name + $0 == name }) else {
                throw Malformed(line: line, reason: "name outside its family \(current.name)")
            }
            var labels: [String: String] = [:]
            if rest.first == "{" {
                rest = rest.dropFirst()
                while rest.first != "}" {
                    let label = rest.prefix { $0 != "=" }
                    guard Self.isMetricName(label), !label.contains(":"), labels[String(label)] == nil else {
                        throw Malformed(line: line, reason: "bad label name")
                    }
                    rest = rest.dropFirst(label.count)
                    guard rest.hasPrefix("=\"") else {
                        throw Malformed(line: line, reason: "no quoted label value")
                    }
                    rest = rest.dropFirst(2)
                    var value = ""
                    while let character = rest.popFirst(), character != "\"" {
                        guard character == "\\" else {
                            value.append(character)
                            continue
                        }
                        switch rest.popFirst() {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw Malformed(line: line, reason: "bad escape")
                        }
                    }
                    labels[String(label)] = value
                    if rest.first == "," {
                        rest = rest.dropFirst()
                    } else if rest.first != "}" {
                        throw Malformed(line: line, reason: "bad label list")
                    }
                }
                rest = rest.dropFirst()
            }
            guard rest.first == " " else {
                throw Malformed(line: line, reason: "no space before the value")
            }
            let value = String(rest.dropFirst())
            guard ["NaN", "+Inf", "-Inf"].contains(value) || Double(value) != nil else {
                throw Malformed(line: line, reason: "bad value")
            }
            let identity = SeriesID(name: String(name), labels: labels).description
            guard samples.updateValue(value, forKey: identity) == nil else {
                throw Malformed(line: line, reason: "repeated series")
            }
        }
        return samples
    }

    private static func isMetricName(_ name: some StringProtocol) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "_" || scalar == ":"
        }
    }
}

// MARK: - Sockets in /proc

#if os(Linux)
    /// This process's TCP sockets whose local port is a given one, found through /proc: the listening
    /// socket of a server on that port and the server's side of its connections.
    enum ServerSockets {
        /// The descriptors of this process's TCP sockets (IPv4 and IPv6) bound to `localPort`.
        static func descriptors(localPort: Int) throws -> [Int32] {
            var inodes: Set<String> = []
            for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
                // Foundation reads /proc files one page at most; ProcFile reads them to the end.
                let text = (try? ProcFile.read(table)) ?? ""
                for row in text.split(separator: "\n").dropFirst() {
                    let fields = row.split(separator: " ")
                    guard fields.count > 9, let port = fields[1].split(separator: ":").last,
                        Int(port, radix: 16) == localPort
                    else {
                        continue
                    }
                    inodes.insert(String(fields[9]))
                }
            }
            var descriptors: [Int32] = []
            for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
                guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + entry),
                    link.hasPrefix("socket:["),
                    inodes.contains(String(link.dropFirst("socket:[".count).dropLast())),
                    let descriptor = Int32(entry)
                else {
                    continue
                }
                descriptors.append(descriptor)
            }
            return descriptors
        }
    }
#endif
