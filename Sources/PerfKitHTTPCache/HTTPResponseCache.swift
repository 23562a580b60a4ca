import FoundationEssentials
import NIOCore
import NIOHTTP1
import PerfKit
import Synchronization

/// An HTTP cache in front of an HTTP client (any ``HTTPOriginTransport``), for GET requests: it honours
/// `Cache-Control`, `Expires` and `Vary`, and revalidates stale responses with `If-None-Match` and
/// `If-Modified-Since` (RFC 9111; docs/caching.md, "HTTP response cache").
///
/// Only GET is cached; other methods go to the origin unchanged. A response is stored when it is a
/// `200 OK` with explicit freshness (`s-maxage` in a shared cache, `max-age`, or `Expires`) or a
/// validator (`ETag`, `Last-Modified`), and neither the request nor the response says `no-store`, the
/// response is not `private` in a shared cache, and its `Vary` is not `*`. There is no heuristic
/// freshness: a response without `max-age` or `Expires` is stale at once, so it is used again only after
/// a `304 Not Modified`. A stale response with validators is revalidated with a conditional request; a
/// `304` refreshes its headers and freshness and serves its body, a `200` replaces it.
///
/// Bounds: the stored responses (body plus header bytes) are held in a `Cache` bounded by
/// ``maximumBytes`` and evicted by its `CachePolicy`; one response over ``maximumEntryBytes`` is not
/// stored; a URL keeps at most 8 variants. Every origin fetch reads at most ``maximumResponseBytes`` of
/// body and must finish within ``timeout``. Concurrent identical GETs (same URL and headers) share one
/// origin fetch (`SingleFlight`).
///
/// Cost of a fresh hit: one lookup in the cache and a copy of the stored headers. Thread-safe. The cache
/// does not own the transport's client: the caller shuts it down after its last request.
public final class HTTPResponseCache: Sendable {
    /// The cache's name, the `cache` label of its samples.
    public let name: String
    /// What sends requests to the origin; its client is owned by the caller.
    public let transport: any HTTPOriginTransport
    /// The most bytes of stored responses (bodies plus header names and values) the cache holds.
    public let maximumBytes: Int
    /// The largest response (body plus headers) that is stored.
    public let maximumEntryBytes: Int
    /// The longest body read from the origin; a longer one fails with
    /// ``HTTPResponseCacheError/responseTooLarge(url:limit:)``.
    public let maximumResponseBytes: Int
    /// How long one origin fetch, head and body, may take.
    public let timeout: Duration
    /// Whether the cache serves several users, so `private` responses are not stored and `s-maxage`
    /// counts.
    public let isShared: Bool

    let storage: Cache<String, StoredVariants>
    private let flights = SingleFlight<FlightKey, CachedResponse>()
    private let counters = Mutex(Counters())
    private let elapsed: @Sendable () -> Duration

    /// Identical requests: the same URL and the same header fields.
    struct FlightKey: Hashable, Sendable {
        var url: String
        var headers: [String]

        init(_ request: HTTPOriginRequest) {
            self.url = request.url
            self.headers = request.headers.map { "\($0.name.lowercased()):\($0.value)" }.sorted()
        }
    }

    private struct Counters {
        var freshHits = 0
        var revalidations = 0
        var misses = 0
        var passedThrough = 0
        var originRequests = 0
    }

