import PerfKit
import Synchronization
import Testing

@testable import PerftopCore

/// Records the timeout of every poll.
private final class TimeoutRecordingFeed: Feed {
    let name = "recording"
    let timeouts = Mutex<[Duration]>([])

    func poll(timeout: Duration) async throws -> [Sample] {
        self.timeouts.withLockedValue { $0.append(timeout) }
        return [Sample(name: "up", kind: .gauge, value: 1)]
    }
}

@Suite("Collector interval")
struct CollectorIntervalTests {
    @Test("the interval starts as configured and setInterval changes it for the next round's model")
    func setInterval() async {
        let feed = TimeoutRecordingFeed()
        let collector = Collector(feeds: [feed], configuration: Collector.Configuration(interval: .seconds(2)))
        #expect(collector.interval == .seconds(2))
        #expect(await collector.collectOnce().model.interval == 2)
        collector.setInterval(.milliseconds(500))
        #expect(collector.interval == .milliseconds(500))
        #expect(collector.configuration.interval == .seconds(2))
        #expect(await collector.collectOnce().model.interval == 0.5)
        collector.setInterval(.seconds(10))
        #expect(await collector.collectOnce().model.interval == 10)
        #expect(feed.timeouts.withLockedValue { $0 } == [.seconds(2), .milliseconds(500), .seconds(2)])
    }

    @Test("an interval below one millisecond is raised to it")
    func lowerBound() {
        let collector = Collector(feeds: [])
        collector.setInterval(.zero)
        #expect(collector.interval == .milliseconds(1))
    }
}
