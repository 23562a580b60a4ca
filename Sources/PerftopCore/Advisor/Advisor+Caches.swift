import PerfKit

/// The cache rules: `cache-capacity` and `cache-expiry`.
extension Advisor {
    // MARK: - Caches

    /// Advice for every cache of one source whose hit ratio over the window is under its target:
    /// `cache-capacity` when it evicts by size at or above the threshold, else `cache-expiry` when
    /// its entries expire at or above the threshold; nothing when the ratio meets the target.
    func cacheAdvice(_ view: SourceView) -> [Advice] {
        guard self.runs(.cacheCapacity) || self.runs(.cacheExpiry) else {
            return []
        }
        let thresholds = self.thresholds
        // The view's window is the advisor's: its hit rate and eviction rates are the ones to judge.
        return view.cacheFindings().compactMap { findings in
            let cache = findings.view
            let target = thresholds.hitRatioTarget(cache: cache.name)
            guard let points = findings.counterPoints, points >= thresholds.cacheMinimumPoints,
                let hitRate = findings.hitRate, hitRate.seconds > 0, hitRate.value < target,
                let requests = cache.requestsPerSecond
            else {
                return nil
            }
            let evictionRate = { (cause: CacheEvictionCause) in
                cache.evictionsByCause.first { $0.cause == cause.rawValue }?.perSecond ?? 0
            }
            let bySize = evictionRate(.size)
            let byExpiry = evictionRate(.expired)
            var evidence = [
                AdviceEvidence(label: "hit rate", value: hitRate.value, unit: .fraction),
                AdviceEvidence(label: "target", value: target, unit: .fraction),
                AdviceEvidence(label: "requests", value: requests, unit: .perSecond),
            ]
            let subject = AdviceSubject(source: view.source, kind: .cache, name: cache.name)
            // A Redis keyspace has no entry bound to raise: `redis-maxmemory` speaks of its memory.
            let isRedis =
                cache.name == LabelValue.ServerCache.redis.rawValue && !view.series(MetricName.redisMaxMemory).isEmpty
            if self.runs(.cacheCapacity), !isRedis, bySize >= thresholds.cacheSizeEvictionsPerSecond {
                evidence.append(AdviceEvidence(label: "size evictions", value: bySize, unit: .perSecond))
                if let entries = cache.entries {
                    if let capacity = cache.capacity, capacity > 0 {
                        evidence.append(AdviceEvidence(label: "fill", value: entries / capacity, unit: .fraction))
                        evidence.append(AdviceEvidence(label: "entries", value: entries, unit: .count))
                        evidence.append(AdviceEvidence(label: "capacity", value: capacity, unit: .count))
                    } else {
                        evidence.append(AdviceEvidence(label: "entries", value: entries, unit: .count))
                    }
                }
                evidence.append(AdviceEvidence(label: "window", value: hitRate.seconds, unit: .seconds))
                return Advice(
                    rule: .cacheCapacity,
                    severity: AdvisorRule.cacheCapacity.severity,
                    subject: subject,
                    finding: "hit rate under target while evicting by size",
                    action: "raise capacity",
                    evidence: evidence
                )
            }
            if self.runs(.cacheExpiry), bySize < thresholds.cacheSizeEvictionsPerSecond,
                byExpiry >= thresholds.cacheExpiredEvictionsPerSecond
            {
                evidence += [
                    AdviceEvidence(label: "expiry evictions", value: byExpiry, unit: .perSecond),
                    AdviceEvidence(label: "size evictions", value: bySize, unit: .perSecond),
                    AdviceEvidence(label: "window", value: hitRate.seconds, unit: .seconds),
                ]
                return Advice(
                    rule: .cacheExpiry,
                    severity: AdvisorRule.cacheExpiry.severity,
                    subject: subject,
                    finding: "hit rate under target while entries expire before reuse",
                    action: "lengthen the TTL if the data may be that stale",
                    evidence: evidence
                )
            }
            return nil
        }
    }
}
