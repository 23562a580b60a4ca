import PerfKit
import Testing

@testable import PerftopCore

@Suite("CustomPaneView")
struct CustomPaneViewTests {
    /// A store of two sources' request counters polled at 1 s intervals: `a` serves 100 requests a
    /// second, 2 of them errors; `b` 50 a second, 5 of them errors.
    static func store() -> SeriesStore {
        var store = SeriesStore(retention: 10)
        for poll in 0..<4 {
            let time = 1_700_000_000 + Double(poll)
            for (source, total, errors) in [("a", 100.0, 2.0), ("b", 50.0, 5.0)] {
                store.record(
                    source: source,
                    samples: [
                        .counter("http_requests_total", total * Double(poll), ["code": "200"]),
                        .counter("http_requests_total", errors * Double(poll), ["code": "500"]),
                        .gauge("queue_depth", Double(poll * 3), ["queue": "jobs"]),
                    ],
                    at: time
                )
            }
        }
        return store
    }

    private func selector(_ text: String) throws -> MetricSelector {
        try MetricSelector(parsing: text)
    }

    @Test("a ratio of two rates: the worst source's, judged against the goal")
    func ratio() throws {
        let definition = PaneDefinition(
            name: "errors",
            metric: try self.selector(#"http_requests_total{code="500"}"#),
            statistic: .ratio(of: try self.selector("http_requests_total")),
            kind: .gauge,
            goal: try TrackerGoal(parsing: "< 5%")
        )
        let view = CustomPaneView(definition, store: Self.store())
        // b: 5 errors of 55 requests a second.
        #expect(view.source == "b")
        #expect(abs((view.value ?? 0) - 5.0 / 55) < 1e-9)
        #expect(view.status == .missed)
        #expect(view.format(view.value) == "9.09%")
        #expect(view.rows.isEmpty && view.history.isEmpty, "a gauge keeps neither rows nor history")
    }

    @Test("a table has one row per matching series, each with its status")
    func table() throws {
        let definition = PaneDefinition(
            name: "requests",
            metric: try self.selector("http_requests_total"),
            statistic: .reading(.current),
            kind: .table,
            goal: try TrackerGoal(parsing: "< 200")
        )
        let view = CustomPaneView(definition, store: Self.store())
        #expect(view.rows.map(\.source) == ["a", "a", "b", "b"])
        #expect(view.rows.map(\.labels) == [#"code="200""#, #"code="500""#, #"code="200""#, #"code="500""#])
        #expect(view.rows.map(\.value) == [300, 6, 150, 15])
        #expect(view.rows.map(\.status) == [.missed, .met, .met, .met])
        #expect(view.value == 300 && view.status == .missed)
    }

    @Test("a graph's history is the statistic over the retained window; the value is the last interval's")
    func graph() throws {
        let definition = PaneDefinition(
            name: "rps",
            metric: try self.selector(#"http_requests_total{source="a"}"#),
            statistic: .reading(.rate)
        )
        let view = CustomPaneView(definition, store: Self.store())
        #expect(view.value == 102)
        #expect(view.status == .noGoal)
        #expect(view.history.map(\.value) == [102, 102, 102])
        #expect(view.definition.displayUnit == .perSecond)
    }

    @Test("without data, the tracker's reason")
    func noData() throws {
        let definition = PaneDefinition(
            name: "x",
            metric: try self.selector("missing_total"),
            statistic: .reading(.rate)
        )
        let view = CustomPaneView(definition, store: Self.store())
        #expect(view.value == nil)
        #expect(view.status == .noData)
        #expect(view.reason == "no series matches missing_total")
        let ratio = PaneDefinition(
            name: "y",
            metric: try self.selector("http_requests_total"),
            statistic: .ratio(of: try self.selector("missing_total"))
        )
        #expect(CustomPaneView(ratio, store: Self.store()).reason == "no series matches missing_total")
    }

    @Test("the derivation derives every custom pane into the model, in order")
    func derivation() throws {
        let panes = [
            PaneDefinition(name: "one", metric: try self.selector("queue_depth")),
            PaneDefinition(name: "two", metric: try self.selector("http_requests_total"), kind: .table),
        ]
        let model = Derivation(panes: panes).derive(
            from: Self.store(),
            sources: [SourceStatus(name: "a", state: .ok), SourceStatus(name: "b", state: .ok)],
            timestamp: 1_700_000_003,
            interval: 1
        )
        #expect(model.customPanes.map(\.definition.name) == ["one", "two"])
        #expect(model.customPanes[0].value == 9)
    }

    @Test("a pane's trigger fires through the derivation's engine, once, naming the pane")
    func paneTrigger() throws {
        var pane = PaneDefinition(
            name: "errors",
            title: "Error rate",
            metric: try self.selector("http_requests_total{code=\"500\"}"),
            statistic: .reading(.rate),
            goal: try TrackerGoal(parsing: "< 1/s")
        )
        pane.trigger = Trigger()
        let derivation = Derivation(panes: [pane], triggers: TriggerEngine())
        let sources = [SourceStatus(name: "a", state: .ok), SourceStatus(name: "b", state: .ok)]
        let first = derivation.derive(from: Self.store(), sources: sources, timestamp: 1_700_000_003, interval: 1)
        let second = derivation.derive(from: Self.store(), sources: sources, timestamp: 1_700_000_004, interval: 1)
        #expect(first.customPanes[0].status == .missed)
        let alert = try #require(first.alerts.first)
        #expect(second.alerts == [alert], "still missed: no second alert")
        #expect(alert.subject.name == "Error rate")
        #expect(alert.environment["PERFTOP_PANE"] == "errors")
        #expect(alert.environment["PERFTOP_SOURCE"] == "b")
        #expect(alert.environment["PERFTOP_SERIES"] == "http_requests_total{code=\"500\"}")
        #expect(alert.message == "trigger: 'Error rate' missed: 5/s (goal < 1/s) on b")
    }

    @Test("label values from a source are escaped and cut in a table's rows")
    func hostileLabels() throws {
        var store = SeriesStore(retention: 4)
        let hostile = "\u{1B}]52;c;eA==\u{7}" + String(repeating: "x", count: 1_000)
        store.record(source: "s", samples: [.gauge("m", .nan, ["l": hostile])], at: 1)
        let view = CustomPaneView(PaneDefinition(name: "m", metric: try self.selector("m"), kind: .table), store: store)
        let row = try #require(view.rows.first)
        #expect(!row.labels.unicodeScalars.contains(where: SafeText.isUnsafe))
        #expect(row.labels.count <= CustomPaneView.maximumLabelsLength + 1)
        #expect(row.value.isNaN)
        #expect(view.format(row.value) == "nan")
    }
}