    /// Creates an empty cache that dates responses with `ContinuousClock`.
    ///
    /// - Parameters:
    ///   - name: The cache's name, e.g. `catalog-api`; it labels the cache's samples.
    ///   - transport: What sends origin requests, e.g. `AsyncHTTPClientTransport`; the caller keeps
    ///     owning its client and shuts it down.
    ///   - maximumBytes: The most bytes of stored responses; greater than zero.
    ///   - maximumEntryBytes: The largest response stored; an eighth of `maximumBytes` by default.
    ///   - maximumResponseBytes: The longest body read from the origin; 8 MiB by default.
    ///   - timeout: How long one origin fetch may take; 30 seconds by default.
    ///   - policy: How stored responses are evicted; `CachePolicy.windowTinyLFU` by default.
    ///   - isShared: Whether the cache serves several users (the default, for a service's outbound
    ///     cache): then `private` responses are not stored. Pass `false` for a single user's client.
    public convenience init(
        name: String,
        transport: some HTTPOriginTransport,
        maximumBytes: Int,
        maximumEntryBytes: Int? = nil,
        maximumResponseBytes: Int = 8 << 20,
        timeout: Duration = .seconds(30),
        policy: CachePolicy = .windowTinyLFU,
        isShared: Bool = true
    ) {
        self.init(
            name: name,
            transport: transport,
            maximumBytes: maximumBytes,
            maximumEntryBytes: maximumEntryBytes,
            maximumResponseBytes: maximumResponseBytes,
            timeout: timeout,
            policy: policy,
            isShared: isShared,
            clock: ContinuousClock()
        )
    }

    /// Creates an empty cache that dates responses with `clock`, e.g. a manual clock in tests.
    ///
    /// The clock measures freshness only: it is read once per lookup and once per origin response.
    /// Timeouts use real time.
    ///
    /// - Parameters:
    ///   - name: The cache's name, e.g. `catalog-api`; it labels the cache's samples.
    ///   - transport: What sends origin requests, e.g. `AsyncHTTPClientTransport`; the caller keeps
    ///     owning its client and shuts it down.
    ///   - maximumBytes: The most bytes of stored responses; greater than zero.
    ///   - maximumEntryBytes: The largest response stored; an eighth of `maximumBytes` by default.
    ///   - maximumResponseBytes: The longest body read from the origin; 8 MiB by default.
    ///   - timeout: How long one origin fetch may take, greater than zero; 30 seconds by default.
    ///   - policy: How stored responses are evicted; `CachePolicy.windowTinyLFU` by default.
    ///   - isShared: Whether the cache serves several users (the default): then `private` responses are
    ///     not stored.
    ///   - clock: The clock that dates responses for freshness.
    public init<C: Clock>(
        name: String,
        transport: some HTTPOriginTransport,
        maximumBytes: Int,
        maximumEntryBytes: Int? = nil,
        maximumResponseBytes: Int = 8 << 20,
        timeout: Duration = .seconds(30),
        policy: CachePolicy = .windowTinyLFU,
        isShared: Bool = true,
        clock: C
    ) where C.Duration == Duration {
        precondition(maximumBytes > 0, "HTTPResponseCache maximumBytes must be greater than zero")
        precondition(maximumResponseBytes > 0, "HTTPResponseCache maximumResponseBytes must be greater than zero")
        precondition(timeout > .zero, "HTTPResponseCache timeout must be greater than zero")
        self.name = name
        self.transport = transport
        self.maximumBytes = maximumBytes
        self.maximumEntryBytes = maximumEntryBytes ?? max(1, maximumBytes / 8)
        self.maximumResponseBytes = maximumResponseBytes
        self.timeout = timeout
        self.isShared = isShared
        self.storage = Cache(
            name: name,
            maximumWeight: maximumBytes,
            weigher: { _, variants in variants.weight },
            policy: policy
        )
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
    }

    // MARK: - Requests

    /// Sends a GET for `url` through the cache; see ``execute(_:)``.
    public func get(_ url: String, headers: HTTPHeaders = [:]) async throws -> CachedResponse {
        try await self.execute(HTTPOriginRequest(url: url, headers: headers))
    }

