import PerfKit
import Testing

@testable import PerftopCore

@Suite("Advisor: processor-saturated and processor-rejecting")
struct AdvisorProcessorTests {
    /// A processor polled once a second: the oldest queued age, in flight and depth of each poll from
    /// the closures, a limit of 8 (none when `limit` is nil), 10 successes per second.
    private func processor(
        points: Int = 12,
        limit: Double? = 8,
        age: @escaping (Int) -> Double = { 1 + 0.5 * Double($0) },
        inFlight: @escaping (Int) -> Double = { _ in 8 },
        rejectedPerSecond: Double = 0
    ) -> SeriesStore {
        SeriesStore.polls(points) { poll in
            let labels = ["processor": "jobs"]
            var samples: [Sample] = [
                .gauge("processor_oldest_queued_seconds", age(poll), labels),
                .gauge("processor_in_flight", inFlight(poll), labels),
                .gauge("processor_queue_depth", 20 + 5 * Double(poll), labels),
                .gauge("processor_queue_capacity", 100, labels),
                .counter("processor_tasks_total", 10 * Double(poll), ["processor": "jobs", "outcome": "succeeded"]),
                .counter(
                    "processor_tasks_total",
                    rejectedPerSecond * Double(poll),
                    ["processor": "jobs", "outcome": "rejected"]
                ),
            ]
            if let limit {
                samples.append(.gauge("processor_concurrency_limit", limit, labels))
            }
            return samples
        }
    }

    @Test("a growing oldest age with every slot busy is saturation, with its numbers")
    func fires() throws {
        let advice = Advisor().advise(store: self.processor())
        #expect(advice.count == 1)
        let saturated = try #require(advice.first)
        #expect(saturated.rule == .processorSaturated)
        #expect(saturated.severity == .critical)
        #expect(saturated.subject == AdviceSubject(source: "agent", kind: .processor, name: "jobs"))
        #expect(saturated.action == "add concurrency or shed load")
        #expect(abs((saturated.value("oldest age growth") ?? 0) - 0.5) < 1e-9)
        #expect(saturated.value("at limit") == 1)
        #expect(saturated.value("in flight") == 8)
        #expect(saturated.value("limit") == 8)
        #expect(saturated.value("queue depth") == 75)
        #expect(saturated.value("throughput") == 10)
        #expect(
            saturated.message.contains(
                "oldest age growth 0.50s/s, R² 1.00, oldest queued 6.50s, at limit 100%, in flight 8, limit 8, "
                    + "queue depth 75, throughput 10.0/s, window 11.0s"
            )
        )
    }

    @Test("in flight below the limit is not saturation, however old the queue gets")
    func belowLimit() {
        #expect(Advisor().advise(store: self.processor(inFlight: { _ in 6 })).isEmpty)
    }

    @Test("at the limit in 80% of the polls fires; in 75% does not")
    func atLimitEdge() {
        let eightOfTen = self.processor(points: 10, inFlight: { $0 < 2 ? 7 : 8 })
        #expect(Advisor().advise(store: eightOfTen).map(\.rule) == [.processorSaturated])
        #expect(Advisor().advise(store: eightOfTen).first?.value("at limit") == 0.8)
        let threeQuarters = self.processor(points: 12, inFlight: { $0 < 3 ? 7 : 8 })
        #expect(Advisor().advise(store: threeQuarters).isEmpty)
    }

    @Test("a flat, noisy or slowly growing oldest age is not growth")
    func flatOrNoisy() {
        #expect(Advisor().advise(store: self.processor(age: { _ in 2 })).isEmpty)
        #expect(Advisor().advise(store: self.processor(age: { $0.isMultiple(of: 2) ? 0.5 : 3 })).isEmpty)
        #expect(Advisor().advise(store: self.processor(age: { 1 + 0.09 * Double($0) })).isEmpty)
        #expect(Advisor().advise(store: self.processor(age: { 1 + 0.11 * Double($0) })).count == 1)
    }

    @Test("growth hidden in noise (R² under the threshold) stays silent until the threshold is lowered")
    func rSquaredEdge() {
        // 0.2 s/s under a ±1 s zigzag: a fitted slope of 0.16 s/s with an R² of 0.23.
        let store = self.processor(points: 12, age: { 3 + 0.2 * Double($0) + ($0.isMultiple(of: 2) ? 1 : -1) })
        #expect(Advisor().advise(store: store).isEmpty)
        let lenient = Advisor(thresholds: AdvisorThresholds(processorAgeGrowthRSquared: 0.2))
        #expect(lenient.advise(store: store).map(\.rule) == [.processorSaturated])
    }

    @Test("fewer points than the minimum, an empty queue at the end or no known limit is no evidence")
    func tooLittle() {
        #expect(Advisor().advise(store: self.processor(points: 9)).isEmpty)
        #expect(Advisor().advise(store: self.processor(points: 10)).count == 1)
        #expect(Advisor().advise(store: self.processor(age: { $0 == 11 ? 0 : 1 + Double($0) })).isEmpty)
        #expect(Advisor().advise(store: self.processor(limit: nil)).isEmpty)
    }

    @Test("rejected tasks at or above the threshold rate fire processor-rejecting, with their share")
    func rejecting() throws {
        let store = self.processor(age: { _ in 0 }, rejectedPerSecond: 2.5)
        let advice = try #require(Advisor().advise(store: store).first)
        #expect(advice.rule == .processorRejecting)
        #expect(advice.severity == .critical)
        #expect(advice.value("rejected") == 2.5)
        #expect(advice.value("share of finished") == 0.2)
        #expect(advice.value("queue capacity") == 100)
        #expect(advice.message.contains("rejected 2.50/s, share of finished 20.0%, queue depth 75, queue capacity 100"))
        #expect(Advisor().advise(store: self.processor(age: { _ in 0 }, rejectedPerSecond: 0.1)).count == 1)
        #expect(Advisor().advise(store: self.processor(age: { _ in 0 }, rejectedPerSecond: 0.09)).isEmpty)
        #expect(Advisor().advise(store: self.processor(points: 4, age: { _ in 0 }, rejectedPerSecond: 5)).isEmpty)
    }

    @Test("a saturated processor that also rejects gets both pieces of advice")
    func saturatedAndRejecting() {
        let advice = Advisor().advise(store: self.processor(rejectedPerSecond: 1))
        #expect(advice.map(\.rule) == [.processorSaturated, .processorRejecting])
    }
}
