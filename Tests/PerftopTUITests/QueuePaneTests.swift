import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("QueuePane")
struct QueuePaneTests {
    @Test("at 200×50 a processor row shows every column with units and the depth trend")
    func wide() {
        let grid = TestModels.render(QueuePane(), TestModels.full, width: 200, height: 50)
        #expect(grid.line(0).contains("Queue depth"))
        #expect(grid.line(1).contains("processor   depth   run   ok/s fail/s  rej/s retry/s oldest  wait/svc p95"))
        #expect(grid.line(2).contains("jobs       12/100   8/8  250/s 0.50/s 2.00/s  0.25/s  1.50s 3.40ms/45.2ms"))
        #expect(grid.line(2).hasSuffix("▁▅█│"))
    }

    @Test("in the 80×24 dashboard the narrow pane keeps depth, throughput, failures and the trend")
    func dashboard80x24() {
        let grid = TestModels.dashboard(TestModels.full, width: 80, height: 24)
        #expect(grid.line(2).hasSuffix("│processor   depth   ok/s fail/s  trend│"))
        #expect(grid.line(3).hasSuffix("│jobs       12/100  250/s 0.50/s    ▁▅█│"))
    }

    @Test("in the 200×50 dashboard wait and service p95 sit next to each other")
    func dashboard200x50() {
        let text = TestModels.dashboard(TestModels.full, width: 200, height: 50).text
        #expect(text.contains("processor   depth   run   ok/s fail/s  rej/s  wait/svc p95  trend"))
        #expect(text.contains("jobs       12/100   8/8  250/s 0.50/s 2.00/s 3.40ms/45.2ms    ▁▅█"))
    }

    @Test("failures are critical and rejections a warning")
    func alarmStyles() throws {
        let grid = TestModels.render(QueuePane(), TestModels.full, width: 80, height: 24)
        let line = grid.line(2)
        let fail = try #require(line.distance(of: "0.50/s"))
        let rejected = try #require(line.distance(of: "2.00/s"))
        #expect(grid[2, fail].style == .critical)
        #expect(grid[2, rejected].style == .warning)
    }

    @Test("wait and service p95 share a column; a dash alone when neither is known")
    func waitVersusService() {
        #expect(QueuePane.waitVersusService(ProcessorView(source: "a", name: "b", serviceP95: 0.5)) == "–/500ms")
        #expect(QueuePane.waitVersusService(ProcessorView(source: "a", name: "b")) == "–")
    }

    @Test("without a bound only the value shows; without any, a dash")
    func fill() {
        #expect(QueuePane.fill(3, of: nil) == "3")
        #expect(QueuePane.fill(3, of: 8) == "3/8")
        #expect(QueuePane.fill(nil, of: nil) == "–")
    }

    @Test("values a processor does not report are dashes, not zeros")
    func missingValues() {
        var model = TestModels.full
        model.processors = [ProcessorView(source: "agent", name: "bare", queueDepth: 0)]
        let line = TestModels.render(QueuePane(), model, width: 200, height: 50).line(2)
        #expect(line.contains("bare            0     –      –      –      –       –      –             –"))
    }

    @Test("no processors: the pane says why")
    func noData() {
        let text = TestModels.render(QueuePane(), TestModels.empty, width: 80, height: 24).text
        #expect(text.contains("no data: no source reports processor_* metrics"))
    }
}

extension String {
    /// The column (in characters) where `needle` starts; for ASCII-prefixed lines in tests.
    func distance(of needle: String) -> Int? {
        guard let range = self.range(of: needle) else {
            return nil
        }
        return self.distance(from: self.startIndex, to: range.lowerBound)
    }

    @Test("the peak depth shows once a peak is known, in the table and over the depth graph")
    func peak() {
        let plain = TestModels.render(QueuePane(), TestModels.golden, width: 120, height: 5).text
        #expect(!plain.contains("peak"))
        let grid = TestModels.render(
            QueuePane(),
            TestModels.golden,
            context: TestModels.goldenContext,
            width: 120,
            height: 30
        )
        #expect(grid.line(1).contains("depth  peak"))
        #expect(grid.line(2).contains("12/100    40"))
        #expect(grid.text.contains("12/100 peak 40"))
    }

    @Test("a tall pane graphs depth and running tasks, side by side when wide")
    func graphs() {
        let wide = TestModels.render(QueuePane(), TestModels.golden, width: 120, height: 30)
        let titles = wide.line(4)
        #expect(titles.contains("jobs queued"))
        #expect(titles.contains("jobs running"))
        let narrow = TestModels.render(QueuePane(), TestModels.golden, width: 80, height: 30).text
        #expect(narrow.contains("jobs queued"))
        #expect(narrow.contains("jobs running"))
    }
}
