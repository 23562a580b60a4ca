import PerfKit

/// The samples of a Redis server's `INFO all` text, in the vocabulary's names (docs/sources.md,
/// "Redis"): the keyspace as the cache `redis` (hits, misses, evictions by cause, keys, memory against
/// `maxmemory`), the server's memory and CPU as a process's, clients and commands, and per-command
/// latency from `latencystats` and `commandstats`.
///
/// Lines it does not know are skipped, and so is a value that is not a number: a newer or older
/// server gives what both know. Cost: one pass over the text.
enum RedisInfo {
    /// The cache name the keyspace is shown under.
    static let cacheName = LabelValue.ServerCache.redis.rawValue

    /// Counters and gauges read from a `field:value` line: the field, the metric, its kind and a factor.
    private static let fields: [String: (name: String, labels: [String: String], kind: Sample.Kind, scale: Double)] = [
        "keyspace_hits": (MetricName.cacheHits, [:], .counter, 1),
        "keyspace_misses": (MetricName.cacheMisses, [:], .counter, 1),
        "evicted_keys": (MetricName.cacheEvictions, [LabelName.cause: CacheEvictionCause.size.rawValue], .counter, 1),
        "expired_keys": (
            MetricName.cacheEvictions, [LabelName.cause: CacheEvictionCause.expired.rawValue], .counter, 1
        ),
        "used_memory": (MetricName.cacheBytes, [:], .gauge, 1),
        "connected_clients": (MetricName.redisConnectedClients, [:], .gauge, 1),
        "blocked_clients": (MetricName.redisBlockedClients, [:], .gauge, 1),
        "total_commands_processed": (MetricName.redisCommandsProcessed, [:], .counter, 1),
        "maxmemory": (MetricName.redisMaxMemory, [:], .gauge, 1),
    ]

