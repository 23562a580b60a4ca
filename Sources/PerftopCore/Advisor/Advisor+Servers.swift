import PerfKit

/// The rules for servers perftop reads directly: `redis-maxmemory`, `database-buffer-cache`,
/// `database-sequential-scans` and `database-dominant-statement`.
extension Advisor {
    /// Advice for the Redis and PostgreSQL servers of one source; nothing for other sources.
    func serverAdvice(_ view: SourceView) -> [Advice] {
        self.redisAdvice(view) + self.bufferCacheAdvice(view) + self.tableAdvice(view) + self.statementAdvice(view)
    }

    /// Whether `series` holds enough points for a server rule.
    private func hasEnoughPoints(_ series: SeriesStore.Series?) -> Bool {
        (series?.points.count ?? 0) >= self.thresholds.serverMinimumPoints
    }

    // MARK: - Redis

    /// `redis-maxmemory`: the keyspace evicts by size while `used_memory` is near `maxmemory`.
    private func redisAdvice(_ view: SourceView) -> [Advice] {
        let redis = LabelValue.ServerCache.redis.rawValue
        guard self.runs(.redisMaxMemory), let maximum = view.series(MetricName.redisMaxMemory).first?.latest,
            maximum > 0,
            let used = view.series(MetricName.cacheBytes, LabelName.cache, redis).first?.latest
        else {
            return []
        }
        let evictions = view.series(MetricName.cacheEvictions, LabelName.cache, redis).filter {
            $0.id.label(LabelName.cause) == CacheEvictionCause.size.rawValue
        }
        guard self.hasEnoughPoints(evictions.first), let bySize = view.rate(evictions),
            bySize >= self.thresholds.cacheSizeEvictionsPerSecond, used / maximum >= self.thresholds.redisMaxMemoryFill
        else {
            return []
        }
        var evidence = [
            AdviceEvidence(label: "size evictions", value: bySize, unit: .perSecond),
            AdviceEvidence(label: "used", value: used, unit: .bytes),
            AdviceEvidence(label: "maxmemory", value: maximum, unit: .bytes),
        ]
        if let cache = view.caches().first(where: { $0.name == redis }), let hitRate = cache.hitRate {
            evidence.append(AdviceEvidence(label: "hit rate", value: hitRate, unit: .fraction))
        }
        return [
            Advice(
                rule: .redisMaxMemory,
                severity: AdvisorRule.redisMaxMemory.severity,
                subject: AdviceSubject(source: view.source, kind: .cache, name: redis),
                finding: "evicting keys at maxmemory",
                action: "raise maxmemory, or set TTLs on keys that need not live forever",
                evidence: evidence
            )
        ]
    }

    // MARK: - PostgreSQL

    /// `database-buffer-cache`: the buffer cache's hit ratio over the window is under the target
    /// while blocks are read at a real rate.
    private func bufferCacheAdvice(_ view: SourceView) -> [Advice] {
        let cache = LabelValue.ServerCache.postgres.rawValue
        guard self.runs(.databaseBufferCache),
            let hits = view.series(MetricName.cacheHits, LabelName.cache, cache).first,
            let reads = view.series(MetricName.cacheMisses, LabelName.cache, cache).first,
            view.series(MetricName.postgresCommits).first != nil,
            self.hasEnoughPoints(hits), self.hasEnoughPoints(reads),
            let hitRatio = SeriesStore.Series.share(of: hits, and: reads, over: self.window),
            hitRatio.value < self.thresholds.databaseBufferHitRatio,
            let readRate = reads.rate(over: self.window)?.value,
            readRate >= self.thresholds.databaseBlockReadsPerSecond
        else {
            return []
        }
        return [
            Advice(
                rule: .databaseBufferCache,
                severity: AdvisorRule.databaseBufferCache.severity,
                subject: AdviceSubject(source: view.source, kind: .cache, name: cache),
                finding: "buffer cache hit ratio under target",
                action:
                    "raise shared_buffers (or the memory behind it), or find the statements reading the most blocks",
                evidence: [
                    AdviceEvidence(label: "hit ratio", value: hitRatio.value, unit: .fraction),
                    AdviceEvidence(label: "target", value: self.thresholds.databaseBufferHitRatio, unit: .fraction),
                    AdviceEvidence(label: "blocks read", value: readRate, unit: .perSecond),
                    AdviceEvidence(label: "window", value: hitRatio.seconds, unit: .seconds),
                ]
            )
        ]
    }

