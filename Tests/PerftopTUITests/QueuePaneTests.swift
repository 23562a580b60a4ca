import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("QueuePane")
struct QueuePaneTests {
    @Test("a processor row shows depth, running/limit, rates and the depth trend")
    func row() {
        let grid = TestModels.render(QueuePane(), TestModels.full, width: 66, height: 5)
        #expect(grid.line(0).contains("Queue depth"))
        #expect(grid.line(1).contains("processor depth running  done/s  fail/s"))
        #expect(grid.line(2).contains("jobs         12     8/8   250/s  0.50/s"))
        #expect(grid.line(2).hasSuffix("▁▅█│"))
    }

    @Test("failures are drawn as critical")
    func failuresCritical() {
        let grid = TestModels.render(QueuePane(), TestModels.full, width: 66, height: 5)
        let failColumn = grid.line(2).distance(of: "0.50/s")
        #expect(failColumn != nil)
        if let failColumn {
            #expect(grid[2, failColumn].style == .critical)
        }
    }

    @Test("without a limit only the running count shows")
    func noLimit() {
        #expect(QueuePane.running(ProcessorView(source: "a", name: "b", inFlight: 3)) == "3")
        #expect(QueuePane.running(ProcessorView(source: "a", name: "b")) == "–")
    }

    @Test("no processors: the pane says why")
    func noData() {
        let text = TestModels.render(QueuePane(), TestModels.empty, width: 80, height: 4).text
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
}
