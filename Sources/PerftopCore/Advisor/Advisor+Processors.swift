import PerfKit

/// The processor rules: `processor-saturated` and `processor-rejecting`.
extension Advisor {
    // MARK: - Processors

    /// Advice for every processor of one source that is saturated or rejecting work.
    func processorAdvice(_ view: SourceView) -> [Advice] {
        guard self.runs(.processorSaturated) || self.runs(.processorRejecting) else {
            return []
        }
        // The view's window is the advisor's: its rates are the ones to judge.
        return view.processorFindings().flatMap { findings in
            [self.saturation(findings, view), self.rejection(findings, view)].compactMap { $0 }
        }
    }

    /// `processor-saturated`: the oldest queued task's age grows (least-squares slope and R² at or
    /// above the thresholds, over at least the minimum points), the queue is not empty at the last
    /// poll, and in-flight is at the concurrency limit in at least the threshold share of the polls.
    /// Silent without a `processor_concurrency_limit`: a limit cannot be reached if it is unknown.
    private func saturation(_ findings: SourceView.ProcessorFindings, _ view: SourceView) -> Advice? {
        let thresholds = self.thresholds
        let processor = findings.view
        guard self.runs(.processorSaturated),
            let oldest = findings.oldestQueued,
            oldest.points.count >= thresholds.processorMinimumPoints,
            let age = oldest.latest, age > 0,
            let fit = oldest.fit(over: self.window),
            fit.slope >= thresholds.processorAgeGrowth, fit.rSquared >= thresholds.processorAgeGrowthRSquared,
            let inFlight = findings.inFlight,
            let limit = findings.concurrencyLimit,
            let share = Self.atLimitShare(inFlight: inFlight, limit: limit, over: self.window),
            share >= thresholds.processorAtLimitShare
        else {
            return nil
        }
        var evidence = [
            AdviceEvidence(label: "oldest age growth", value: fit.slope, unit: .secondsPerSecond),
            AdviceEvidence(label: "R²", value: fit.rSquared, unit: .number),
            AdviceEvidence(label: "oldest queued", value: age, unit: .seconds),
            AdviceEvidence(label: "at limit", value: share, unit: .fraction),
        ]
        if let running = processor.inFlight, let slots = processor.concurrencyLimit {
            evidence.append(AdviceEvidence(label: "in flight", value: running, unit: .count))
            evidence.append(AdviceEvidence(label: "limit", value: slots, unit: .count))
        }
        if let depth = processor.queueDepth {
            evidence.append(AdviceEvidence(label: "queue depth", value: depth, unit: .count))
        }
        if let throughput = processor.succeededPerSecond {
            evidence.append(AdviceEvidence(label: "throughput", value: throughput, unit: .perSecond))
        }
        if let wait = processor.waitP95 {
            evidence.append(AdviceEvidence(label: "wait p95", value: wait, unit: .seconds))
        }
        evidence.append(AdviceEvidence(label: "window", value: fit.duration, unit: .seconds))
        return Advice(
            rule: .processorSaturated,
            severity: AdvisorRule.processorSaturated.severity,
            subject: AdviceSubject(source: view.source, kind: .processor, name: processor.name),
            finding: "saturated: the oldest queued task keeps aging while every slot is busy",
            action: "add concurrency or shed load",
            evidence: evidence
        )
    }

    /// The share of the polls of `window` that read both `inFlight` and a positive `limit` in which the
    /// first was at or above the second; nil when no poll read both.
    static func atLimitShare(inFlight: SeriesStore.Series, limit: SeriesStore.Series, over window: Window) -> Double? {
        var polls = 0
        var atLimit = 0
        SeriesStore.Series.forEachPair(inFlight, limit, in: window) { running, slots in
            guard slots.value > 0 else {
                return
            }
            polls += 1
            atLimit += running.value >= slots.value ? 1 : 0
        }
        return polls > 0 ? Double(atLimit) / Double(polls) : nil
    }

    /// `processor-rejecting`: tasks rejected (queue full) or dropped (pushed out of a full queue) at or
    /// above the threshold rate over the window, with at least the minimum points.
    private func rejection(_ findings: SourceView.ProcessorFindings, _ view: SourceView) -> Advice? {
        let thresholds = self.thresholds
        let processor = findings.view
        guard self.runs(.processorRejecting),
            findings.refused.contains(where: { $0.points.count >= thresholds.processorRejectionMinimumPoints }),
            let rate = findings.refusedRate,
            rate.value >= thresholds.processorRejectionsPerSecond
        else {
            return nil
        }
        var evidence = [AdviceEvidence(label: "rejected", value: rate.value, unit: .perSecond)]
        if let finished = view.rate(findings.tasks), finished > 0 {
            evidence.append(AdviceEvidence(label: "share of finished", value: rate.value / finished, unit: .fraction))
        }
        if let depth = processor.queueDepth {
            evidence.append(AdviceEvidence(label: "queue depth", value: depth, unit: .count))
        }
        if let capacity = processor.queueCapacity {
            evidence.append(AdviceEvidence(label: "queue capacity", value: capacity, unit: .count))
        }
        if let running = processor.inFlight, let slots = processor.concurrencyLimit {
            evidence.append(AdviceEvidence(label: "in flight", value: running, unit: .count))
            evidence.append(AdviceEvidence(label: "limit", value: slots, unit: .count))
        }
        evidence.append(AdviceEvidence(label: "window", value: rate.seconds, unit: .seconds))
        return Advice(
            rule: .processorRejecting,
            severity: AdvisorRule.processorRejecting.severity,
            subject: AdviceSubject(source: view.source, kind: .processor, name: processor.name),
            finding: "tasks rejected or dropped: the queue is full",
            action: "add concurrency, raise the queue capacity or slow the producers",
            evidence: evidence
        )
    }
}
