import FoundationEssentials
import NIOHTTP1
import PerfKit
import Synchronization

/// A Prometheus server read as the source of a fleet (`perftop --prometheus URL`): each target
/// (each value of ``PrometheusQueries/sourceLabel``) becomes a source of its own.
///
/// Once per round it asks `/api/v1/query`, all at the same evaluation time: the queries of
/// ``PrometheusQueries`` (by default, every series with a well-known name, as scraped), `up` and
/// `timestamp(up)`. The answers are split by target; each target's samples are recorded at the
/// time Prometheus scraped them, so rates are computed between scrapes, not between polls. At start
/// ``backfill(window:points:timeout:)`` asks `/api/v1/query_range` for the whole window so every graph
/// is full at once.
///
/// The sources are ``PrometheusServerFeed`` (the server itself: its errors and warnings) and one
/// ``PrometheusTargetFeed`` per target, which ``feeds(replacing:)`` adds as targets appear and drops
/// when Prometheus no longer knows them. All of them share one fetch per round: the first poll of a
/// round starts it and the others wait for it (a fetch started less than ``reuseWithin`` ago is
/// reused).
///
/// Bounds: every request finishes within the poll's timeout and reads at most
/// ``maximumResponseBytes``; at most ``maximumTargets`` targets are sources.
public final class PrometheusEngine: Sendable {
    /// The server's base URL, e.g. `http://127.0.0.1:9090`, as given.
    public let url: String
    /// What is asked and how answers become samples.
    public let queries: PrometheusQueries
    /// The largest answer accepted: 16 MiB by default.
    public let maximumResponseBytes: Int
    /// How long a fetch's answers serve every poll that asks after it started: 250 ms, well within
    /// the shortest interval that makes sense for a fleet, and longer than one round's spread of polls.
    public static let reuseWithin = Duration.milliseconds(250)
    /// The most targets watched: as many as ``AgentDiscovery/maximumAgents`` agents.
    public static let maximumTargets = AgentDiscovery.maximumAgents

    private let headers: HTTPFeed.Headers
    private let client: HTTP1Client
    private let state = Mutex(State())

    /// One fetch's answers, split by target.
    struct Round: Sendable {
        /// Each target's samples and the time Prometheus scraped it, if known.
        var targets: [String: FeedReading]
        /// The targets Prometheus failed to scrape last (`up` is 0).
        var down: Set<String>
        /// Prometheus' warnings, joined; nil when none.
        var warning: String?
    }

    private struct State {
        /// The fetch running or last run, with when it started.
        var fetch: (started: ContinuousClock.Instant, task: Task<Round, any Error>)?
        /// The targets that are sources, in the order they were first seen.
        var targets: [String] = []
    }

