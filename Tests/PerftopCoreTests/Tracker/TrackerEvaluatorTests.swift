import Foundation
import PerfKit
import Testing

@testable import PerftopCore

@Suite("Tracker evaluation")
struct TrackerEvaluatorTests {
    private static func summary(_ name: String, _ quantile: String, _ value: Double, _ labels: [String: String])
        -> Sample
    {
        var labels = labels
        labels["quantile"] = quantile
        return Sample(name: name, labels: labels, kind: .summary, value: value)
    }

    /// A store holding each poll of `source`, oldest first.
    private static func store(_ polls: [(time: Double, samples: [Sample])], source: String = "agent") -> SeriesStore {
        var store = SeriesStore(retention: 20)
        for (time, samples) in polls {
            store.record(source: source, samples: samples, at: time)
        }
        return store
    }

    private static func target(
        _ metric: String?,
        _ statistic: TrackerStatistic? = nil,
        goal: String? = nil,
        baseline: Double? = nil
    ) throws -> TrackerTarget {
        TrackerTarget(
            name: "t",
            metric: try metric.map(MetricSelector.init(parsing:)),
            statistic: statistic,
            goal: try goal.map(TrackerGoal.init(parsing:)),
            baseline: baseline.map { TrackerBaseline(value: $0) }
        )
    }

    private static func evaluate(_ target: TrackerTarget, _ store: SeriesStore, window: Double = 60) -> TrackerResult {
        TrackerEvaluator(window: .seconds(window)).evaluate(target, store: store)
    }

    // MARK: - Status rule

    @Test(
        "the status rule at the edges: threshold, margin, < and <=",
        arguments: [
            (0.05, TrackerGoal.Comparison.lessThan, TrackerStatus.missed),
            (0.05, .atMost, .atRisk),
            (0.0501, .atMost, .missed),
            (0.0499, .lessThan, .atRisk),
            (0.046, .lessThan, .atRisk),
            (0.0451, .lessThan, .atRisk),
            (0.0449, .lessThan, .met),
            (0.01, .lessThan, .met),
            (0.05, .greaterThan, .missed),
            (0.05, .atLeast, .atRisk),
            (0.0549, .atLeast, .atRisk),
            (0.0551, .greaterThan, .met),
            (0.0449, .atLeast, .missed),
        ]
    )
    func statusRule(value: Double, comparison: TrackerGoal.Comparison, status: TrackerStatus) {
        #expect(TrackerEvaluator.status(value: value, comparison: comparison, threshold: 0.05, margin: 0.1) == status)
    }

    @Test("with no margin a goal that holds is met, even at the threshold")
    func zeroMargin() {
        #expect(TrackerEvaluator.status(value: 0.05, comparison: .atMost, threshold: 0.05, margin: 0) == .met)
        #expect(TrackerEvaluator.status(value: 0, comparison: .atMost, threshold: 0, margin: 0.1) == .met)
    }

    // MARK: - Statistics