    /// The samples of `text`.
    static func samples(_ text: String) -> [Sample] {
        var samples: [Sample] = []
        var keys = 0.0
        // An empty server lists no database under `# Keyspace`: it holds 0 keys.
        var sawKeyspace = false
        var cpuSeconds: Double?
        var values: [Substring: Double] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("# Keyspace") {
                sawKeyspace = true
            }
            guard !line.hasPrefix("#"), let colon = line.firstIndex(of: ":") else {
                continue
            }
            let field = line[..<colon]
            let value = line[line.index(after: colon)...]
            if let known = Self.fields[String(field)], let number = Self.number(value) {
                let labels = Self.cacheLabels(known.name).merging(known.labels) { first, _ in first }
                samples.append(Sample(name: known.name, labels: labels, kind: known.kind, value: number * known.scale))
                values[field] = number
            } else if field == "used_memory_rss", let resident = Self.number(value) {
                samples.append(Sample(name: MetricName.processResidentMemory, kind: .gauge, value: resident))
            } else if field == "used_cpu_sys" || field == "used_cpu_user", let seconds = Self.number(value) {
                cpuSeconds = (cpuSeconds ?? 0) + seconds
            } else if field.hasPrefix("db"), Int(field.dropFirst(2)) != nil {
                keys += Self.attributes(value)["keys"] ?? 0
            } else if field.hasPrefix("cmdstat_") {
                samples += Self.commandStatistics(command: field.dropFirst("cmdstat_".count), value)
            } else if field.hasPrefix("latency_percentiles_usec_") {
                samples += Self.latencyPercentiles(command: field.dropFirst("latency_percentiles_usec_".count), value)
            }
        }
        if sawKeyspace {
            samples.append(Sample(name: MetricName.cacheEntries, labels: Self.cacheLabels(), kind: .gauge, value: keys))
        }
        if let maxmemory = values["maxmemory"], maxmemory > 0 {
            samples.append(
                Sample(name: MetricName.cacheCapacityBytes, labels: Self.cacheLabels(), kind: .gauge, value: maxmemory)
            )
        }
        if let used = values["used_memory"] {
            samples.append(Sample(name: MetricName.processHeapInUse, kind: .gauge, value: used))
        }
        if let cpuSeconds {
            samples.append(Sample(name: MetricName.processCPUSeconds, kind: .counter, value: cpuSeconds))
        }
        return samples
    }

    /// `text` as a number when it is one, finite and not negative (every figure of `INFO` is), else nil:
    /// `61e3082` reads as infinity and is left out.
    private static func number(_ text: Substring) -> Double? {
        Double(text).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
    }

    /// `[cache: redis]` for the keyspace's metrics, nothing for the server's own.
    private static func cacheLabels(_ name: String = MetricName.cacheHits) -> [String: String] {
        name.hasPrefix("cache_") ? [LabelName.cache: Self.cacheName] : [:]
    }

    /// `calls=2,usec=7,usec_per_call=3.50,…` as numbers by name; fields that are not numbers are left out.
    private static func attributes(_ text: Substring) -> [Substring: Double] {
        var attributes: [Substring: Double] = [:]
        for pair in text.split(separator: ",") {
            guard let equals = pair.firstIndex(of: "="), let number = Self.number(pair[pair.index(after: equals)...])
            else {
                continue
            }
            attributes[pair[..<equals]] = number
        }
        return attributes
    }

    /// `cmdstat_get:calls=2,usec=7,…` as the `_count` and `_sum` of `redis_command_seconds{cmd="get"}`.
    private static func commandStatistics(command: Substring, _ value: Substring) -> [Sample] {
        let attributes = Self.attributes(value)
        guard let calls = attributes["calls"], let microseconds = attributes["usec"] else {
            return []
        }
        let labels = [LabelName.command: String(command)]
        return [
            Sample(
                name: MetricName.redisCommandSeconds + MetricName.countSuffix,
                labels: labels,
                kind: .summary,
                value: calls
            ),
            Sample(
                name: MetricName.redisCommandSeconds + MetricName.sumSuffix,
                labels: labels,
                kind: .summary,
                value: microseconds / 1_000_000
            ),
        ]
    }

    /// `latency_percentiles_usec_get:p50=2.007,p99=5.023,p99.9=5.023` as quantiles of
    /// `redis_command_seconds{cmd="get"}` (`0.5`, `0.99`, `0.999`), in seconds.
    private static func latencyPercentiles(command: Substring, _ value: Substring) -> [Sample] {
        Self.attributes(value).compactMap { key, microseconds in
            guard key.hasPrefix("p"), let percent = Double(key.dropFirst()), (0...100).contains(percent) else {
                return nil
            }
            return Sample(
                name: MetricName.redisCommandSeconds,
                labels: [LabelName.command: String(command), LabelName.quantile: Self.quantileLabel(percent)],
                kind: .summary,
                value: microseconds / 1_000_000
            )
        }
    }

    /// The quantile label of a percentile, as the vocabulary writes them: 50 → `0.5`, 99.9 → `0.999`,
    /// 100 → `1`; a percentile with more decimals (`p99.9999`, configurable in Redis) keeps them, up to
    /// seven, rather than being rounded up to the next thousandth (which could read `1`).
    static func quantileLabel(_ percent: Double) -> String {
        if percent == 100 {
            return LabelValue.Quantile.maximum
        }
        for decimals in [3, 7] {
            let scale = Double(Int.pow10(decimals))
            let units = (percent * scale).rounded()
            guard abs(percent * scale - units) < 1e-6 * scale || decimals == 7, units < 100 * scale, units >= 0 else {
                continue
            }
            var digits = String(Int(units))
            while digits.count < decimals + 2 {
                digits = "0" + digits
            }
            var text = "0." + digits
            while text.hasSuffix("0") {
                text.removeLast()
            }
            return text.hasSuffix(".") ? String(text.dropLast()) : text
        }
        return String(percent / 100)
    }
}

extension Int {
    /// 10 to the power `exponent` (0 or more, at most 18).
    fileprivate static func pow10(_ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { value, _ in value * 10 }
    }
}
