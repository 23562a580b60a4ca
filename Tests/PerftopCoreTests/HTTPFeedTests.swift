import Foundation
import NIOCore
import NIOHTTP1
import PerfKit
import Testing

@testable import PerftopCore

/// The HTTP feed against real NIO HTTP/1.1 servers on 127.0.0.1; no assertion depends on elapsed time.
@Suite struct HTTPFeedTests {
    /// Runs `body` with a fresh client trusting `trustRoots` (the system's roots by default), shutting it
    /// down afterwards.
    private static func withClient<Result>(
        trustRoots: HTTPFeed.TrustRoots? = nil,
        _ body: (HTTP1Client) async throws -> Result
    ) async throws -> Result {
        let client = HTTPFeed.makeClient(trustRoots: trustRoots)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// Polls once and returns the failure reason, or `nil` when the poll succeeded.
    /// The deadline of a poll the server answers: long, so a crowded test run never turns an answer
    /// into a timeout (the tests that expect one give their own, short).
    static let answerTimeout = Duration.seconds(30)

    private static func reason(polling feed: some Feed, timeout: Duration = Self.answerTimeout) async -> String? {
        await failureReason(polling: feed, timeout: timeout)
    }

    // MARK: - Formats

    @Test func readsAPrometheusTextEndpoint() async throws {
        let text = try PrometheusTextParserTests.fixture("go_client.prom")
        let server = try await HTTPTestServer(.ok(text, contentType: "text/plain; version=0.0.4; charset=utf-8"))
        let samples = try await Self.withClient { client in
            try await HTTPFeed(url: server.url(), client: client).poll(timeout: Self.answerTimeout)
        }
        await server.stop()
        #expect(samples.contains(Sample(name: "go_goroutines", kind: .gauge, value: 143)))
        let estimates = samples.filter { $0.labels["estimate"] == "buckets" }
        #expect(estimates.map { $0.labels["quantile"] } == ["0.5", "0.95", "0.99"])
        #expect(estimates.allSatisfy { $0.name == "http_request_duration_seconds" && $0.kind == .summary })
    }

    @Test func readsOpenMetricsByContentType() async throws {
        let text = try PrometheusTextParserTests.fixture("openmetrics.txt")
        let server = try await HTTPTestServer(
            .ok(text, contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8")
        )
        let samples = try await Self.withClient { client in
            try await HTTPFeed(url: server.url(), client: client).poll(timeout: Self.answerTimeout)
        }
        await server.stop()
        #expect(samples.contains(Sample(name: "jobs_total", labels: ["queue": "emails"], kind: .counter, value: 1027)))
    }

    @Test func flattensAJSONEndpoint() async throws {
        let json =
            #"{"cmdline":["/srv/app"],"memstats":{"Mallocs":120,"Frees":100,"NumGC":3,"PauseTotalNs":1500000},"ready":true}"#
        let server = try await HTTPTestServer(.ok(json, contentType: "application/json"))
        let samples = try await Self.withClient { client in
            try await HTTPFeed(url: server.url("/debug/vars"), client: client).poll(timeout: Self.answerTimeout)
        }
        await server.stop()
        #expect(samples.contains(Sample(name: "memstats_Mallocs", kind: .untyped, value: 120)))
        #expect(samples.contains(Sample(name: "ready", kind: .untyped, value: 1)))
        #expect(samples.contains(Sample(name: "allocs_total", kind: .counter, value: 120)))
        #expect(samples.contains(Sample(name: "gc_pause_seconds_total", kind: .counter, value: 0.0015)))
    }

    @Test func readsAPerftopSnapshotEndpoint() async throws {
        let sample = Sample(name: "cache_hits_total", labels: ["cache": "users"], kind: .counter, value: 42)
        let line = try Snapshot(agent: "test", pid: 7, timestamp: 1_700_000_000, samples: [sample]).jsonLine()
        let server = try await HTTPTestServer(.respond(status: .ok, contentType: "application/json", body: Array(line)))
        let samples = try await Self.withClient { client in
            try await HTTPFeed(url: server.url("/perftop.json"), client: client).poll(timeout: Self.answerTimeout)
        }
        await server.stop()
        #expect(samples == [sample])
    }

    @Test func refusesASnapshotOfAnUnknownVersion() async throws {
        var snapshot = Snapshot(agent: "test", pid: 7, timestamp: 1_700_000_000, samples: [])
        snapshot.version = 99
        let server = try await HTTPTestServer(
            .respond(status: .ok, contentType: nil, body: Array(try snapshot.jsonLine()))
        )
        let reason = try await Self.withClient { client in
            await Self.reason(polling: HTTPFeed(url: server.url("/perftop.json"), client: client))
        }
        await server.stop()
        #expect(reason == "schema perftop.snapshot v99 not supported (this perftop reads v1)")
    }

    @Test(arguments: [
        ("application/openmetrics-text; version=1.0.0", "{", HTTPFeed.BodyFormat.prometheusText),
        ("text/plain; version=0.0.4", "[", .prometheusText),
        ("application/json; charset=utf-8", "m 1", .json),
        ("application/vnd.acme+json", "m 1", .json),
        ("text/plain", "  \n{\"a\":1}", .json),
        ("text/html", "m 1", .prometheusText),
        ("", "[1,2]", .json),
    ])
    func decidesTheFormatByContentTypeThenBySniffing(contentType: String, body: String, expected: HTTPFeed.BodyFormat) {
        #expect(HTTPFeed.format(contentType: contentType, body: Array(body.utf8)) == expected)
    }

    // MARK: - Requests

    @Test func sendsAcceptAndTheConfiguredHeaders() async throws {
        let server = try await HTTPTestServer(.ok("m 1\n", contentType: "text/plain; version=0.0.4"))
        let headers = try HTTPFeed.parseHeaders("Authorization: Bearer s3cr3t\nX-Tenant: blue", origin: "test")
        _ = try await Self.withClient { client in
            try await HTTPFeed(url: server.url(), headers: headers, client: client).poll(timeout: Self.answerTimeout)
        }
        await server.stop()
        let request = try #require(server.requests.first)
        #expect(request.first(name: "Accept") == HTTPFeed.acceptHeader)
        #expect(request.first(name: "Authorization") == "Bearer s3cr3t")
        #expect(request.first(name: "X-Tenant") == "blue")
    }

    // MARK: - Redirects

    /// A 302 to another port is another origin: the configured headers stay behind, perftop's own go along.
    @Test func keepsConfiguredHeadersFromAnotherOrigin() async throws {
        let other = try await HTTPTestServer(.ok("m 1\n", contentType: "text/plain; version=0.0.4"))
        let first = try await HTTPTestServer(.redirect(location: other.url()))
        let headers = try HTTPFeed.parseHeaders("X-Api-Key: s3cr3t\nAuthorization: Bearer t0k3n", origin: "test")
        let reason = try await Self.withClient { client in
            await Self.reason(polling: HTTPFeed(url: first.url(), headers: headers, client: client))
        }
        await first.stop()
        await other.stop()
        #expect(reason == nil)
        #expect(first.requests.first?.first(name: "X-Api-Key") == "s3cr3t")
        let redirected = try #require(other.requests.first)
        #expect(redirected.first(name: "X-Api-Key") == nil)
        #expect(redirected.first(name: "Authorization") == nil)
        #expect(redirected.first(name: "Accept") == HTTPFeed.acceptHeader)
    }

    /// A redirect to a path of the same scheme, host and port keeps the configured headers.
    @Test func keepsConfiguredHeadersOnTheSameOrigin() async throws {
        let server = try await HTTPTestServer(
            .byPath([
                "/metrics": .redirect(status: .temporaryRedirect, location: "/v2/metrics?format=text"),
                "/v2/metrics": .ok("m 1\n", contentType: "text/plain; version=0.0.4"),
            ])
        )
        let headers = try HTTPFeed.parseHeaders("X-Api-Key: s3cr3t", origin: "test")
        let samples = try await Self.withClient { client in
            try await HTTPFeed(url: server.url(), headers: headers, client: client).poll(timeout: Self.answerTimeout)
        }
        await server.stop()
        #expect(samples == [Sample(name: "m", kind: .untyped, value: 1)])
        #expect(server.targets == ["/metrics", "/v2/metrics?format=text"])
        #expect(server.requests.map { $0.first(name: "X-Api-Key") } == ["s3cr3t", "s3cr3t"])
    }

    @Test(.enabled(if: OpenSSLTestServer.isAvailable))
    func refusesARedirectFromHTTPSToHTTP() async throws {
        let certificate = try await TestCertificate()
        defer { certificate.remove() }
        let plain = try await HTTPTestServer(.ok("m 1\n", contentType: "text/plain; version=0.0.4"))
        let secure = try await HTTPTestServer(.redirect(location: plain.url()), certificate: certificate)
        let trustRoots = try HTTPFeed.TrustRoots(pemFile: certificate.certificatePath)
        let reason = try await Self.withClient(trustRoots: trustRoots) { client in
            await Self.reason(polling: HTTPFeed(url: secure.url(), client: client))
        }
        await secure.stop()
        await plain.stop()
        #expect(secure.requests.count == 1)
        #expect(reason == "redirect from https to http refused")
        #expect(plain.requests.isEmpty)
    }

    @Test func stopsAfterThreeRedirectsAndAtACycle() async throws {
        let chain = try await HTTPTestServer(
            .byPath([
                "/1": .redirect(location: "/2"), "/2": .redirect(location: "/3"), "/3": .redirect(location: "/4"),
                "/4": .redirect(location: "/5"), "/5": .ok("m 1\n", contentType: "text/plain; version=0.0.4"),
            ])
        )
        let loop = try await HTTPTestServer(
            .byPath(["/a": .redirect(location: "/b"), "/b": .redirect(status: .movedPermanently, location: "/a")])
        )
        let reasons = try await Self.withClient { client in
            [
                await Self.reason(polling: HTTPFeed(url: chain.url("/2"), client: client)),
                await Self.reason(polling: HTTPFeed(url: chain.url("/1"), client: client)),
                await Self.reason(polling: HTTPFeed(url: loop.url("/a"), client: client)),
            ]
        }
        await chain.stop()
        await loop.stop()
        #expect(reasons == [nil, "too many redirects (more than 3)", "redirect cycle"])
    }

    /// The poll's one deadline and body limit cover every hop, not each one.
    @Test func aRedirectKeepsThePollsDeadlineAndBodyLimit() async throws {
        let hanging = try await HTTPTestServer(.hang)
        let huge = try await HTTPTestServer(.huge(bytes: 4 << 20, declareLength: false))
        let toHanging = try await HTTPTestServer(.redirect(location: hanging.url()))
        let toHuge = try await HTTPTestServer(.redirect(location: huge.url()))
        let reasons = try await Self.withClient { client in
            [
                await Self.reason(polling: HTTPFeed(url: toHanging.url(), client: client), timeout: .milliseconds(300)),
                await Self.reason(polling: HTTPFeed(url: toHuge.url(), maximumResponseBytes: 1 << 20, client: client)),
            ]
        }
        for server in [hanging, huge, toHanging, toHuge] {
            await server.stop()
        }
        #expect(reasons == ["timeout after 0.3s", "response larger than 1048576 bytes"])
    }

    @Test(arguments: [
        ("http://a.example/m", "http://A.EXAMPLE:80/x", true),
        ("https://a.example/m", "https://a.example:443/", true),
        ("http://a.example/m", "http://a.example:8080/m", false),
        ("http://a.example/m", "https://a.example/m", false),
        ("http://a.example/m", "http://b.a.example/m", false),
    ])
    func comparesOriginsBySchemeHostAndPort(first: String, second: String, same: Bool) throws {
        let one = try #require(URL(string: first).flatMap(HTTPFeed.Origin.init))
        let other = try #require(URL(string: second).flatMap(HTTPFeed.Origin.init))
        #expect((one == other) == same)
    }

    // MARK: - Failures

    @Test func namesTheHTTPStatus() async throws {
        let server = try await HTTPTestServer(
            .respond(status: .serviceUnavailable, contentType: "text/plain", body: Array("down".utf8))
        )
        let reason = try await Self.withClient { client in
            await Self.reason(polling: HTTPFeed(url: server.url(), client: client))
        }
        await server.stop()
        #expect(reason == "HTTP 503 Service Unavailable")
    }

    @Test func recoversWhenTheEndpointComesBack() async throws {
        let server = try await HTTPTestServer(.respond(status: .serviceUnavailable, contentType: nil, body: []))
        let reasons = try await Self.withClient { client in
            let feed = HTTPFeed(url: server.url(), client: client)
            let down = await Self.reason(polling: feed)
            server.setBehavior(.ok("up 1\n", contentType: "text/plain; version=0.0.4"))
            let up = await Self.reason(polling: feed)
            server.setBehavior(.respond(status: .internalServerError, contentType: nil, body: []))
            return [down, up, await Self.reason(polling: feed)]
        }
        await server.stop()
        #expect(reasons == ["HTTP 503 Service Unavailable", nil, "HTTP 500 Internal Server Error"])
    }

    @Test func timesOutOnAnEndpointThatHangs() async throws {
        let server = try await HTTPTestServer(.hang)
        let reason = try await Self.withClient { client in
            await Self.reason(polling: HTTPFeed(url: server.url(), client: client), timeout: .milliseconds(200))
        }
        await server.stop()
        #expect(reason == "timeout after 0.2s")
    }

    @Test func namesTheLineOfGarbage() async throws {
        let text = "# TYPE up gauge\nup 1\n<html><body>It works!</body></html>\n"
        let server = try await HTTPTestServer(.ok(text, contentType: "text/html"))
        let reason = try await Self.withClient { client in
            await Self.reason(polling: HTTPFeed(url: server.url(), client: client))
        }
        await server.stop()
        #expect(reason == "parse error at line 3: expected a metric name")
    }

    @Test func namesInvalidJSON() async throws {
        let server = try await HTTPTestServer(.ok("{\"a\": 1,", contentType: "application/json"))
        let reason = try await Self.withClient { client in
            await Self.reason(polling: HTTPFeed(url: server.url(), client: client))
        }
        await server.stop()
        #expect(reason == "invalid JSON")
    }

    @Test(arguments: [false, true])
    func abortsATooLargeBodyEarly(declareLength: Bool) async throws {
        let size = 50 << 20
        let server = try await HTTPTestServer(.huge(bytes: size, declareLength: declareLength))
        let reason = try await Self.withClient { client in
            await Self.reason(polling: HTTPFeed(url: server.url(), maximumResponseBytes: 1 << 20, client: client))
        }
        await server.connectionsClosed()
        await server.stop()
        #expect(reason == "response larger than 1048576 bytes")
        #expect(server.bytesWritten < size / 2, "the client hung up long before the end")
    }

    @Test func namesAConnectionClosedMidResponse() async throws {
        let server = try await HTTPTestServer(.closeMidResponse(declaredLength: 10_000, sentBytes: 100))
        let reason = try await Self.withClient { client in
            await Self.reason(polling: HTTPFeed(url: server.url(), client: client))
        }
        await server.stop()
        #expect(reason?.hasPrefix("connection closed mid-response") == true, "\(reason ?? "no error")")
    }

    @Test func namesARefusedConnection() async throws {
        let server = try await HTTPTestServer(.hang)
        let url = server.url()
        await server.stop()
        let reason = try await Self.withClient { client in
            await Self.reason(polling: HTTPFeed(url: url, client: client))
        }
        #expect(reason == "connection refused")
    }

    // MARK: - TLS

    /// A self-signed server is refused with the system's roots, which the test does not touch.
    @Test(.enabled(if: OpenSSLTestServer.isAvailable))
    func speaksTLSAndNamesAnUntrustedCertificate() async throws {
        let server = try await OpenSSLTestServer(files: ["metrics": "up 1\n"])
        defer { server.stop() }
        let reason = try await Self.withClient { client in
            await Self.reason(polling: HTTPFeed(url: "https://127.0.0.1:\(server.port)/metrics", client: client))
        }
        #expect(reason == "TLS: certificate verification failed")
    }

    /// HTTPS end to end: the server's own certificate as the trust root (`--ca-file`). s_server sends a
    /// bare `text/plain`, so the body is recognised as Prometheus text by sniffing.
    @Test(.enabled(if: OpenSSLTestServer.isAvailable))
    func readsAnHTTPSEndpointTrustedThroughACAFile() async throws {
        let text = try PrometheusTextParserTests.fixture("go_client.prom")
        let server = try await OpenSSLTestServer(files: ["metrics.prom": text])
        defer { server.stop() }
        let trustRoots = try HTTPFeed.TrustRoots(pemFile: server.certificatePath)
        let samples = try await Self.withClient(trustRoots: trustRoots) { client in
            try await HTTPFeed(url: "https://127.0.0.1:\(server.port)/metrics.prom", client: client)
                .poll(timeout: Self.answerTimeout)
        }
        #expect(samples.contains(Sample(name: "go_goroutines", kind: .gauge, value: 143)))
        let estimates = samples.filter { $0.labels["estimate"] == "buckets" }
        #expect(estimates.map { $0.labels["quantile"] } == ["0.5", "0.95", "0.99"])
    }

    /// A trusted certificate for another name is still refused: the CA file changes the roots only, the
    /// host name is checked as before.
    @Test(.enabled(if: OpenSSLTestServer.isAvailable))
    func refusesATrustedCertificateForAnotherHost() async throws {
        let server = try await OpenSSLTestServer(files: ["metrics": "up 1\n"], subjectAltName: "DNS:other.invalid")
        defer { server.stop() }
        let trustRoots = try HTTPFeed.TrustRoots(pemFile: server.certificatePath)
        let reason = try await Self.withClient(trustRoots: trustRoots) { client in
            await Self.reason(polling: HTTPFeed(url: "https://127.0.0.1:\(server.port)/metrics", client: client))
        }
        #expect(reason == "TLS: certificate is not for this host")
    }

    @Test(arguments: [
        "up 1\n",
        "",
        "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
    ])
    func refusesACAFileWithoutCertificates(text: String) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "perftop-ca-\(UInt64.random(in: 0...UInt64.max)).pem"
        ).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: FeedError("no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)")) {
            try HTTPFeed.TrustRoots(pemFile: path)
        }
    }

    @Test func namesAMissingCAFile() {
        #expect(throws: FeedError("no such file or directory")) {
            try HTTPFeed.TrustRoots(pemFile: "/nonexistent/perftop-ca.pem")
        }
    }

    // MARK: - Configuration

    @Test(arguments: [
        ("http://127.0.0.1:9100/metrics", nil),
        ("https://metrics.example.com/debug/vars", nil),
        (
            "ftp://example.com/metrics",
            "unsupported scheme ftp (use http, https, redis, rediss, memcached or postgresql)"
        ),
        ("localhost:9100", "unsupported scheme localhost (use http, https, redis, rediss, memcached or postgresql)"),
        ("http:///metrics", "no host"),
        ("not a url", "not a URL"),
        (
            "https://scraper:hunter2@example.com/metrics",
            "credentials in the URL show in ps and on screen; use --header-file or --header-env"
        ),
    ])
    func validatesURLs(url: String, expected: String?) {
        var reason: String?
        do {
            try HTTPFeed.validate(url: url)
        } catch {
            reason = error.reason
        }
        #expect(reason == expected)
    }

    @Test func readsHeadersFromAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "perftop-headers-\(UInt64.random(in: 0...UInt64.max))"
        ).path
        try "# token for the staging gateway\nAuthorization: Bearer abc.def\r\n\nX-Scope-OrgID:  team-7  \n".write(
            toFile: path,
            atomically: true,
            encoding: .utf8
        )
        defer { try? FileManager.default.removeItem(atPath: path) }
        let headers = try HTTPFeed.headers(fromFile: path)
        #expect(
            headers.map { [$0.name, $0.value] } == [["Authorization", "Bearer abc.def"], ["X-Scope-OrgID", "team-7"]]
        )
    }

    @Test func readsHeadersFromTheEnvironment() throws {
        let headers = try HTTPFeed.headers(
            fromEnvironmentVariable: "TOKEN",
            environment: ["TOKEN": "Authorization: Basic dTpw"]
        )
        #expect(headers.first(name: "Authorization") == "Basic dTpw")
        #expect(throws: FeedError("$MISSING is not set")) {
            try HTTPFeed.headers(fromEnvironmentVariable: "MISSING", environment: [:])
        }
    }

    @Test(arguments: [
        ("Authorization Bearer x", "f line 1: expected 'Name: value'"),
        ("\nBad Name: x", "f line 2: invalid header name 'Bad Name'"),
        ("Host: evil.example", "f line 1: header 'Host' is set by perftop"),
        ("X-A: a\u{7}b", "f line 1: control character in the value of 'X-A'"),
        ("# nothing\n", "f holds no header"),
    ])
    func rejectsBadHeaderLines(text: String, expected: String) {
        #expect(throws: FeedError(expected)) {
            try HTTPFeed.parseHeaders(text, origin: "f")
        }
    }

    /// A header file that does not end (a pipe, a device) is read up to its limit and no further.
    @Test func readsAHeaderFileOnlyUpToItsLimit() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "perftop-fifo-\(UInt64.random(in: 0...UInt64.max))"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/headers"
        #expect(mkfifo(path, 0o600) == 0)
        // The writer offers 64 times the limit; it can only finish if the reader reads all of it.
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "exec head -c \(64 * HTTPFeed.maximumHeaderTextBytes) /dev/zero > \"$0\"", path]
        try writer.run()
        #expect(throws: FeedError("\(path): larger than \(HTTPFeed.maximumHeaderTextBytes) bytes")) {
            try HTTPFeed.headers(fromFile: path)
        }
        writer.waitUntilExit()
        let finished = writer.terminationReason == .exit && writer.terminationStatus == 0
        #expect(!finished, "the whole stream was read")
    }

    @Test func warnsAboutAHeaderFileOthersCanRead() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "perftop-headers-\(UInt64.random(in: 0...UInt64.max))"
        ).path
        try "X-Api-Key: s3cr3t\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let warning = "header file \(path) is readable by group or others (chmod 600 \(path))"
        for (mode, expected) in [(0o644, warning), (0o640, warning), (0o604, warning), (0o600, nil), (0o400, nil)] {
            #expect(chmod(path, mode_t(mode)) == 0)
            #expect(HTTPFeed.exposureWarning(headerFile: path) == expected, "mode \(String(mode, radix: 8))")
        }
    }

    @Test(arguments: [
        ("http://metrics.example.com/metrics", true),
        ("http://10.0.0.7:9100/metrics", true),
        ("https://metrics.example.com/metrics", false),
        ("http://localhost:9100/metrics", false),
        ("http://127.0.0.9:9100/metrics", false),
        ("http://[::1]:9100/metrics", false),
    ])
    func warnsAboutHeadersInClearText(url: String, warns: Bool) throws {
        let client = HTTPFeed.makeClient()
        let headers = try HTTPFeed.parseHeaders("X-Api-Key: s3cr3t", origin: "test")
        let feed = HTTPFeed(url: url, headers: headers, client: client)
        let warning = "headers for \(url) go over plain http to a non-loopback host; use https"
        #expect(feed.cleartextWarning == (warns ? warning : nil))
        #expect(HTTPFeed(url: url, client: client).cleartextWarning == nil, "no headers, nothing to warn about")
    }

    @Test func namesAMissingHeaderFile() {
        #expect(throws: FeedError("/nonexistent/perftop-headers: no such file or directory")) {
            try HTTPFeed.headers(fromFile: "/nonexistent/perftop-headers")
        }
    }
}
