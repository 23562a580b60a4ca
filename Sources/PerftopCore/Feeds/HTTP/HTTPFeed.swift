import FoundationEssentials
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import PerfKit

/// A metrics endpoint read over HTTP or HTTPS (`perftop --endpoint URL`).
///
/// Each poll sends one `GET` with an `Accept` header that prefers OpenMetrics, then Prometheus text
/// 0.0.4, then JSON (``acceptHeader``), and reads the answer by its `Content-Type`, or by sniffing the
/// body when the type says nothing useful (see docs/sources.md):
/// - a perftop snapshot (JSON with the schema `perftop.snapshot`, what a PerfKit agent serves at
///   `/perftop.json`) is decoded with ``Snapshot/decode(jsonLine:)``;
/// - Prometheus or OpenMetrics text goes through ``PrometheusTextParser``, and every histogram gets
///   quantile estimates from ``HistogramQuantiles`` (marked `estimate="buckets"`);
/// - any other JSON goes through ``JSONMetricsFlattener``.
///
/// Bounds: the whole poll (connect, TLS, request, body, and every redirect) finishes within its timeout;
/// the body is read as it streams and the poll fails as soon as it would exceed ``maximumResponseBytes``,
/// so no more than that is ever held; parsing is bounded by the parser's and flattener's budgets.
///
/// Redirects (301, 302, 303, 307, 308) are followed by the feed itself, at most ``maximumRedirects``
/// per poll and never in a cycle. The configured ``headers`` go only to the URL's origin (scheme, host
/// and port): a redirect elsewhere gets perftop's own `User-Agent` and `Accept` only. A redirect from
/// https to http is refused.
///
/// Every feed of a perftop run shares one ``HTTP1Client`` (``makeClient(eventLoopGroup:trustRoots:)``),
/// whose pool keeps connections alive between polls; the owner shuts it down once, after the last poll.
public struct HTTPFeed: Feed {
    /// Request headers: NIOHTTP1's `HTTPHeaders`, named here so that callers need not import NIOHTTP1.
    public typealias Headers = HTTPHeaders

    /// The endpoint's URL, as given.
    public let name: String
    /// The endpoint's URL.
    public let url: String
    /// Extra request headers, e.g. `Authorization`, sent with every request to the URL's origin.
    public let headers: HTTPHeaders
    /// The largest body accepted; a larger one fails the poll.
    public let maximumResponseBytes: Int
    /// Bounds the Prometheus text parse.
    public let parser: PrometheusTextParser
    /// Bounds the flattening of plain JSON.
    public let flattener: JSONMetricsFlattener
    private let client: HTTP1Client

    /// The `Accept` header sent with every poll.
    public static let acceptHeader =
        "application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.8,application/json;q=0.7,*/*;q=0.1"

    /// Creates a feed for `url`. Nothing is sent until the first poll.
    ///
    /// - Parameters:
    ///   - url: an `http` or `https` URL (see ``validate(url:)``).
    ///   - headers: extra request headers, e.g. read by ``headers(fromFile:)``.
    ///   - maximumResponseBytes: the largest body accepted; 16 MiB by default.
    ///   - parser: the Prometheus text parser and its budget.
    ///   - flattener: the JSON flattener and its bounds.
    ///   - client: the shared client, from ``makeClient(eventLoopGroup:trustRoots:)``; the caller shuts it
    ///     down.
    public init(
        url: String,
        headers: HTTPHeaders = [:],
        maximumResponseBytes: Int = 16 << 20,
        parser: PrometheusTextParser = PrometheusTextParser(),
        flattener: JSONMetricsFlattener = JSONMetricsFlattener(),
        client: HTTP1Client
    ) {
        self.name = url
        self.url = url
        self.headers = headers
        self.maximumResponseBytes = maximumResponseBytes
        self.parser = parser
        self.flattener = flattener
        self.client = client
    }

    /// A client for all HTTP feeds of one run: HTTP/1.1, TLS with full verification (chain and host
    /// name), at most 2 idle connections per origin kept for 60 s. It follows no redirect: the feed
    /// does, to decide which headers go along.
    ///
    /// The caller must call `shutdown()` on it once no feed polls any more.
    ///
    /// - Parameters:
    ///   - eventLoopGroup: the loops the client runs on.
    ///   - trustRoots: the only certificates a server's chain may lead to (`--ca-file`); `nil`, the
    ///     default, trusts the system's roots.
    public static func makeClient(
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        trustRoots: TrustRoots? = nil
    ) -> HTTP1Client {
        HTTP1Client(
            eventLoopGroup: eventLoopGroup,
            tlsConfiguration: TLSClientContext.configuration(trustRoots: trustRoots)
        )
    }

