import PerfKit
import Synchronization
import Testing

@testable import PerftopCore

/// The first stage alone: polls, budgets and source states, with no store or model behind it.
@Suite("Poller")
struct PollerTests {
    /// Answers with `samples`, or fails when `failing` is set.
    private final class ScriptedFeed: Feed {
        let name: String
        let samples: [Sample]
        let failing = Atomic<Bool>(false)

        init(name: String, samples: [Sample]) {
            self.name = name
            self.samples = samples
        }

        func poll(timeout: Duration) async throws -> [Sample] {
            if self.failing.load(ordering: .relaxed) {
                throw FeedError("connection refused")
            }
            return self.samples
        }
    }

    static func configuration(maximumSamples: Int = 100) -> Poller.Configuration {
        Poller.Configuration(
            timeout: .seconds(1),
            staleLimit: .seconds(5),
            initialBackoff: .seconds(1),
            maximumBackoff: .seconds(4),
            maximumSamplesPerPoll: maximumSamples
        )
    }

    /// Answers after `delay`, whatever the timeout; says whether it enforces its timeout itself.
    private struct SlowFeed: Feed {
        let name: String
        let delay: Duration
        let enforcesItsTimeout: Bool

        func poll(timeout: Duration) async throws -> [Sample] {
            try await Task.sleep(for: self.delay)
            return [Sample(name: "x", kind: .gauge, value: 1)]
        }
    }

    /// Says when its one sample was measured, warns, and names its query.
    private struct TimedFeed: Feed {
        let name = "timed"
        let query: String? = "up{job=\"api\"}"

        func poll(timeout: Duration) async throws -> [Sample] {
            [Sample(name: "x", kind: .gauge, value: 1)]
        }

        func read(timeout: Duration) async throws -> FeedReading {
            FeedReading(samples: try await self.poll(timeout: timeout), time: 42, warning: "partial\u{1B}[2J answer")
        }
    }

    @Test("a reading's time and warning reach the result; the warning (escaped) and the query the status")
    func timedReading() async throws {
        let poller = Poller(feeds: [TimedFeed()], configuration: Self.configuration())
        let results = await poller.poll(at: 100, interval: .seconds(1))
        #expect(results[0].time == 42)
        #expect(results[0].warning == "partial\\u{1B}[2J answer")
        let status = poller.statuses(at: 100, interval: .seconds(1))[0]
        #expect(status.state == .ok)
        #expect(status.warning == "partial\\u{1B}[2J answer")
        #expect(status.query == "up{job=\"api\"}")
    }

    @Test("a feed that enforces its own timeout is not raced against one; any other feed is")
    func ownTimeout() async throws {
        let feeds = [
            SlowFeed(name: "raced", delay: .milliseconds(300), enforcesItsTimeout: false),
            SlowFeed(name: "trusted", delay: .milliseconds(300), enforcesItsTimeout: true),
        ]
        var configuration = Self.configuration()
        configuration.timeout = .milliseconds(100)
        let poller = Poller(feeds: feeds, configuration: configuration)
        let results = await poller.poll(at: 0, interval: .seconds(1))
        #expect(results[0].failure == "timeout after 0.1s")
        #expect(results[1].samples?.count == 1, "its own poll decides; this test feed breaks the promise on purpose")
    }

    @Test("replaced feeds: a kept name keeps its state, a new one starts pending, a gone one is reported")
    func replaceFeeds() async throws {
        let kept = ScriptedFeed(name: "kept", samples: [Sample(name: "x", kind: .gauge, value: 1)])
        let gone = ScriptedFeed(name: "gone", samples: [Sample(name: "y", kind: .gauge, value: 2)])
        let poller = Poller(feeds: [kept, gone], configuration: Self.configuration())
        kept.failing.store(true, ordering: .relaxed)
        _ = await poller.poll(at: 0, interval: .seconds(1))

        let new = ScriptedFeed(name: "new", samples: [Sample(name: "z", kind: .gauge, value: 3)])
        #expect(poller.replaceFeeds([kept, new]) == ["gone"])
        #expect(poller.feeds.map(\.name) == ["kept", "new"])
        let statuses = poller.statuses(at: 0.2, interval: .seconds(1))
        #expect(statuses.map(\.state) == [.down(reason: "connection refused"), .pending])
        let next = await poller.poll(at: 0.2, interval: .seconds(1))
        #expect(next.map(\.source) == ["kept", "new"])
        #expect(next[0].skipped, "the kept feed is still backing off")
        #expect(next[1].samples?.count == 1)
    }

    @Test("one result per feed in the feeds' order; states go pending, ok, stale, down")
    func states() async throws {
        let good = ScriptedFeed(name: "good", samples: [Sample(name: "x", kind: .gauge, value: 1)])
        let flaky = ScriptedFeed(name: "flaky", samples: [Sample(name: "y", kind: .gauge, value: 2)])
        let poller = Poller(feeds: [good, flaky], configuration: Self.configuration())
        #expect(poller.statuses(at: 0, interval: .seconds(1)).map(\.state) == [.pending, .pending])

        let first = await poller.poll(at: 0, interval: .seconds(1))
        #expect(first.map(\.source) == ["good", "flaky"])
        #expect(first.allSatisfy { $0.samples?.count == 1 })
        #expect(poller.statuses(at: 0, interval: .seconds(1)).map(\.state) == [.ok, .ok])

        flaky.failing.store(true, ordering: .relaxed)
        let second = await poller.poll(at: 1, interval: .seconds(1))
        #expect(second[1].failure == "connection refused")
        #expect(poller.statuses(at: 1, interval: .seconds(1))[1].state == .stale(age: 1, reason: "connection refused"))
        #expect(poller.statuses(at: 9, interval: .seconds(1))[1].state == .down(reason: "connection refused"))

        let backingOff = await poller.poll(at: 1.2, interval: .seconds(1))
        #expect(backingOff[1].skipped, "a failed source waits before its next poll")
        #expect(backingOff[0].skipped == false)
    }

    @Test("a poll over the parse budget fails with the budget and hands nothing on")
    func budget() async {
        let many = ScriptedFeed(name: "many", samples: (0..<5).map { Sample(name: "x\($0)", kind: .gauge, value: 1) })
        let poller = Poller(feeds: [many], configuration: Self.configuration(maximumSamples: 4))
        let results = await poller.poll(at: 0, interval: .seconds(1))
        #expect(results[0].samples == nil)
        #expect(results[0].failure == "too many samples: 5 (budget 4)")
    }
}
