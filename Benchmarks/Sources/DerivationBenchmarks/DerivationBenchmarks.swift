import BenchmarkSupport
import Glibc
import PerfKit
import PerftopCore
import PerftopDemo
import PerftopTUI

/// Measures one round's derivation (the dashboard model, the demo tracker's eight targets and the
/// advisor, as the dashboard runs them) at 1, 10, 100 and 1,000 sources shaped like the demo agent,
/// in process, with every series' history full (300 points), and the layout and drawing of the
/// 10- and 100-source models at 200×50, with and without the fleet pane. The tracker's list of
/// bindable series, which the collector lists again only when a series comes or goes, is its own
/// column, not part of a round.
///
/// A round advises, as the collector does, the sources whose advice is due (``AdviceSchedule``:
/// about a fifth of them at a 1 s interval, rounds 1 s apart); "all advised" is a round that
/// advises every source, as the first round does. A round derives the panes' views in a child task
/// beside the rest, as the collector does (``Derivation/derive(concurrentlyFrom:sources:timestamp:interval:selfCost:adviceSchedule:reusedBindableSeries:)``);
/// "one thread" is the same round on the calling thread alone. malloc keeps one arena, as in perftop.
///
/// Run with `swift run -c release --package-path Benchmarks DerivationBenchmarks [SOURCES [RUNS]]`. A
/// number of sources (1, 10, 100 or 1000) runs only that row, e.g. under `perf record`; `all` runs
/// every row. A number of runs (5 by default) sets how many timed runs each median of the table is
/// taken over: on a noisy machine, 40 runs tell two builds apart where 5 do not.
@main
struct DerivationBenchmarks {
    /// Points per series, as the dashboard keeps them.
    static let retention = 300

    static func main() async {
        MallocArenas.limit(to: 1)
        print("perftop derivation benchmark (\(Self.retention) points per series)")
        print()
        let shape = DemoAgent().registry.collectSamples()
        print("one source: \(shape.count) series, shaped like the demo agent")
        print()
        let derivation = Derivation(tracker: DemoTracker.tracker, advisor: Advisor())
        var table = TextTable([
            "sources", "series", "model", "tracker", "advisor", "round", "per source", "one thread", "all advised",
            "bindable list",
        ])
        var drawnModels: [(sources: Int, model: DashboardModel)] = []
        let only = CommandLine.arguments.dropFirst().first.flatMap { Int($0) }
        let runs = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 5
        for count in [1, 10, 100, 1_000] where only == nil || only == count {
            let (store, sources, time) = Self.filledStore(sources: count, shape: shape)
            let modelOnly = Derivation()
            let trackerOnly = Derivation(tracker: DemoTracker.tracker)
            // As the collector derives a round: the tracker's list of bindable series is listed again
            // only when a series comes or goes (SeriesStore.identityGeneration), so it is measured
            // on its own.
            let catalog = BindableSeries.catalog(of: store)
            let model = await medianSeconds(repetitions: runs) {
                modelOnly.derive(from: store, sources: sources, timestamp: time, interval: 1).caches.count
            }
            let tracked = await medianSeconds(repetitions: runs) {
                trackerOnly.derive(
                    from: store,
                    sources: sources,
                    timestamp: time,
                    interval: 1,
                    reusedBindableSeries: catalog
                ).tracker.count
            }
            let advised = await medianSeconds(repetitions: runs) {
                Advisor().advise(store: store, sources: sources).count
            }
            let schedule = AdviceSchedule(period: Collector.adviceInterval)
            var roundTime = time
            /// Derives the round one second after the last as the collector does, the views beside the
            /// rest, or on this thread alone.
            func scheduledRound(concurrently: Bool) async -> Int {
                roundTime += 1
                guard concurrently else {
                    return derivation.derive(
                        from: store,
                        sources: sources,
                        timestamp: roundTime,
                        interval: 1,
                        adviceSchedule: schedule,
                        reusedBindableSeries: catalog
                    ).caches.count
                }
                return await derivation.derive(
                    concurrentlyFrom: store,
                    sources: sources,
                    timestamp: roundTime,
                    interval: 1,
                    adviceSchedule: schedule,
                    reusedBindableSeries: catalog
                ).caches.count
            }
            // Past the first round, which advises every source, into the rounds that advise a few.
            for _ in 0..<Int(Collector.adviceInterval) {
                _ = await scheduledRound(concurrently: true)
            }
            let round = await medianSeconds(repetitions: runs) { await scheduledRound(concurrently: true) }
            let oneThread = await medianSeconds(repetitions: runs) { await scheduledRound(concurrently: false) }
            let allAdvised = await medianSeconds(repetitions: runs) {
                derivation.derive(
                    from: store,
                    sources: sources,
                    timestamp: time,
                    interval: 1,
                    reusedBindableSeries: catalog
                ).caches.count
            }
            let listed = await medianSeconds(repetitions: runs) { BindableSeries.catalog(of: store).count }
            table.append([
                String(count), String(count * shape.count), Self.milliseconds(model),
                Self.milliseconds(tracked - model), Self.milliseconds(advised), Self.milliseconds(round),
                Self.milliseconds(round / Double(count)), Self.milliseconds(oneThread), Self.milliseconds(allAdvised),
                Self.milliseconds(listed),
            ])
            if count == 10 || count == 100 {
                drawnModels.append(
                    (count, derivation.derive(from: store, sources: sources, timestamp: time, interval: 1))
                )
            }
        }
        print(table.render())
        print("(each column a median of \(runs) timed runs)")
        print()
        await Self.measureRecording(shape: shape, derivation: derivation)
        let renderer = DashboardRenderer()
        let size = TerminalSize(width: 200, height: 50)
        for (count, model) in drawnModels {
            let draw = await medianSeconds(repetitions: 50) {
                renderer.render(model, size: size).line(25).count
            }
            // The fleet's default layout: the six panes and the fleet pane, focused.
            let fleetState = DashboardViewState(
                settings: DashboardSettings(
                    visiblePanes: (DashboardSettings.PaneKind.defaultLayout + [.fleet]).map(
                        DashboardSettings.PaneID.builtIn
                    )
                )
            )
            let fleetDraw = await medianSeconds(repetitions: 50) {
                renderer.render(model, size: size, state: fleetState).line(25).count
            }
            print(
                "layout + draw of the \(count)-source model at 200x50: \(Self.milliseconds(draw)),"
                    + " with the fleet pane \(Self.milliseconds(fleetDraw)) (medians of 50)"
            )
        }
    }

