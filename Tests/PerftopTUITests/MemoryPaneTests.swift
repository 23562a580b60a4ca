import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("MemoryPane")
struct MemoryPaneTests {
    /// The memory pane of ``TestModels/full`` at `width`×8, its memory view first changed by `change`.
    private func render(width: Int = 66, _ change: (inout MemoryView) -> Void = { _ in }) -> CellGrid {
        var model = TestModels.full
        change(&model.memory)
        return TestModels.render(MemoryPane(), model, width: width, height: 8)
    }

    @Test("system memory shows a meter, the used share and MemAvailable of MemTotal")
    func systemMemory() {
        let grid = self.render()
        #expect(grid.line(1).hasPrefix("│mem █"))
        #expect(grid.line(1).contains("62.5% avail 6.00GiB/16.0GiB"))
        #expect(grid.line(2).contains("cpu █"))
        #expect(grid.line(2).contains("23.1%"))
    }

    @Test("the cpu row adds one bar per core when cores are reported and room allows")
    func perCoreBars() {
        let perCore = { (memory: inout MemoryView) in memory.perCoreBusyPercent = [0, 100, 50] }
        let wide = self.render(perCore)
        #expect(wide.line(2).contains("23.1% ▁█▅"))
        let narrow = self.render(width: 20, perCore)
        #expect(narrow.line(2).contains("23.1%"))
        #expect(!narrow.line(2).contains("▁█"))
    }

    @Test("processes show their resident memory, heap in use and trend")
    func processes() {
        let text = self.render().text
        #expect(text.contains("process     rss    heap"))
        #expect(text.contains("agent    512MiB  120MiB"))
        #expect(text.contains("▆█"))
    }

    @Test("the heap column shows at 80×24 and 200×50 when a process reports a heap")
    func heapInDashboard() {
        for (width, height) in [(80, 24), (200, 50)] {
            let text = TestModels.dashboard(TestModels.full, width: width, height: height)
                .text
            #expect(text.contains("agent    512MiB  120MiB"), "no heap at \(width)×\(height)")
        }
    }

    @Test("a heap with a limit (Redis maxmemory) reads used/limit, a warning from 90% of it")
    func heapLimit() throws {
        let redis = { (used: Double) in
            ProcessMemoryView(
                source: "redis",
                residentBytes: 20 * 1_048_576,
                heapInUseBytes: used,
                heapLimitBytes: 10 * 1_048_576
            )
        }
        let roomy = self.render(width: 80) { $0.processes = [redis(5 * 1_048_576)] }
        #expect(roomy.text.contains("5.00MiB/10.0MiB"))
        let full = self.render(width: 80) { $0.processes = [redis(9.5 * 1_048_576)] }
        let row = try #require((0..<8).first { full.line($0).contains("9.50MiB/10.0MiB") })
        let column = try #require(full.line(row).distance(of: "9.50MiB/10.0MiB"))
        #expect(full[row, column].style == .warning)
    }

    @Test("without any heap the column is left out; a process without one shows a dash")
    func heapMissing() {
        let proc = ProcessMemoryView(source: "proc", residentBytes: 1_048_576)
        #expect(!self.render { $0.processes = [proc] }.text.contains("heap"))
        let agent = ProcessMemoryView(source: "agent", heapInUseBytes: 2048)
        let text = self.render { $0.processes = [proc, agent] }.text
        #expect(text.contains("proc    1.00MiB       –"))
        #expect(text.contains("agent         – 2.00KiB"))
    }

    @Test("a narrow pane keeps the used share, then drops the meter")
    func narrow() {
        let narrow = self.render(width: 30)
        #expect(narrow.line(1).contains("█"))
        #expect(narrow.line(1).contains("62.5%"))
        #expect(!narrow.line(1).contains("avail"))
        let tiny = self.render(width: 14)
        #expect(tiny.line(1).contains("mem 62.5%"))
        #expect(!tiny.line(1).contains("█"))
    }

    @Test("only MemTotal known: no meter, the missing value is a dash")
    func partial() {
        let grid = self.render { $0.systemAvailableBytes = nil }
        #expect(grid.line(1).contains("avail –/16.0GiB"))
        #expect(!grid.line(1).contains("%"))
    }

    @Test("nothing known: every line says why")
    func noData() {
        let text = TestModels.render(MemoryPane(), TestModels.empty, width: 100, height: 8).text
        #expect(text.contains("mem no data: no source reports MemTotal/MemAvailable"))
        #expect(text.contains("cpu no data: no source reports CPU time"))
        #expect(text.contains("no data: no source reports process_resident_memory_bytes"))
    }

    @Test("the trend scale spans at least a tenth of the peak")
    func residentScale() {
        #expect(MemoryPane.residentScale([100, 100]) == .fixed(90...100))
        #expect(MemoryPane.residentScale([10, 100]) == .fixed(10...100))
        #expect(MemoryPane.residentScale([]) == .fromZero)
    }

    @Test("growth reads in bytes per minute with its sign; a mebibyte a minute or more is a warning")
    func growth() {
        #expect(
            MemoryPane.growth(ProcessMemoryView(source: "a", residentGrowthBytesPerSecond: 0.2 * 1_048_576))
                == "+12.0MiB/min"
        )
        #expect(
            MemoryPane.growth(ProcessMemoryView(source: "a", residentGrowthBytesPerSecond: -512 / 60)) == "-512B/min"
        )
        #expect(MemoryPane.growth(ProcessMemoryView(source: "a")) == "–")
        #expect(MemoryPane.growthStyle(1_048_576 / 60) == .warning)
        #expect(MemoryPane.growthStyle(1_000) == .normal)
        let text = TestModels.render(MemoryPane(), TestModels.golden, width: 80, height: 8).text
        #expect(text.contains("growth"))
        #expect(text.contains("+12.0MiB/min"))
    }

    @Test("a tall pane graphs resident memory with the peak, growth and value labels")
    func graph() {
        let text = TestModels.render(
            MemoryPane(),
            TestModels.golden,
            context: TestModels.goldenContext,
            width: 80,
            height: 24
        ).text
        #expect(text.contains("agent rss"))
        #expect(text.contains("512MiB +12.0MiB/min peak 530MiB│"))
        #expect(text.contains("│461MiB "))
        #expect(text.contains("now│"))
    }
}
