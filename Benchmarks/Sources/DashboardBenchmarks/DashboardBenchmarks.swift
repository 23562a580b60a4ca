import BenchmarkSupport
import Foundation
import PerfKit
import PerftopCore
import PerftopDemo
import PerftopTUI
import Synchronization

/// Measures what one dashboard frame costs at 200×50 with 10 live sources: the collector round
/// (polls over real sockets, parsing, recording), building the model from the store, and laying
/// out and drawing every pane into a cell grid (``DashboardRenderer/render(_:size:glyphs:state:)``).
///
/// Run with `swift run -c release --package-path Benchmarks DashboardBenchmarks`. The sources are
/// the poll-cycle benchmark's: 5 PerfKit agents on Unix sockets and 5 on loopback HTTP, each with a
/// cache, a processor and 20 timed operations. The store is filled to its retention (300 points per
/// series) first, so every graph has a full history, as after five minutes of watching.
@main
struct DashboardBenchmarks {
    /// Frames measured after the store is full.
    static let frames = 200
    /// The terminal size drawn.
    static let size = TerminalSize(width: 200, height: 50)

    static func main() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        print("perftop dashboard frame benchmark")
        print()
        let sources = try await LiveSources.start()
        // A clock one second per round, so rates and the time axis look as they do live.
        let fakeTime = Mutex(1_700_000_000.0)
        // As the dashboard runs: the advisor and a tracker (the demo's eight targets) after every round.
        let configuration = Collector.Configuration(interval: .seconds(1), timeout: .seconds(1))
        let collector = Collector(
            feeds: sources.feeds,
            configuration: configuration,
            derivation: Derivation(tracker: DemoTracker.tracker, advisor: Advisor()),
            now: {
                fakeTime.withLock { time in
                    time += 1
                    return time
                }
            }
        )
        for _ in 0..<configuration.retention {
            await collector.collectOnce()
        }
        let renderer = DashboardRenderer()
        var collect: [Double] = []
        var build: [Double] = []
        var advising: [Double] = []
        var tracking: [Double] = []
        var draw: [Double] = []
        var total: [Double] = []
        var checksum = 0
        for _ in 0..<self.frames {
            let frameStart = clock.now
            let round = await collector.collectOnce()
            let collected = clock.now
            let model = collector.withStore { store in
                DashboardModel(
                    store: store,
                    sources: round.model.sources,
                    timestamp: round.model.timestamp,
                    interval: round.model.interval,
                    selfCost: round.model.selfCost
                )
            }
            let built = clock.now
            checksum &+= collector.withStore { Advisor().advise(store: $0, sources: round.model.sources).count }
            let advised = clock.now
            checksum &+= collector.withStore {
                TrackerEvaluator(window: .retained).evaluate(DemoTracker.tracker, store: $0).views.count
            }
            let analysedAt = clock.now
            let grid = renderer.render(model, size: self.size)
            let drawn = clock.now
            checksum &+= grid.line(self.size.height / 2).count
            collect.append((collected - frameStart).seconds)
            build.append((built - collected).seconds)
            advising.append((advised - built).seconds)
            tracking.append((analysedAt - advised).seconds)
            draw.append((drawn - analysedAt).seconds)
            total.append((collected - frameStart).seconds + (drawn - analysedAt).seconds)
        }
        blackHole(checksum)
        let model = collector.model
        print(
            "One frame at \(self.size.width)×\(self.size.height), 10 sources (5 Unix-socket agents, 5 HTTP /metrics),"
        )
        print(
            "store full (\(configuration.retention) points per series): \(model.caches.count) caches, "
                + "\(model.processors.count) processors, \(model.latencies.count) latency rows; \(self.frames) frames"
        )
        print()
        var table = TextTable(["phase", "median", "p95"])
        table.append(["collect (collector round: polls, model, tracker, advisor)"] + self.summary(collect))
        table.append(["model build alone (DashboardModel from the store)"] + self.summary(build))
        table.append(["advisor alone (every rule over the store)"] + self.summary(advising))
        table.append(["tracker alone (the demo's 8 targets)"] + self.summary(tracking))
        table.append(["layout + draw (DashboardRenderer.render)"] + self.summary(draw))
        table.append(["frame (collect + layout + draw)"] + self.summary(total))
        print(table.render())
        try await sources.shutdown()
        print()
        print("Total time: \(clock.now - started)")
    }

    /// The median and 95th percentile of `seconds`, formatted.
    static func summary(_ seconds: [Double]) -> [String] {
        let sorted = seconds.sorted()
        let median = sorted[sorted.count / 2]
        let p95 = sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
        return [Self.format(median), Self.format(p95)]
    }

    /// Seconds as `1.23 ms` or `456 µs`.
    static func format(_ seconds: Double) -> String {
        seconds >= 1e-3 ? formatted(seconds * 1e3, digits: 2) + " ms" : formatted(seconds * 1e6, digits: 0) + " µs"
    }
}

extension Duration {
    /// The duration in seconds.
    fileprivate var seconds: Double {
        let (seconds, attoseconds) = self.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