    /// Creates an engine for the server at `url`. Nothing is sent until the first poll or backfill.
    ///
    /// - Parameters:
    ///   - url: the server's base URL (`http` or `https`); the API paths are appended to it.
    ///   - queries: the queries and source label.
    ///   - headers: request headers (e.g. `Authorization`) sent with every request.
    ///   - maximumResponseBytes: the largest answer accepted.
    ///   - client: the shared HTTP client; the caller shuts it down.
    public init(
        url: String,
        queries: PrometheusQueries = PrometheusQueries(),
        headers: HTTPFeed.Headers = [:],
        maximumResponseBytes: Int = 16 << 20,
        client: HTTP1Client
    ) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.queries = queries
        self.headers = headers
        self.maximumResponseBytes = maximumResponseBytes
        self.client = client
    }

    /// The name of the server's own source: `prometheus:URL`.
    public var sourceName: String {
        "prometheus:" + self.url
    }

    /// The name of a target's source: `prometheus:URL#TARGET`.
    public func sourceName(ofTarget target: String) -> String {
        self.sourceName + "#" + target
    }

    // MARK: - Feeds

    /// The feeds to poll: `current` without the targets Prometheus no longer knows, then a
    /// ``PrometheusTargetFeed`` for each target seen that no feed reads yet. Every other feed is kept
    /// as it is, in its place. Cost: O(feeds + targets).
    public func feeds(replacing current: [any Feed]) -> [any Feed] {
        let targets = self.state.withLockedValue { $0.targets }
        let wanted = Set(targets)
        var feeds: [any Feed] = []
        var watched = Set<String>()
        for feed in current {
            if let target = feed as? PrometheusTargetFeed, target.engine === self {
                guard wanted.contains(target.target) else {
                    continue
                }
                watched.insert(target.target)
            }
            feeds.append(feed)
        }
        for target in targets where !watched.contains(target) {
            feeds.append(PrometheusTargetFeed(engine: self, target: target))
        }
        return feeds
    }

    // MARK: - Rounds

    /// This round's answers: those of a fetch started less than ``reuseWithin`` ago (waiting for it
    /// if it is still running), else of a new fetch.
    func round(timeout: Duration) async throws -> Round {
        let clock = ContinuousClock()
        let task = self.state.withLockedValue { state in
            if let fetch = state.fetch, clock.now - fetch.started < Self.reuseWithin {
                return fetch.task
            }
            let task = Task { try await self.fetchRound(timeout: timeout) }
            state.fetch = (clock.now, task)
            return task
        }
        // Not cancelled with one waiter: the others share it, and its requests end by their deadline.
        return try await task.value
    }

    /// Asks every query at one evaluation time and splits the answers by target.
    private func fetchRound(timeout: Duration) async throws -> Round {
        let time = Date().timeIntervalSince1970
        let queries = self.queries.queries
        let up = self.queries.upQuery
        async let upAnswer = self.instant(up, at: time, timeout: timeout)
        async let scrapeTimes = self.instant("timestamp(\(up))", at: time, timeout: timeout)
        let answers = try await withThrowingTaskGroup(of: (Int, PrometheusResponse).self) { group in
            for (index, query) in queries.enumerated() {
                group.addTask { (index, try await self.instant(query.promQL, at: time, timeout: timeout)) }
            }
            var answers = [PrometheusResponse?](repeating: nil, count: queries.count)
            for try await (index, answer) in group {
                answers[index] = answer
            }
            return answers.compactMap { $0 }
        }
        let upResponse = try await upAnswer
        let timesResponse = try await scrapeTimes
        var samples: [String: [Sample]] = [:]
        for (query, answer) in zip(queries, answers) {
            for (target, byTime) in self.queries.samples(of: answer, named: query.metricName) {
                samples[target, default: []] += byTime.values.joined()
            }
        }
        var down = Set<String>()
        var known = Set<String>()
        for series in upResponse.series {
            guard let target = series.labels[self.queries.sourceLabel], let value = series.points.last?.value
            else {
                continue
            }
            known.insert(target)
            if value == 0 {
                down.insert(target)
            }
        }
        var scrapedAt: [String: Double] = [:]
        for series in timesResponse.series {
            if let target = series.labels[self.queries.sourceLabel], let value = series.points.last?.value {
                scrapedAt[target] = value
            }
        }
        var targets: [String: FeedReading] = [:]
        for (target, targetSamples) in samples {
            targets[target] = FeedReading(
                samples: targetSamples + HistogramQuantiles.estimates(from: targetSamples),
                time: scrapedAt[target]
            )
        }
        let warnings = ([upResponse, timesResponse] + answers).flatMap(\.warnings)
        self.noteTargets(seen: Set(targets.keys), known: known.union(targets.keys))
        return Round(
            targets: targets,
            down: down,
            warning: warnings.isEmpty ? nil : Array(Set(warnings)).sorted().joined(separator: "; ")
        )
    }

    /// Adds the targets seen with samples to the sources, in sorted order, up to ``maximumTargets``,
    /// and drops those Prometheus no longer knows at all (all of `known`, when it is given).
    private func noteTargets(seen: Set<String>, known: Set<String>?) {
        self.state.withLockedValue { state in
            if let known {
                state.targets.removeAll { !known.contains($0) }
            }
            let new = seen.subtracting(state.targets).sorted()
            state.targets += new.prefix(max(0, Self.maximumTargets - state.targets.count))
        }
    }

    // MARK: - Backfill

    /// Every target's history over the last `window`, at `points` evenly spaced times (step =
    /// window ÷ points), oldest first: what the graphs show at once when perftop starts. Each point is
    /// placed at the time of the scrape its values came from (`timestamp(up)` at the same step), so
    /// rates over the history are as exact as over live rounds. The targets found become sources.
    ///
    /// Each target's history goes to `record` as soon as it is read, keyed by its source name
    /// (``sourceName(ofTarget:)``), ready for ``Collector/recordHistory(_:)``; so at most
    /// ``backfillConcurrency`` targets' answers are held at once, not the whole fleet's window (at a
    /// hundred targets of the demo's series, 2.2 million points).
    ///
    /// Requests: the targets (`count by` the source label), the scrape times and each override over
    /// the window, then one `/api/v1/query_range` per target, ``backfillConcurrency`` at once, all
    /// within `timeout`.
    ///
    /// - Throws: ``FeedError`` when the server cannot be read; perftop then starts without history
    ///   (or with the targets recorded so far).
    public func backfill(
        window: Duration,
        points: Int,
        timeout: Duration,
        record: @Sendable (_ history: [String: [FeedReading]]) -> Void
    ) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let end = Date().timeIntervalSince1970
        let step = max(window.seconds / Double(max(1, points)), 0.001)
        let start = end - window.seconds
        let label = self.queries.sourceLabel
        let targets = try await self.instant(
            "count by (\(label)) (\(self.queries.defaultQuery))",
            at: end,
            timeout: timeout
        ).series.compactMap { $0.labels[label] }.sorted().prefix(Self.maximumTargets)
        let range = { @Sendable (promQL: String) async throws -> PrometheusResponse in
            try await self.range(
                promQL,
                from: start,
                to: end,
                step: step,
                timeout: ContinuousClock.now.duration(to: deadline)
            )
        }
        var scrapedAt: [String: [Double: Double]] = [:]
        for series in try await range("timestamp(\(self.queries.upQuery))").series {
            if let target = series.labels[label] {
                scrapedAt[target] = Dictionary(series.points.map { ($0.time, $0.value) }) { $1 }
            }
        }
        var overridden: [String: [Double: [Sample]]] = [:]
        for query in self.queries.queries.dropFirst() {
            for (target, byTime) in self.queries.samples(of: try await range(query.promQL), named: query.metricName) {
                overridden[target, default: [:]].merge(byTime) { $0 + $1 }
            }
        }
        try await withThrowingTaskGroup(of: (String, PrometheusResponse).self) { group in
            var pending = targets[...]
            func startNext() {
                guard let target = pending.popFirst() else {
                    return
                }
                let promQL = self.queries.defaultQuery(narrowedTo: target)
                group.addTask { (target, try await range(promQL)) }
            }
            for _ in 0..<Self.backfillConcurrency {
                startNext()
            }
            for try await (target, answer) in group {
                var byTime = self.queries.samples(of: answer, named: nil)[target] ?? [:]
                byTime.merge(overridden[target] ?? [:]) { $0 + $1 }
                let times = scrapedAt[target] ?? [:]
                let readings = byTime.sorted { $0.key < $1.key }.map { time, samples in
                    FeedReading(
                        samples: samples + HistogramQuantiles.estimates(from: samples),
                        time: times[time] ?? time
                    )
                }
                self.noteTargets(seen: [target], known: nil)
                record([self.sourceName(ofTarget: target): readings])
                startNext()
            }
        }
    }

    /// The most backfill queries sent at once.
    static let backfillConcurrency = 4

    // MARK: - Answers

    /// The samples by target that `queries` reads from one API answer (`body`, with HTTP `status`),
    /// each point at its own time: what a round or the backfill does with each answer. Public for the
    /// fuzzers (Fuzz/FuzzPrometheusAPI).
    ///
    /// - Throws: ``FeedError`` as a poll would: Prometheus' error, a result that is not series, a
    ///   body that is not the API's JSON.
    public static func samples(
        answer body: [UInt8],
        status: Int,
        queries: PrometheusQueries = PrometheusQueries()
    ) throws(FeedError) -> [String: [Double: [Sample]]] {
        queries.samples(of: try PrometheusResponse.decode(body, status: status), named: nil)
    }

    // MARK: - Requests

    /// One instant query evaluated at `time`.
    private func instant(_ promQL: String, at time: Double, timeout: Duration) async throws -> PrometheusResponse {
        try await self.get(
            path: "/api/v1/query",
            parameters: ["query": promQL, "time": Self.format(time)],
            timeout: timeout
        )
    }

    /// One range query from `start` to `end` every `step` seconds.
    private func range(
        _ promQL: String,
        from start: Double,
        to end: Double,
        step: Double,
        timeout: Duration
    ) async throws -> PrometheusResponse {
        try await self.get(
            path: "/api/v1/query_range",
            parameters: [
                "query": promQL, "start": Self.format(start), "end": Self.format(end), "step": Self.format(step),
            ],
            timeout: timeout
        )
    }

    /// Sends `GET path?parameters` and decodes the answer, errors included.
    private func get(path: String, parameters: [String: String], timeout: Duration) async throws -> PrometheusResponse {
        guard timeout > .zero else {
            throw FeedError.timeout(after: timeout)
        }
        let query = parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.percentEncoded($0.value))" }
        let feed = HTTPFeed(
            url: self.url + path + "?" + query.joined(separator: "&"),
            headers: self.headers,
            maximumResponseBytes: self.maximumResponseBytes,
            client: self.client
        )
        let fetched = try await feed.fetch(timeout: timeout, keepingErrorBodies: true)
        return try PrometheusResponse.decode(fetched.body, status: fetched.status)
    }

    /// Seconds (since 1970, or a step) as the API takes them: a decimal number.
    static func format(_ seconds: Double) -> String {
        String(seconds)
    }

    /// `text` percent-encoded for a query string: everything but RFC 3986's unreserved characters.
    static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                encoded.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                encoded += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return encoded
    }
}