    /// `--record`'s cost per round and bytes per round for one demo-shaped agent: the round's raw
    /// samples and the derived series of its model, formatted as JSON lines and appended to a file.
    static func measureRecording(shape: [Sample], derivation: Derivation) async {
        let (store, sources, time) = Self.filledStore(sources: 1, shape: shape)
        let model = derivation.derive(from: store, sources: sources, timestamp: time, interval: 1)
        let round = Collector.Round(
            time: time,
            results: [Poller.Result(source: sources[0].name, samples: shape, failure: nil)],
            model: model
        )
        for compressed in [false, true] {
            let path = "/tmp/perftop-record-benchmark-\(getpid()).jsonl" + (compressed ? ".gz" : "")
            defer { unlink(path) }
            guard let recorder = try? Recorder(path: path, maximumBytes: 1 << 30, compressed: compressed) else {
                print("recording: cannot open \(path)")
                return
            }
            let repetitions = 200
            let seconds = await medianSeconds(repetitions: repetitions) {
                (try? recorder.record(round)) != nil ? 1 : 0
            }
            recorder.close()
            var status = stat()
            stat(path, &status)
            // medianSeconds runs the closure once more to warm up.
            let bytes = Int(status.st_size) / (repetitions + 1)
            print(
                "recording one round of one demo-shaped agent\(compressed ? ", gzip (FILE.gz)" : ""):"
                    + " \(Self.milliseconds(seconds)), \(bytes) bytes (median of \(repetitions))"
            )
        }
    }

    /// A store holding `sources` sources of `shape`'s series, each polled `retention` times one
    /// second apart, counters growing by a per-source step and gauges moving, as a live round would
    /// leave it; with every source ok.
    static func filledStore(sources count: Int, shape: [Sample]) -> (SeriesStore, [SourceStatus], Double) {
        var store = SeriesStore(retention: Self.retention)
        let start = 1_800_000_000.0
        let names = (0..<count).map { "agent:/run/agent-\($0).sock" }
        for poll in 0..<Self.retention {
            for (index, name) in names.enumerated() {
                let step = Double(index % 7 + 1)
                let samples = shape.enumerated().map { offset, sample in
                    var sample = sample
                    switch sample.kind {
                    case .counter:
                        sample.value = Double(poll) * step * Double(offset % 5 + 1)
                    default:
                        sample.value = Double((poll * (offset + 3) + index) % 97)
                    }
                    return sample
                }
                store.record(source: name, samples: samples, at: start + Double(poll))
            }
        }
        let statuses = names.map { SourceStatus(name: $0, state: .ok) }
        return (store, statuses, start + Double(Self.retention - 1))
    }

    static func milliseconds(_ seconds: Double) -> String {
        UnitFormat.seconds(seconds)
    }
}