    /// `database-sequential-scans`: a large table scanned sequentially more often than through an
    /// index.
    private func tableAdvice(_ view: SourceView) -> [Advice] {
        guard self.runs(.databaseSequentialScans) else {
            return []
        }
        let scans = view.series(MetricName.postgresTableSequentialScans)
        let rowsRead = view.series(MetricName.postgresTableSequentialRows)
        let indexScans = view.series(MetricName.postgresTableIndexScans)
        let liveRows = view.series(MetricName.postgresTableLiveRows)
        return scans.compactMap { sequential in
            guard let table = sequential.id.label(LabelName.table), self.hasEnoughPoints(sequential),
                let rows = SourceView.first(liveRows, LabelName.table, table)?.latest,
                rows >= self.thresholds.databaseLargeTableRows,
                let perSecond = sequential.rate(over: self.window),
                perSecond.value >= self.thresholds.databaseSequentialScansPerSecond
            else {
                return nil
            }
            let indexed = SourceView.first(indexScans, LabelName.table, table)?.rate(over: self.window)?.value ?? 0
            guard perSecond.value > indexed else {
                return nil
            }
            var evidence = [
                AdviceEvidence(label: "sequential scans", value: perSecond.value, unit: .perSecond),
                AdviceEvidence(label: "index scans", value: indexed, unit: .perSecond),
                AdviceEvidence(label: "live rows", value: rows, unit: .count),
            ]
            if let read = SourceView.first(rowsRead, LabelName.table, table)?.rate(over: self.window)?.value {
                evidence.append(AdviceEvidence(label: "rows read", value: read, unit: .perSecond))
            }
            evidence.append(AdviceEvidence(label: "window", value: perSecond.seconds, unit: .seconds))
            return Advice(
                rule: .databaseSequentialScans,
                severity: AdvisorRule.databaseSequentialScans.severity,
                subject: AdviceSubject(source: view.source, kind: .table, name: table),
                finding: "large table read mostly by sequential scans",
                action: "index the columns its frequent queries filter on (see the queries pane)",
                evidence: evidence
            )
        }
    }

    /// `database-dominant-statement`: one statement takes more than the threshold share of all
    /// statement time over the window (so at most one statement with the default, half).
    private func statementAdvice(_ view: SourceView) -> [Advice] {
        guard self.runs(.databaseDominantStatement), let queries = view.queries() else {
            return []
        }
        let total = view.series(MetricName.postgresStatementsSeconds).first
        guard self.hasEnoughPoints(total), let perSecond = total?.rate(over: self.window),
            perSecond.value >= self.thresholds.databaseStatementSecondsPerSecond
        else {
            return []
        }
        return queries.statements.compactMap { statement in
            guard let share = statement.shareOfTime, share > self.thresholds.databaseStatementTimeShare else {
                return nil
            }
            var evidence = [AdviceEvidence(label: "share of statement time", value: share, unit: .fraction)]
            if let calls = statement.callsPerSecond {
                evidence.append(AdviceEvidence(label: "calls", value: calls, unit: .perSecond))
            }
            if let mean = statement.meanSeconds {
                evidence.append(AdviceEvidence(label: "mean", value: mean, unit: .seconds))
            }
            evidence.append(AdviceEvidence(label: "window", value: perSecond.seconds, unit: .seconds))
            return Advice(
                rule: .databaseDominantStatement,
                severity: AdvisorRule.databaseDominantStatement.severity,
                subject: AdviceSubject(
                    source: view.source,
                    kind: .statement,
                    name: SafeText.escaped(statement.text, limit: 60)
                ),
                finding: "one statement takes most of the server's statement time",
                action:
                    "optimize it first: EXPLAIN (ANALYZE, BUFFERS) it, index what it filters on, or cache its result",
                evidence: evidence
            )
        }
    }
}