    /// Answers `request` from the cache when a stored response may be used, else from the origin,
    /// storing the origin's response when it may be stored.
    ///
    /// A GET is served from a fresh stored response; else a stale one with validators is revalidated
    /// (a `304` serves it), else it is fetched. GETs with `Cache-Control: no-store`, `Range` or a
    /// condition of their own (`If-None-Match`, `If-Modified-Since`, `If-Match`, `If-Unmodified-Since`,
    /// `If-Range`) bypass the cache; a request's `no-cache` skips the fresh response, and its `max-age=N`
    /// accepts only one younger than N seconds (so `max-age=0` revalidates). Other methods go to the
    /// origin unchanged.
    ///
    /// Cost: a fresh hit takes one cache lookup; anything else one origin request, shared by the
    /// concurrent identical GETs, plus one store. Cancelling a caller does not cancel a fetch that
    /// others share.
    ///
    /// - Returns: The response, its body read in full, and how it was served.
    /// - Throws: ``HTTPResponseCacheError`` when the body is too long or the fetch times out, or the
    ///   transport's error.
    public func execute(_ request: HTTPOriginRequest) async throws -> CachedResponse {
        guard request.method == .GET else {
            self.counters.withLockedValue { $0.passedThrough += 1 }
            return Self.uncached(try await self.fetch(request))
        }
        let requestControl = CacheControl(headers: request.headers)
        let response: CachedResponse
        if !Self.mayUseCache(request, control: requestControl) {
            response = Self.uncached(try await self.fetch(request))
        } else if let fresh = self.freshResponse(for: request, control: requestControl) {
            response = fresh
        } else {
            response = try await self.flights.run(forKey: FlightKey(request)) {
                try await self.load(request, control: requestControl)
            }
        }
        self.count(response.source)
        return response
    }

    /// The number of callers waiting for the origin fetch of `request`, or 0 when none is in flight.
    ///
    /// Meant for diagnostics and tests: the answer may be stale as soon as it is returned. Cost: one lock.
    public func waitingCallerCount(for request: HTTPOriginRequest) -> Int {
        self.flights.callerCount(forKey: FlightKey(request))
    }

    /// The counters and the stored responses' stats, each read under its lock. Cost: two locks.
    public var stats: HTTPResponseCacheStats {
        let counters = self.counters.withLockedValue { $0 }
        return HTTPResponseCacheStats(
            freshHits: counters.freshHits,
            revalidations: counters.revalidations,
            misses: counters.misses,
            passedThrough: counters.passedThrough,
            originRequests: counters.originRequests,
            storage: self.storage.stats
        )
    }

    // MARK: - Lookup and revalidation

    /// Whether a GET may be answered from, and stored in, the cache.
    private static func mayUseCache(_ request: HTTPOriginRequest, control: CacheControl) -> Bool {
        let ownConditions = [
            "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range", "Range",
        ]
        return !control.noStore && !ownConditions.contains { request.headers.contains(name: $0) }
    }

    /// The stored response for `request` when it may be served without asking the origin.
    private func freshResponse(for request: HTTPOriginRequest, control: CacheControl) -> CachedResponse? {
        guard !control.noCache,
            let stored = self.storage.value(forKey: request.url)?.response(matching: request.headers)
        else {
            return nil
        }
        let now = self.elapsed()
        let isYoungEnough = control.maxAge.map { stored.age(at: now) < .seconds($0) } ?? true
        guard stored.isFresh(at: now), isYoungEnough else {
            return nil
        }
        return Self.served(stored, at: now, source: .fresh)
    }

    /// The single-flight load: a fresh response stored meanwhile, or a conditional request for a stale
    /// one with validators, or a plain one.
    private func load(_ request: HTTPOriginRequest, control requestControl: CacheControl) async throws -> CachedResponse
    {
        if let fresh = self.freshResponse(for: request, control: requestControl) {
            return fresh
        }
        let stored = self.storage.value(forKey: request.url)?.response(matching: request.headers)
        var outgoing = request
        if let entityTag = stored?.entityTag {
            outgoing.headers.replaceOrAdd(name: "If-None-Match", value: entityTag)
        }
        if let lastModified = stored?.lastModified {
            outgoing.headers.replaceOrAdd(name: "If-Modified-Since", value: lastModified)
        }
        let response = try await self.fetch(outgoing)
        let now = self.elapsed()
        if response.status == .notModified, var stored, stored.hasValidators {
            stored.refresh(with: response.headers, isShared: self.isShared, at: now, wallClockSeconds: Self.wallClock())
            self.store(stored, for: request)
            return Self.served(stored, at: now, source: .revalidated)
        }
        let isStored = self.storeIfAllowed(response, for: request, control: requestControl, at: now)
        return CachedResponse(
            status: response.status,
            headers: response.headers,
            body: response.body,
            source: isStored ? .origin : .notCacheable
        )
    }

