import NIOCore
import NIOHTTP1
import PerfKit

/// One response the ``HTTPResponseCache`` holds: its status, headers and body, the request header values
/// it varies on, its validators and its freshness, dated with the cache's clock.
struct StoredResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: ByteBuffer
    /// The lowercased names the response's `Vary` lists.
    var varyNames: [String]
    /// The request's values of ``varyNames``, in order, as ``normalizedValue(of:in:)`` gives them.
    var varyValues: [String?]
    /// When the response arrived, as time since the cache was created.
    var receivedAt: Duration
    /// How long the response is fresh from its origin's point of view (max-age, or Expires minus Date).
    var freshnessLifetime: Duration
    /// The response's age when it arrived (its `Age` header).
    var initialAge: Duration
    /// `no-cache`: revalidated before every use, however fresh.
    var requiresRevalidation: Bool

    /// Stores a response that arrived at `receivedAt` for a request with `requestHeaders`.
    ///
    /// - Parameters:
    ///   - control: The response's parsed `Cache-Control`.
    ///   - isShared: Whether the cache is shared, which makes `s-maxage` count.
    ///   - wallClockSeconds: Now, in seconds since the epoch, for `Expires` when the response has no `Date`.
    init(
        status: HTTPResponseStatus,
        headers: HTTPHeaders,
        body: ByteBuffer,
        requestHeaders: HTTPHeaders,
        control: CacheControl,
        isShared: Bool,
        receivedAt: Duration,
        wallClockSeconds: Int64
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.varyNames = Self.varyNames(of: headers)
        self.varyValues = self.varyNames.map { Self.normalizedValue(of: $0, in: requestHeaders) }
        self.receivedAt = receivedAt
        self.freshnessLifetime = .zero
        self.initialAge = .zero
        self.requiresRevalidation = false
        self.updateFreshness(control: control, isShared: isShared, wallClockSeconds: wallClockSeconds)
    }

    // MARK: - Freshness

    /// Recomputes freshness from the current headers (RFC 9111 §4.2.1): `s-maxage` in a shared cache,
    /// else `max-age`, else `Expires` minus `Date` (or now); no heuristic freshness.
    private mutating func updateFreshness(control: CacheControl, isShared: Bool, wallClockSeconds: Int64) {
        self.requiresRevalidation = control.noCache
        self.initialAge = .seconds(Self.deltaSeconds(self.headers.first(name: "Age")) ?? 0)
        if let sharedMaxAge = control.sharedMaxAge, isShared {
            self.freshnessLifetime = .seconds(sharedMaxAge)
        } else if let maxAge = control.maxAge {
            self.freshnessLifetime = .seconds(maxAge)
        } else if let expires = self.headers.first(name: "Expires") {
            let date = HTTPDate.secondsSinceEpoch(self.headers.first(name: "Date") ?? "") ?? wallClockSeconds
            let lifetime = HTTPDate.secondsSinceEpoch(expires).map { $0 - date } ?? 0
            self.freshnessLifetime = .seconds(max(0, lifetime))
        } else {
            self.freshnessLifetime = .zero
        }
    }

    /// How old the response is at `now`: its age on arrival plus the time it has been held.
    func age(at now: Duration) -> Duration {
        self.initialAge + (now - self.receivedAt)
    }

    /// Whether the response may be served at `now` without asking the origin.
    func isFresh(at now: Duration) -> Bool {
        !self.requiresRevalidation && self.age(at: now) < self.freshnessLifetime
    }

    // MARK: - Validators

    /// The `ETag` to send back in `If-None-Match`.
    var entityTag: String? {
        self.headers.first(name: "ETag")
    }

    /// The `Last-Modified` to send back in `If-Modified-Since`.
    var lastModified: String? {
        self.headers.first(name: "Last-Modified")
    }

    /// Whether a conditional request can revalidate the response.
    var hasValidators: Bool {
        self.entityTag != nil || self.lastModified != nil
    }

    /// Takes the headers of a `304 Not Modified` that arrived at `now` (RFC 9111 §4.3.4): each field it
    /// carries replaces the stored field of that name, except `Content-Length`, and freshness restarts.
    mutating func refresh(
        with notModifiedHeaders: HTTPHeaders,
        isShared: Bool,
        at now: Duration,
        wallClockSeconds: Int64
    ) {
        let names = Set(notModifiedHeaders.map { $0.name.lowercased() }).subtracting(["content-length"])
        for name in names {
            self.headers.replaceOrAdd(name: name, value: notModifiedHeaders[name].joined(separator: ", "))
        }
        self.receivedAt = now
        let control = CacheControl(headers: self.headers)
        self.updateFreshness(control: control, isShared: isShared, wallClockSeconds: wallClockSeconds)
    }

    // MARK: - Vary

    /// Whether the response answers a request with `requestHeaders`: every header it varies on has the
    /// value the original request had.
    func matches(_ requestHeaders: HTTPHeaders) -> Bool {
        zip(self.varyNames, self.varyValues).allSatisfy { name, value in
            Self.normalizedValue(of: name, in: requestHeaders) == value
        }
    }

    /// The lowercased field names of every `Vary` line, `*` included.
    static func varyNames(of headers: HTTPHeaders) -> [String] {
        headers["Vary"].flatMap { $0.split(separator: ",") }
            .map { $0.trimming(CacheControl.isOptionalWhitespace).lowercased() }
            .filter { !$0.isEmpty }
    }

    /// A request header's value for Vary matching: its field lines joined by `,`, each trimmed; `nil`
    /// when absent.
    static func normalizedValue(of name: String, in headers: HTTPHeaders) -> String? {
        let values = headers[name]
        return values.isEmpty
            ? nil : values.map { String($0.trimming(CacheControl.isOptionalWhitespace)) }.joined(separator: ",")
    }

    // MARK: - Weight

    /// The bytes the response takes: its body plus its header names and values.
    var weight: Int {
        self.body.readableBytes + self.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
    }

    private static func deltaSeconds(_ text: String?) -> Int? {
        guard let text, !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }) else {
            return nil
        }
        return Int(text).map { min($0, CacheControl.maximumDeltaSeconds) } ?? CacheControl.maximumDeltaSeconds
    }
}
