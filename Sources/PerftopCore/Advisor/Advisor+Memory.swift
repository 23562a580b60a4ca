import PerfKit

/// The process rules: `memory-leak` and `churn-dominating`.
extension Advisor {
    // MARK: - Memory

    /// `memory-leak`: `process_resident_memory_bytes` grows steadily over the window: a least-squares
    /// slope at or above the threshold (bytes per minute) with an R² at or above the threshold, over
    /// at least the minimum points spanning at least the minimum window. A flat series has no slope;
    /// a sawtooth or a noisy one fails the R².
    func memoryAdvice(_ view: SourceView) -> [Advice] {
        let thresholds = self.thresholds
        guard self.runs(.memoryLeak), let resident = view.series(MetricName.processResidentMemory).first,
            resident.points.count >= thresholds.leakMinimumPoints,
            let fit = resident.fit(over: self.window),
            fit.duration >= thresholds.leakMinimumWindow,
            fit.slope * 60 >= thresholds.leakBytesPerMinute,
            fit.rSquared >= thresholds.leakRSquared,
            let latest = resident.latest
        else {
            return []
        }
        let advice = Advice(
            rule: .memoryLeak,
            severity: AdvisorRule.memoryLeak.severity,
            subject: AdviceSubject(source: view.source, kind: .process),
            finding: "resident memory grows steadily",
            action: "suspected leak: look for what keeps growing (unbounded caches, collections, retained tasks)",
            evidence: [
                AdviceEvidence(label: "growth", value: fit.slope * 60, unit: .bytesPerMinute),
                AdviceEvidence(label: "R²", value: fit.rSquared, unit: .number),
                AdviceEvidence(label: "resident", value: latest, unit: .bytes),
                AdviceEvidence(label: "window", value: fit.duration, unit: .seconds),
            ]
        )
        return [advice]
    }

    // MARK: - Churn

    /// One churn measure the rule reads: its name as cited, the counters it sums (every convention's
    /// name for it), its unit and its threshold.
    private struct ChurnMeasure {
        let label: String
        let counters: [String]
        let unit: AdviceEvidence.Unit
        let threshold: Double
        let action: String
    }

    /// A measure's rate over the window, the window's length and the counters it was read from.
    private struct MeasuredChurn {
        let measure: ChurnMeasure
        let value: Double
        let window: Double
        let counters: [String]
    }

    /// The measures, in the order they are cited: allocations, allocated bytes, GC pause time.
    private var churnMeasures: [ChurnMeasure] {
        let reduce = "reduce allocations on the hot path (reuse buffers, pool objects)"
        return [
            ChurnMeasure(
                label: "allocations",
                counters: [MetricName.allocations, MetricName.goMallocs],
                unit: .perSecond,
                threshold: self.thresholds.churnAllocationsPerSecond,
                action: reduce
            ),
            ChurnMeasure(
                label: "allocated",
                counters: [
                    MetricName.allocatedBytes, MetricName.goAllocatedBytes, MetricName.jvmGCAllocatedBytes,
                ],
                unit: .bytesPerSecond,
                threshold: self.thresholds.churnAllocatedBytesPerSecond,
                action: reduce
            ),
            ChurnMeasure(
                label: "GC pause time",
                counters: [MetricName.goGCDurationSeconds, MetricName.jvmGCPauseSeconds].map {
                    $0 + MetricName.sumSuffix
                },
                unit: .fraction,
                threshold: self.thresholds.churnGCPauseShare,
                action: "allocate less or give the GC more heap headroom"
            ),
        ]
    }

    /// `churn-dominating`: a source's allocations per second, allocated bytes per second or share of
    /// time in GC pauses, over the window, is at or above its threshold. One piece of advice per
    /// source, naming the measure furthest over its threshold and where the numbers come from (the
    /// churn pane's origin); every measure the source reports is cited.
    func churnAdvice(_ view: SourceView) -> [Advice] {
        guard self.runs(.churnDominating) else {
            return []
        }
        let measured = self.churnMeasures.compactMap { measure -> MeasuredChurn? in
            let series = measure.counters.flatMap { view.series($0) }.filter {
                $0.points.count >= self.thresholds.churnMinimumPoints
            }
            return SeriesStore.Series.sumOfRates(series, over: self.window).map { rate in
                MeasuredChurn(
                    measure: measure,
                    value: rate.value,
                    window: rate.seconds,
                    counters: Array(Set(series.map(\.id.name))).sorted()
                )
            }
        }
        let over = measured.filter { $0.measure.threshold > 0 && $0.value >= $0.measure.threshold }
        guard let dominant = over.max(by: { $0.value / $0.measure.threshold < $1.value / $1.measure.threshold })
        else {
            return []
        }
        // The churn pane's origin; the counters themselves for a source the pane cannot place.
        let origin = view.churn()?.origin ?? dominant.counters.joined(separator: " + ")
        let perUnit = dominant.measure.unit == .fraction ? "" : "/s"
        var evidence = measured.map { AdviceEvidence(label: $0.measure.label, value: $0.value, unit: $0.measure.unit) }
        evidence.append(AdviceEvidence(label: "window", value: dominant.window, unit: .seconds))
        let advice = Advice(
            rule: .churnDominating,
            severity: AdvisorRule.churnDominating.severity,
            subject: AdviceSubject(source: view.source, kind: .process),
            finding: "churn dominated by \(dominant.measure.label)\(perUnit) from \(origin)",
            action: dominant.measure.action,
            evidence: evidence
        )
        return [advice]
    }
}