    /// Stores a full origin response to a GET when its status, its and the request's directives, its
    /// `Vary` and its size allow; returns whether it did.
    private func storeIfAllowed(
        _ response: HTTPOriginResponse,
        for request: HTTPOriginRequest,
        control requestControl: CacheControl,
        at now: Duration
    ) -> Bool {
        let control = CacheControl(headers: response.headers)
        let isAuthorized = request.headers.contains(name: "Authorization")
        let sharedMayStoreAuthorized = control.isPublic || control.sharedMaxAge != nil || control.mustRevalidate
        guard response.status == .ok, !requestControl.noStore, !control.noStore,
            !(self.isShared && control.isPrivate),
            !(self.isShared && isAuthorized && !sharedMayStoreAuthorized)
        else {
            return false
        }
        let stored = StoredResponse(
            status: response.status,
            headers: response.headers,
            body: response.body,
            requestHeaders: request.headers,
            control: control,
            isShared: self.isShared,
            receivedAt: now,
            wallClockSeconds: Self.wallClock()
        )
        let isReusable = stored.hasValidators || (stored.freshnessLifetime > .zero && !stored.requiresRevalidation)
        guard isReusable, !stored.varyNames.contains("*"), stored.weight <= self.maximumEntryBytes else {
            return false
        }
        self.store(stored, for: request)
        return true
    }

    /// Puts `response` among the variants of its URL. Two concurrent stores of different variants of one
    /// URL may keep only the later one; the other is fetched again next time.
    private func store(_ response: StoredResponse, for request: HTTPOriginRequest) {
        var variants = self.storage.value(forKey: request.url) ?? StoredVariants()
        variants.store(response, for: request.headers)
        self.storage.setValue(variants, forKey: request.url)
    }

    /// An origin's response as returned to a caller when it was not stored.
    private static func uncached(_ response: HTTPOriginResponse) -> CachedResponse {
        CachedResponse(status: response.status, headers: response.headers, body: response.body, source: .notCacheable)
    }

    /// A stored response as served at `now`, with its current `Age`.
    private static func served(_ stored: StoredResponse, at now: Duration, source: CachedResponse.Source)
        -> CachedResponse
    {
        var headers = stored.headers
        headers.replaceOrAdd(name: "Age", value: String(stored.age(at: now).components.seconds))
        return CachedResponse(status: stored.status, headers: headers, body: stored.body, source: source)
    }

    private func count(_ source: CachedResponse.Source) {
        self.counters.withLockedValue { counters in
            switch source {
            case .fresh: counters.freshHits += 1
            case .revalidated: counters.revalidations += 1
            case .origin, .notCacheable: counters.misses += 1
            }
        }
    }

    /// Now, in whole seconds since the epoch, for `Expires` on a response without `Date`.
    private static func wallClock() -> Int64 {
        Int64(Date.now.timeIntervalSince1970)
    }

    // MARK: - Origin

    /// Sends `request` to the origin and reads the whole body, within ``timeout`` and
    /// ``maximumResponseBytes``.
    private func fetch(_ request: HTTPOriginRequest) async throws -> HTTPOriginResponse {
        self.counters.withLockedValue { $0.originRequests += 1 }
        let deadline = NIODeadline.now() + TimeAmount(self.timeout)
        do {
            return try await self.transport.send(
                request,
                maximumBodyBytes: self.maximumResponseBytes,
                deadline: deadline
            )
        } catch HTTPOriginTransportError.bodyTooLarge {
            throw HTTPResponseCacheError.responseTooLarge(url: request.url, limit: self.maximumResponseBytes)
        } catch HTTPOriginTransportError.deadlineExceeded {
            throw HTTPResponseCacheError.timedOut(url: request.url, timeout: self.timeout)
        }
    }
}