    /// Checks that `url` is an absolute `http` or `https` URL with a host, as the CLI does before starting.
    ///
    /// - Throws: ``FeedError`` `not a URL`, `unsupported scheme X (use http, https, redis, rediss, memcached or postgresql)`, `no host`, or a
    ///   refusal of credentials in the URL (`http://user:password@host/`).
    public static func validate(url: String) throws(FeedError) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased() else {
            throw FeedError("not a URL")
        }
        guard scheme == "http" || scheme == "https" else {
            throw FeedError("unsupported scheme \(scheme) (use http, https, redis, rediss, memcached or postgresql)")
        }
        guard let host = parsed.host, !host.isEmpty else {
            throw FeedError("no host")
        }
        guard parsed.user == nil, parsed.password == nil else {
            throw FeedError("credentials in the URL show in ps and on screen; use --header-file or --header-env")
        }
    }

    /// Fetches the endpoint once and returns its samples.
    ///
    /// - Throws: ``FeedError`` with a short reason: `connection refused`, `connection reset`,
    ///   `timeout after 1.0s`, `HTTP 503 Service Unavailable`, `response larger than N bytes`,
    ///   `connection closed mid-response after N bytes`, `parse error at line N: …`, `invalid JSON`, a
    ///   ``SnapshotDecodingError`` description, `TLS: …`, `cannot resolve HOST`, `too many redirects
    ///   (more than 3)`, `redirect cycle`, `redirect from https to http refused`.
    public func poll(timeout: Duration) async throws -> [Sample] {
        let response = try await self.fetch(timeout: timeout)
        return try self.decode(response.body, contentType: response.contentType)
    }
}

// MARK: - Trust roots

extension HTTPFeed {
    /// Certificates read from a PEM file, trusted instead of the system's roots (`perftop --ca-file PATH`),
    /// for endpoints signed by a private CA or with a self-signed certificate.
    ///
    /// They replace the system's roots for every endpoint of the client, as `curl --cacert` does: a
    /// public endpoint polled by the same client verifies only if the file holds its root too.
    public struct TrustRoots: Sendable {
        /// The largest file read: 4 MiB, many times a system's whole CA bundle.
        public static let maximumFileBytes = 4 << 20

        /// The certificates, in file order; never empty.
        let certificates: [NIOSSLCertificate]

        /// Reads every `-----BEGIN CERTIFICATE-----` block of the PEM file at `path`.
        ///
        /// Cost: one read of at most ``maximumFileBytes``, blocking; call it once, at startup.
        ///
        /// - Throws: ``FeedError`` with a reason that does not repeat the path (the caller names it):
        ///   `no such file or directory`, `permission denied`, `is a directory`, `larger than N bytes`,
        ///   or `no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)` for a file that is
        ///   empty, not PEM, or holds a malformed certificate.
        public init(pemFile path: String) throws(FeedError) {
            let text: String
            do {
                text = try ProcFile.read(path, limit: Self.maximumFileBytes)
            } catch {
                switch error {
                case .system(_, let code):
                    throw FeedError(ProcFile.describe(errno: code))
                case .tooLarge(_, let limit):
                    throw FeedError("larger than \(limit) bytes")
                }
            }
            // PEM blocks of other types, such as a private key, are skipped; a malformed certificate fails.
            guard let certificates = try? NIOSSLCertificate.fromPEMBytes(Array(text.utf8)), !certificates.isEmpty
            else {
                throw FeedError("no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)")
            }
            self.certificates = certificates
        }
    }
}

// MARK: - Fetching

extension HTTPFeed {
    /// The final response of a fetch.
    struct Fetched {
        /// The status code.
        var status: Int
        /// The `Content-Type` header, if any.
        var contentType: String?
        /// The whole body.
        var body: [UInt8]
    }