    @Test("p95 reads the quantile=\"0.95\" series; the worst of several sources counts")
    func percentile() throws {
        var store = SeriesStore(retention: 10)
        let labels = ["op": "embed"]
        store.record(source: "a", samples: [Self.summary("operation_seconds", "0.95", 0.030, labels)], at: 1)
        store.record(source: "b", samples: [Self.summary("operation_seconds", "0.95", 0.048, labels)], at: 1)
        store.record(source: "b", samples: [Self.summary("operation_seconds", "0.95", 0.052, labels)], at: 2)
        store.record(source: "a", samples: [Self.summary("operation_seconds", "0.5", 0.010, labels)], at: 2)
        let target = try Self.target(#"operation_seconds{op="embed"}"#, .p95, goal: "< 50ms")
        let worst = Self.evaluate(target, store)
        #expect(worst.status == .missed)
        #expect(worst.value == 0.052)
        #expect(worst.reading?.source == "b")
        #expect(worst.reading?.candidates == 1)
        #expect(worst.threshold == 0.05)
        #expect(worst.trend == 0.052 - 0.048)
        #expect(worst.trendDirection == .worsening)
        let onlyA = try Self.target(#"operation_seconds{op="embed",source="a"}"#, .p50, goal: "< 50ms")
        #expect(Self.evaluate(onlyA, store).value == 0.010)
        let p99 = Self.evaluate(try Self.target(#"operation_seconds{op="embed"}"#, .p99, goal: "< 50ms"), store)
        #expect(p99.status == .noData)
        #expect(p99.reason == #"no quantile="0.99" series of operation_seconds{op="embed"}"#)
        #expect(p99.failsGate)
    }

    @Test("rate: a counter's average rate over the window, summed over a source's matching series")
    func rate() throws {
        let store = Self.store([
            (0, [.counter("tasks_total", 0, ["outcome": "ok"]), .counter("tasks_total", 0, ["outcome": "failed"])]),
            (1, [.counter("tasks_total", 10, ["outcome": "ok"]), .counter("tasks_total", 0, ["outcome": "failed"])]),
            (2, [.counter("tasks_total", 28, ["outcome": "ok"]), .counter("tasks_total", 2, ["outcome": "failed"])]),
        ])
        let all = Self.evaluate(try Self.target("tasks_total", .rate, goal: "> 12/s"), store)
        #expect(all.value == 15)
        #expect(all.status == .met)
        #expect(all.trend == 10)
        #expect(all.trendDirection == .improving)
        #expect(all.formattedValue == "15/s")
        let ok = Self.evaluate(try Self.target(#"tasks_total{outcome="ok"}"#, .rate), store, window: 1)
        #expect(ok.value == 18)
        #expect(ok.status == .noGoal)
        let onePoll = Self.store([(0, [.counter("tasks_total", 5)])])
        let none = Self.evaluate(try Self.target("tasks_total", .rate, goal: "> 1/s"), onePoll)
        #expect(none.status == .noData)
        #expect(none.reason == "a rate needs two polls")
    }

    @Test("ratio: rate ÷ rate per source, the history paired by time, a restart counted as everywhere")
    func ratio() throws {
        let failed = try MetricSelector(parsing: #"tasks_total{outcome="failed"}"#)
        let all = try MetricSelector(parsing: "tasks_total")
        let store = Self.store([
            (0, [.counter("tasks_total", 0, ["outcome": "ok"]), .counter("tasks_total", 0, ["outcome": "failed"])]),
            (1, [.counter("tasks_total", 18, ["outcome": "ok"]), .counter("tasks_total", 2, ["outcome": "failed"])]),
            // The process restarted: both counters start again from 0, and their increases are their values.
            (2, [.counter("tasks_total", 3, ["outcome": "ok"]), .counter("tasks_total", 1, ["outcome": "failed"])]),
        ])
        let evaluator = TrackerEvaluator(window: .seconds(60))
        let reading = try evaluator.read(failed, per: all, store: store).get()
        // 3 failed of 24 tasks over the window; 2 of 20, then 1 of 4.
        #expect(reading.value == 3.0 / 24)
        #expect(reading.history.map(\.value) == [0.1, 0.25])
        #expect(reading.source == "agent")
        let each = try evaluator.readEach(failed, per: all, store: store).get()
        #expect(each.map(\.value) == [3.0 / 24])
        let idle = Self.store([(0, [.counter("tasks_total", 3)]), (1, [.counter("tasks_total", 3)])])
        let none = evaluator.read(all, per: all, store: idle)
        #expect(throws: TrackerError.self) { try none.get() }
        #expect(
            evaluator.read(all, per: try MetricSelector(parsing: "nothing_total"), store: store).failureMessage
                == "no series matches nothing_total"
        )
    }

    @Test("readEach: every candidate the worst is chosen from, in source and series order")
    func readEach() throws {
        var store = Self.store([(0, [.gauge("depth", 4, ["q": "a"]), .gauge("depth", 9, ["q": "b"])])])
        store.record(source: "other", samples: [.gauge("depth", 1, ["q": "a"])], at: 0)
        let evaluator = TrackerEvaluator(window: .seconds(60))
        let each = try evaluator.readEach(try MetricSelector(parsing: "depth"), statistic: .current, store: store).get()
        #expect(each.map(\.value) == [4, 9, 1])
        #expect(each.map(\.source) == ["agent", "agent", "other"])
        #expect(each.allSatisfy { $0.history.isEmpty && $0.candidates == 1 })
        let worst = try evaluator.read(try MetricSelector(parsing: "depth"), statistic: .current, store: store).get()
        #expect(worst.value == 9 && worst.candidates == 3)
    }

    @Test("hit ratio: Δhits / (Δhits + Δmisses) over the window, from the misses twin with the same labels")
    func hitRatio() throws {
        let labels = ["cache": "embeddings"]
        let store = Self.store([
            (0, [.counter("cache_hits_total", 0, labels), .counter("cache_misses_total", 0, labels)]),
            (1, [.counter("cache_hits_total", 80, labels), .counter("cache_misses_total", 20, labels)]),
            (2, [.counter("cache_hits_total", 150, labels), .counter("cache_misses_total", 50, labels)]),
        ])
        let result = Self.evaluate(
            try Self.target(#"cache_hits_total{cache="embeddings"}"#, .hitRatio, goal: ">= 70%"),
            store
        )
        #expect(result.value == 0.75)
        #expect(result.status == .atRisk)
        #expect(result.trendDirection == .worsening)
        #expect(result.formattedValue == "75%")
        let idle = Self.store([
            (0, [.counter("cache_hits_total", 5, labels), .counter("cache_misses_total", 5, labels)]),
            (1, [.counter("cache_hits_total", 5, labels), .counter("cache_misses_total", 5, labels)]),
        ])
        let none = Self.evaluate(try Self.target("cache_hits_total", .hitRatio, goal: ">= 70%"), idle)
        #expect(none.status == .noData)
        #expect(none.reason == "no requests in the window, or no cache_misses_total with the same labels")
        let noTwin = Self.store([(0, [.counter("cache_hits_total", 1)]), (1, [.counter("cache_hits_total", 2)])])
        #expect(Self.evaluate(try Self.target("cache_hits_total", .hitRatio), noTwin).status == .noData)
    }

    @Test("mean: Δsum / Δcount of a summary, the lifetime mean with one poll, else the mean of a gauge's points")
    func mean() throws {
        let labels = ["op": "lookup"]
        let polls: [(time: Double, samples: [Sample])] = [
            (
                0,
                [
                    Sample(name: "op_seconds_sum", labels: labels, kind: .summary, value: 1),
                    Sample(name: "op_seconds_count", labels: labels, kind: .summary, value: 10),
                ]
            ),
            (
                1,
                [
                    Sample(name: "op_seconds_sum", labels: labels, kind: .summary, value: 1.5),
                    Sample(name: "op_seconds_count", labels: labels, kind: .summary, value: 20),
                ]
            ),
            (
                2,
                [
                    Sample(name: "op_seconds_sum", labels: labels, kind: .summary, value: 3),
                    Sample(name: "op_seconds_count", labels: labels, kind: .summary, value: 30),
                ]
            ),
        ]
        let target = try Self.target(#"op_seconds{op="lookup"}"#, .mean, goal: "< 5ms")
        let windowMean = Self.evaluate(target, Self.store(polls))
        #expect(windowMean.value == 0.1)
        #expect(windowMean.status == .missed)
        #expect(abs(try #require(windowMean.trend) - 0.1) < 1e-12)
        #expect(Self.evaluate(target, Self.store(Array(polls.prefix(1)))).value == 0.1)
        let idle = Self.store([polls[0], (1, polls[0].samples)])
        #expect(Self.evaluate(target, idle).reason == "no observations in the window")

        let memory = Self.store([
            (0, [.gauge("rss_bytes", 100)]), (1, [.gauge("rss_bytes", 200)]), (2, [.gauge("rss_bytes", 300)]),
        ])
        #expect(Self.evaluate(try Self.target("rss_bytes", .mean), memory).value == 200)
        #expect(Self.evaluate(try Self.target("rss_bytes", .max), memory).value == 300)
        #expect(Self.evaluate(try Self.target("rss_bytes", .max), memory, window: 0).value == 300)
        #expect(Self.evaluate(try Self.target("rss_bytes", .mean), memory, window: 1).value == 250)
        let current = Self.evaluate(try Self.target("rss_bytes", nil, goal: "< 1KiB"), memory)
        #expect(current.value == 300)
        #expect(current.status == .met)
        #expect(current.trend == 200)
        #expect(current.trendDirection == .worsening)
        #expect(current.formattedValue == "300B")
    }

    // MARK: - Statuses without a value

    @Test("unbound, untracked, no data, no goal and no baseline")
    func statuses() throws {
        let store = Self.store([(0, [.gauge("rss_bytes", 100)])])
        #expect(Self.evaluate(try Self.target(nil, goal: "< 5ms"), store).status == .unbound)
        var untracked = try Self.target("rss_bytes")
        untracked.tracked = false
        #expect(Self.evaluate(untracked, store).status == .untracked)
        let missing = Self.evaluate(try Self.target(#"rss_bytes{pid="9"}"#, goal: "< 1MB"), store)
        #expect(missing.status == .noData)
        #expect(missing.reason == #"no series matches rss_bytes{pid="9"}"#)
        #expect(Self.evaluate(try Self.target("rss_bytes"), store).status == .noGoal)
        let relative = Self.evaluate(try Self.target("rss_bytes", goal: "-30% vs baseline"), store)
        #expect(relative.status == .noBaseline)
        #expect(relative.failsGate)
        #expect(!Self.evaluate(try Self.target(nil, goal: "< 5ms"), store).failsGate)
    }

    @Test(
        "relative goals compare with the baseline, and the change is signed",
        arguments: [
            ("-30% vs baseline", 100.0, TrackerStatus.met, -0.5),
            ("-30% vs baseline", 140, .atRisk, -0.3),
            ("-30% vs baseline", 135, .atRisk, -0.325),
            ("-30% vs baseline", 150, .missed, -0.25),
            ("+25% vs baseline", 300, .met, 0.5),
            ("+25% vs baseline", 250, .atRisk, 0.25),
            ("+25% vs baseline", 240, .missed, 0.2),
        ]
    )
    func relative(goal: String, value: Double, status: TrackerStatus, change: Double) throws {
        let store = Self.store([(0, [.gauge("rss_bytes", value)])])
        let result = Self.evaluate(try Self.target("rss_bytes", goal: goal, baseline: 200), store)
        #expect(result.status == status)
        #expect(result.changeFromBaseline == change)
    }

    // MARK: - Baselines

    @Test("a gauge reading NaN or infinity gives no baseline, so the saved file reads back")
    func nonFiniteBaselines() throws {
        let store = Self.store([(0, [.gauge("a", .nan), .gauge("b", -.infinity)])])
        let tracker = Tracker(targets: [
            TrackerTarget(name: "a", metric: MetricSelector(name: "a")),
            TrackerTarget(name: "b", metric: MetricSelector(name: "b")),
        ])
        let capture = TrackerEvaluator(window: .seconds(60)).captureBaselines(tracker, store: store, at: 0)
        #expect(capture.captured.isEmpty)
        #expect(capture.missing == ["a", "b"])
        #expect(try Tracker(toml: capture.tracker.tomlText()) == capture.tracker)
    }

    @Test("captures a baseline for every bound target with data, at whole seconds")
    func baselines() throws {
        let store = Self.store([(0, [.gauge("rss_bytes", 100)]), (1, [.gauge("rss_bytes", 120)])])
        let tracker = Tracker(targets: [
            TrackerTarget(name: "rss", metric: MetricSelector(name: "rss_bytes"), goal: .relative(percent: -30)),
            TrackerTarget(name: "gone", metric: MetricSelector(name: "missing")),
            TrackerTarget(name: "unbound", baseline: TrackerBaseline(value: 7)),
        ])
        let capture = TrackerEvaluator(window: .seconds(60)).captureBaselines(
            tracker,
            store: store,
            at: 1_700_000_000.9
        )
        #expect(capture.captured == ["rss"])
        #expect(capture.missing == ["gone"])
        #expect(capture.tracker.targets[0].baseline == TrackerBaseline(value: 120, captured: 1_700_000_000))
        #expect(capture.tracker.targets[1].baseline == nil)
        #expect(capture.tracker.targets[2].baseline == TrackerBaseline(value: 7))
        let after = TrackerEvaluator(window: .seconds(60)).evaluate(capture.tracker, store: store)
        #expect(after.results[0].status == .missed)
        #expect(after.results[0].changeFromBaseline == 0)
    }

    // MARK: - Reports

    private static func gateTracker() throws -> (Tracker, SeriesStore) {
        let labels = ["op": "embed"]
        let store = Self.store([
            (0, [Self.summary("operation_seconds", "0.95", 0.040, labels), .gauge("rss_bytes", 600_000_000)]),
            (1, [Self.summary("operation_seconds", "0.95", 0.030, labels), .gauge("rss_bytes", 600_000_000)]),
        ])
        let tracker = Tracker(
            title: "Gate",
            targets: [
                TrackerTarget(
                    name: "embed p95",
                    metric: try MetricSelector(parsing: #"operation_seconds{op="embed"}"#),
                    statistic: .p95,
                    goal: try TrackerGoal(parsing: "< 50ms"),
                    priority: .high,
                    due: TrackerDate(year: 2024, month: 7, day: 15)
                ),
                TrackerTarget(
                    name: "memory",
                    metric: MetricSelector(name: "rss_bytes"),
                    goal: try TrackerGoal(parsing: "< 512MB"),
                    baseline: TrackerBaseline(value: 800_000_000)
                ),
                TrackerTarget(name: "someday", goal: try TrackerGoal(parsing: "< 1s")),
                TrackerTarget(name: "log", tracked: false),
            ]
        )
        return (tracker, store)
    }

    @Test("the gate fails on a missed target and names it; text, CSV and JSON")
    func reports() throws {
        let (tracker, store) = try Self.gateTracker()
        let evaluation = TrackerEvaluator(window: .seconds(60)).evaluate(tracker, store: store)
        #expect(!evaluation.passed)
        #expect(evaluation.failures.map(\.target.name) == ["memory"])
        let text = TrackerReport.render(evaluation, format: .text)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("STATUS   TARGET     VALUE  GOAL"))
        #expect(lines[1].hasPrefix("met      embed p95  30ms   < 50ms"))
        #expect(lines[1].contains("-10ms improving"))
        #expect(lines[2].contains("600MB") && lines[2].contains("-25%"))
        #expect(lines[3].hasPrefix("unbound"))
        #expect(lines[4] == "gate: fail (1 of 2): memory (missed)")

        let csv = TrackerReport.render(evaluation, format: .csv).split(separator: "\n")
        #expect(csv.count == 4)
        #expect(csv[0].hasPrefix("section,target,status,value,comparison,threshold,goal,baseline,"))
        #expect(csv[1].hasPrefix(",embed p95,met,0.03,<,0.05,< 50ms,,,"))
        #expect(csv[1].contains(",improving,high,,2024-07-15,"))
        #expect(csv[1].contains(#""operation_seconds{op=""embed""}""#))

        let json = try #require(
            JSONSerialization.jsonObject(with: Data(TrackerReport.render(evaluation, format: .json).utf8))
                as? [String: Any]
        )
        #expect(json["passed"] as? Bool == false)
        #expect(json["title"] as? String == "Gate")
        let targets = try #require(json["targets"] as? [[String: Any]])
        #expect(targets.count == 3)
        #expect(targets[1]["status"] as? String == "missed")
        #expect(targets[1]["failsGate"] as? Bool == true)
        #expect(targets[1]["value"] as? Double == 600_000_000)

        var adjusted = tracker
        adjusted.targets[1].goal = try TrackerGoal(parsing: "< 1GB")
        let passing = TrackerEvaluator(window: .seconds(60)).evaluate(adjusted, store: store)
        #expect(passing.passed)
        #expect(TrackerReport.render(passing, format: .text).hasSuffix("gate: pass (2 bound targets met)\n"))
    }

    @Test("the markdown report rewrites the imported tables with the Current column filled in")
    func markdownReport() throws {
        let url = try #require(
            Bundle.module.url(forResource: "seed-tracker", withExtension: "md", subdirectory: "Fixtures/tracker")
        )
        var tracker = try MarkdownTrackerImporter().importFile(path: url.path)
        tracker.targets[10].metric = try MetricSelector(parsing: #"operation_seconds{op="embed"}"#)
        let store = Self.store([(0, [Self.summary("operation_seconds", "0.95", 0.0452, ["op": "embed"])])])
        let evaluation = TrackerEvaluator(window: .seconds(60)).evaluate(tracker, store: store)
        let markdown = TrackerReport.render(evaluation, format: .markdown)
        #expect(markdown.hasPrefix("# Performance Optimization Tracker\n\n## Performance Optimization Status\n"))
        #expect(
            markdown.contains("| VectorSearchResolver | Vector Search (1K vectors) | 45.2ms | <50ms | p95 latency |")
        )
        #expect(markdown.contains("| TaskResolverRegistry | Resolver Lookup | - | <5ms | Average lookup time |"))
        #expect(markdown.contains("| VectorSearchResolver Caching | 🔴 Not Started | High |"))
        let reimported = MarkdownTrackerImporter().tracker(fromMarkdown: markdown)
        #expect(reimported.targets.count == tracker.targets.count)
        #expect(reimported.targets.map(\.section) == tracker.targets.map(\.section))
        #expect(reimported.targets[0].columns == tracker.targets[0].columns)
    }

    @Test("the dashboard's rows: tracked targets with sortable ranks")
    func views() throws {
        let (tracker, store) = try Self.gateTracker()
        let views = TrackerEvaluator(window: .seconds(60)).evaluate(tracker, store: store).views
        #expect(views.count == 3)
        #expect(
            views[0]
                == TrackerTargetView(
                    name: "embed p95",
                    goal: "< 50ms",
                    current: "30ms",
                    status: "met",
                    priority: "high",
                    priorityRank: 0,
                    due: "2024-07-15",
                    statusRank: TrackerStatus.met.rank,
                    trend: .improving,
                    targetIndex: 0
                )
        )
        #expect(views[1].status == "missed" && views[1].statusRank == 0 && views[1].change == "-25%")
        #expect(views[2].status == "unbound" && views[2].current == nil && views[2].priorityRank == 4)
        #expect(views.map(\.targetIndex) == [0, 1, 2], "each row names its target's place in the tracker")
        #expect(TrackerTargetView(name: "x", goal: "< 1s", status: "at risk").statusRank == 1)
    }
}

extension Result where Failure == TrackerError {
    /// The error's message, or nil for a success.
    fileprivate var failureMessage: String? {
        guard case .failure(let error) = self else {
            return nil
        }
        return error.message
    }
}
