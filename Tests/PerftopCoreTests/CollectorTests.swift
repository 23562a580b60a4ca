import PerfKit
import Synchronization
import Testing

@testable import PerftopCore

/// Failure-injection feeds: each behaves in one bad (or good) way on purpose.
private struct ConstantFeed: Feed {
    let name: String
    let samples: [Sample]

    func poll(timeout: Duration) async throws -> [Sample] {
        self.samples
    }
}

/// Ignores cancellation and answers only when the test releases it, like a peer that accepted and went silent.
private final class HungFeed: Feed {
    let name = "hung"
    private let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])

    func poll(timeout: Duration) async throws -> [Sample] {
        await withCheckedContinuation { continuation in self.waiting.withLock { $0.append(continuation) } }
        return []
    }

    func release() {
        self.waiting.withLock { waiting in
            waiting.forEach { $0.resume() }
            waiting.removeAll()
        }
    }
}

/// Succeeds or fails as the test says.
private final class SwitchFeed: Feed {
    let name = "switch"
    let failing = Atomic<Bool>(false)

    func poll(timeout: Duration) async throws -> [Sample] {
        if self.failing.load(ordering: .relaxed) {
            throw FeedError("connection refused")
        }
        return [Sample(name: "up", kind: .gauge, value: 1)]
    }
}

/// A wall clock the test moves by hand.
private final class ManualClock: Sendable {
    let seconds = Mutex<Double>(1_000)

    func advance(by delta: Double) {
        self.seconds.withLock { $0 += delta }
    }
}

@Suite("Collector")
struct CollectorTests {
    @Test("a hung source is cut off at its deadline and the others still report")
    func hungSourceDoesNotBlockOthers() async throws {
        let good = ConstantFeed(name: "good", samples: [Sample(name: "x", kind: .gauge, value: 7)])
        let hung = HungFeed()
        defer { hung.release() }
        let collector = Collector(
            feeds: [hung, good],
            configuration: Collector.Configuration(interval: .seconds(5), timeout: .milliseconds(200))
        )
        let round = await collector.collectOnce()
        #expect(round.results.map(\.source) == ["hung", "good"])
        #expect(round.results[0].failure == "timeout after 0.2s")
        #expect(round.results[1].samples?.first?.value == 7)
        #expect(
            round.model.sources == [
                SourceStatus(name: "hung", state: .down(reason: "timeout after 0.2s")),
                SourceStatus(name: "good", state: .ok),
            ]
        )
        let value = collector.withStore { $0.series(source: "good", named: "x").first?.latest }
        #expect(value == 7)
    }

    @Test("a source that fails after working is stale with its reason, then down past the stale limit")
    func staleThenDown() async throws {
        let feed = SwitchFeed()
        let clock = ManualClock()
        let collector = Collector(
            feeds: [feed],
            configuration: Collector.Configuration(interval: .seconds(1), staleLimit: .seconds(10)),
            now: { clock.seconds.withLock { $0 } }
        )
        #expect(collector.model.sources == [SourceStatus(name: "switch", state: .pending)])
        await collector.collectOnce()
        #expect(collector.model.sources[0].state == .ok)
        feed.failing.store(true, ordering: .relaxed)
        clock.advance(by: 3)
        await collector.collectOnce()
        #expect(collector.model.sources[0].state == .stale(age: 3, reason: "connection refused"))
        clock.advance(by: 10)
        await collector.collectOnce()
        #expect(collector.model.sources[0].state == .down(reason: "connection refused"))
        feed.failing.store(false, ordering: .relaxed)
        clock.advance(by: 1)
        await collector.collectOnce()
        #expect(collector.model.sources[0].state == .ok)
    }

    @Test("rounds feed the store, and rates appear from the second round on")
    func roundsFeedTheStore() async throws {
        let clock = ManualClock()
        let counter = Mutex<Double>(0)
        struct CountingFeed: Feed {
            let name = "counting"
            let counter: @Sendable () -> Double
            func poll(timeout: Duration) async throws -> [Sample] {
                [Sample(name: "cache_hits_total", labels: ["cache": "c"], kind: .counter, value: self.counter())]
            }
        }
        let collector = Collector(
            feeds: [
                CountingFeed(counter: {
                    counter.withLock {
                        $0 += 10; return $0
                    }
                })
            ],
            now: { clock.seconds.withLock { $0 } }
        )
        await collector.collectOnce()
        clock.advance(by: 2)
        await collector.collectOnce()
        let rate = collector.withStore { $0.series(source: "counting", named: "cache_hits_total").first?.rate }
        #expect(rate == 5)
    }

    @Test("the collector's own processor reports its polls")
    func ownProcessor() async throws {
        let collector = Collector(feeds: [ConstantFeed(name: "a", samples: []), ConstantFeed(name: "b", samples: [])])
        await collector.collectOnce()
        await collector.collectOnce()
        let stats = collector.processor.stats
        #expect(stats.succeeded == 4)
        #expect(stats.queueDepth == 0)
        #expect(stats.inFlight == 0)
    }
}
