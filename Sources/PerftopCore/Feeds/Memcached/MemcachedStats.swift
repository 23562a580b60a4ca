import PerfKit

/// The samples of a memcached server's answer to `stats`, in the vocabulary's names (docs/sources.md,
/// "memcached").
///
/// The answer is `STAT name value` lines ended by `END`; a server error is one `ERROR`,
/// `CLIENT_ERROR …` or `SERVER_ERROR …` line. Statistics it does not know are skipped, and so is a
/// value that is not a number. Cost: one pass over the answer.
enum MemcachedStats {
    /// The cache name the server's items are shown under.
    static let cacheName = LabelValue.ServerCache.memcached.rawValue

    /// Why an answer is not memcached's.
    struct Malformed: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    /// Statistics read as they are: the field, the metric, its kind and extra labels.
    private static let fields: [String: (name: String, kind: Sample.Kind, labels: [String: String])] = [
        "get_hits": (MetricName.cacheHits, .counter, [:]),
        "get_misses": (MetricName.cacheMisses, .counter, [:]),
        "evictions": (MetricName.cacheEvictions, .counter, [LabelName.cause: CacheEvictionCause.size.rawValue]),
        "expired_unfetched": (
            MetricName.cacheEvictions, .counter, [LabelName.cause: CacheEvictionCause.expired.rawValue]
        ),
        "curr_items": (MetricName.cacheEntries, .gauge, [:]),
        "bytes": (MetricName.cacheBytes, .gauge, [:]),
        "limit_maxbytes": (MetricName.cacheCapacityBytes, .gauge, [:]),
        "curr_connections": (MetricName.memcachedConnections, .gauge, [:]),
    ]

    private static let errorPrefixes = ["ERROR", "CLIENT_ERROR", "SERVER_ERROR"]

    /// Whether `received` holds a whole answer: `END` after the statistics, or an error line.
    ///
    /// - Throws: ``Malformed`` as soon as the first bytes cannot start a memcached answer.
    static func isComplete(_ received: [UInt8]) throws(Malformed) -> Bool {
        let start = received.prefix(12)
        let known = ["STAT ", "END\r\n"] + Self.errorPrefixes
        let fits = known.contains { prefix in
            let bytes = Array(prefix.utf8)
            return start.count >= bytes.count ? start.starts(with: bytes) : bytes.starts(with: start)
        }
        guard fits else {
            throw Malformed(
                description:
                    "not a memcached reply (starts with \(SafeText.quoted(String(decoding: received.prefix(64), as: UTF8.self))))"
            )
        }
        guard received.count >= 2, received[received.count - 2] == 0x0D, received.last == 0x0A else {
            return false
        }
        if Self.errorPrefixes.contains(where: { received.starts(with: Array($0.utf8)) }) {
            return true
        }
        let end = Array("END\r\n".utf8)
        return received.count == end.count && received == end
            || received.count > end.count && received.suffix(end.count + 2).elementsEqual([0x0D, 0x0A] + end)
    }

    /// The samples of a whole answer.
    ///
    /// - Throws: ``FeedError`` `memcached: SERVER_ERROR …` for an error line.
    static func samples(_ answer: [UInt8]) throws(FeedError) -> [Sample] {
        let text = String(decoding: answer, as: UTF8.self)
        if Self.errorPrefixes.contains(where: { text.hasPrefix($0) }) {
            let line = text.prefix { !$0.isNewline }
            throw FeedError("memcached: " + SafeText.escaped(line, limit: 120))
        }
        var samples: [Sample] = []
        var cpuSeconds: Double?
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[0] == "STAT", let value = Double(parts[2]), value.isFinite, value >= 0 else {
                continue
            }
            let field = String(parts[1])
            if let known = Self.fields[field] {
                let labels =
                    known.name.hasPrefix("cache_")
                    ? known.labels.merging([LabelName.cache: Self.cacheName]) { first, _ in first } : known.labels
                samples.append(Sample(name: known.name, labels: labels, kind: known.kind, value: value))
            } else if field == "rusage_user" || field == "rusage_system" {
                cpuSeconds = (cpuSeconds ?? 0) + value
            }
        }
        if let cpuSeconds {
            samples.append(Sample(name: MetricName.processCPUSeconds, kind: .counter, value: cpuSeconds))
        }
        return samples
    }
}