    /// Sends the request, follows redirects and reads the body, all within `timeout`; returns the final
    /// response. A status outside 2xx fails the fetch, unless `keepingErrorBodies` (an API such as
    /// Prometheus' explains its errors in the body) and the status is 4xx or 5xx. The client follows
    /// each redirect from its event loop, as the closure below decides.
    func fetch(timeout: Duration, keepingErrorBodies: Bool = false) async throws -> Fetched {
        guard let start = URL(string: self.url), let origin = Origin(start) else {
            throw FeedError("invalid URL")
        }
        let configured = self.requestHeaders(withConfigured: true)
        let unconfigured = self.requestHeaders(withConfigured: false)
        do {
            let response = try await self.client.get(
                start,
                headers: configured,
                deadline: NIODeadline.now() + TimeAmount(timeout),
                maximumBodyBytes: self.maximumResponseBytes
            ) { response, requested throws(FeedError) in
                guard Self.redirectStatuses.contains(response.status.code),
                    let location = response.headers.first(name: "Location"),
                    let current = requested.last
                else {
                    return nil
                }
                guard requested.count <= Self.maximumRedirects else {
                    throw FeedError("too many redirects (more than \(Self.maximumRedirects))")
                }
                let target = try Self.redirectTarget(location: location, from: current)
                guard !requested.contains(where: { $0.absoluteString == target.absoluteString }) else {
                    throw FeedError("redirect cycle")
                }
                return (target, Origin(target) == origin ? configured : unconfigured)
            }
            let status = Int(response.status.code)
            guard (200..<300).contains(status) || (keepingErrorBodies && (400..<600).contains(status)) else {
                throw FeedError("HTTP \(status) \(response.status.reasonPhrase)")
            }
            return Fetched(
                status: status,
                contentType: response.headers.first(name: "Content-Type"),
                body: response.body
            )
        } catch {
            throw FeedError.describing(error, timeout: timeout)
        }
    }

    /// perftop's `User-Agent` and `Accept`, and the configured headers when `withConfigured` (the
    /// request goes to the endpoint's origin).
    private func requestHeaders(withConfigured: Bool) -> HTTPHeaders {
        var headers: HTTPHeaders = ["User-Agent": "perftop", "Accept": Self.acceptHeader]
        if withConfigured {
            headers.add(contentsOf: self.headers)
        }
        return headers
    }
}

// MARK: - Decoding

extension HTTPFeed {
    /// What a body holds.
    enum BodyFormat: Equatable {
        case prometheusText
        case json
    }

    /// The format of a body with this `Content-Type`: OpenMetrics and versioned `text/plain` are text,
    /// `application/json` and `+json` types are JSON; anything else is sniffed: JSON when the first
    /// byte other than white space is `{` or `[`, text otherwise.
    static func format(contentType: String?, body: [UInt8]) -> BodyFormat {
        let parameters = (contentType ?? "").lowercased().split(separator: ";").map {
            $0.trimmingWhitespace()
        }
        let mediaType = parameters.first ?? ""
        if mediaType == "application/openmetrics-text"
            || (mediaType == "text/plain" && parameters.contains("version=0.0.4"))
        {
            return .prometheusText
        }
        if mediaType == "application/json" || mediaType.hasSuffix("+json") {
            return .json
        }
        let first = body.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? .json : .prometheusText
    }

    /// The samples of a body.
    func decode(_ body: [UInt8], contentType: String?) throws(FeedError) -> [Sample] {
        switch Self.format(contentType: contentType, body: body) {
        case .prometheusText:
            let samples: [Sample]
            do {
                samples = try self.parser.parse(body)
            } catch {
                throw FeedError("parse error at line \(error.line): \(error.reason)")
            }
            return samples + HistogramQuantiles.estimates(from: samples)
        case .json:
            let data = Data(body)
            if Self.mentionsSnapshotSchema(body) {
                do {
                    return try Snapshot.decode(jsonLine: data).samples
                } catch {
                    throw FeedError("\(error)")
                }
            }
            do {
                return try self.flattener.flatten(data)
            } catch {
                throw FeedError(error.reason)
            }
        }
    }

    /// Whether `body` contains the snapshot schema name, the cheap test that picks the snapshot decoder.
    private static func mentionsSnapshotSchema(_ body: [UInt8]) -> Bool {
        let needle = Array(("\"" + Snapshot.schemaName + "\"").utf8)
        guard body.count >= needle.count, let first = needle.first else {
            return false
        }
        var index = 0
        while index <= body.count - needle.count {
            if body[index] == first, body[index..<index + needle.count].elementsEqual(needle) {
                return true
            }
            index += 1
        }
        return false
    }
}
