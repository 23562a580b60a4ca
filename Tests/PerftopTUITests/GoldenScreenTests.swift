import Foundation
import PerftopCore
import Testing

@testable import PerftopTUI

/// Every pane alone (framed) and the whole dashboard, rendered headless for ``TestModels/golden``
/// and compared, ANSI-free, with the checked-in text in `Fixtures/golden/<name>.txt`.
///
/// Run with `PERFTOP_UPDATE_GOLDEN=1` to (re)write the files into the source tree instead of
/// comparing; review the diff before committing it.
@Suite("Golden screens")
struct GoldenScreenTests {
    /// Each pane and the name its files start with.
    static let panes: [(name: String, pane: any Pane)] = [
        ("cache", CachePane()), ("queue", QueuePane()), ("latency", LatencyPane()), ("memory", MemoryPane()),
        ("churn", ChurnPane()), ("tracker", TrackerPane()),
    ]

    /// The terminal sizes every screen is rendered at.
    static let sizes = [TerminalSize(width: 80, height: 24), TerminalSize(width: 200, height: 50)]

    @Test("each pane alone at 80×24 and 200×50", arguments: Self.panes.map(\.name), Self.sizes)
    func pane(name: String, size: TerminalSize) throws {
        let pane = try #require(Self.panes.first { $0.name == name }).pane
        let grid = TestModels.render(
            pane,
            TestModels.golden,
            context: TestModels.goldenContext,
            width: size.width,
            height: size.height
        )
        try Self.check(grid.text, against: "\(name)-\(size.width)x\(size.height)")
    }

    @Test("the whole dashboard at 80×24 and 200×50", arguments: Self.sizes)
    func dashboard(size: TerminalSize) throws {
        let grid = DashboardRenderer().render(TestModels.golden, size: size)
        try Self.check(grid.text, against: "dashboard-\(size.width)x\(size.height)")
    }

    @Test("the whole dashboard in ASCII at 80×24 and a zoomed-size pane in ASCII")
    func ascii() throws {
        let grid = DashboardRenderer().render(
            TestModels.golden,
            size: TerminalSize(width: 80, height: 24),
            glyphs: .ascii
        )
        try Self.check(grid.text, against: "dashboard-80x24-ascii")
        let pane = TestModels.render(
            LatencyPane(),
            TestModels.golden,
            context: TestModels.goldenContext,
            width: 100,
            height: 30,
            glyphs: .ascii
        )
        try Self.check(pane.text, against: "latency-100x30-ascii")
        // No box drawing, block element or braille: text marks (`–`) are the terminal's to map.
        let graphics = pane.text.unicodeScalars.filter {
            (0x2500...0x259F).contains($0.value) || (0x2800...0x28FF).contains($0.value)
        }
        #expect(graphics.isEmpty)
    }

    @Test("block glyphs draw the graphs as bars")
    func blocks() throws {
        let grid = TestModels.render(
            MemoryPane(),
            TestModels.golden,
            context: TestModels.goldenContext,
            width: 80,
            height: 24,
            glyphs: .unicodeBlocks
        )
        try Self.check(grid.text, against: "memory-80x24-blocks")
    }

    // MARK: - Comparing

    /// Compares `text` with the golden file `name`, or writes it there under `PERFTOP_UPDATE_GOLDEN=1`.
    static func check(_ text: String, against name: String, filePath: String = #filePath) throws {
        let expectedText = text + "\n"
        if ProcessInfo.processInfo.environment["PERFTOP_UPDATE_GOLDEN"] == "1" {
            let url = URL(fileURLWithPath: filePath)
                .deletingLastPathComponent()
                .appendingPathComponent("Fixtures/golden/\(name).txt")
            try expectedText.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Fixtures/golden"),
            "no golden file \(name).txt: run with PERFTOP_UPDATE_GOLDEN=1 to write it"
        )
        let golden = try String(contentsOf: url, encoding: .utf8)
        guard golden != expectedText else {
            return
        }
        let expected = golden.split(separator: "\n", omittingEmptySubsequences: false)
        let actual = expectedText.split(separator: "\n", omittingEmptySubsequences: false)
        let line =
            zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(expected.count, actual.count)
        let want = line < expected.count ? String(expected[line]) : "(end of file)"
        let got = line < actual.count ? String(actual[line]) : "(end of screen)"
        let message = "\(name).txt differs at line \(line + 1):\n  expected: \(want)\n  actual:   \(got)\n"
        Issue.record(Comment(rawValue: message + "(PERFTOP_UPDATE_GOLDEN=1 rewrites the golden files)"))
    }
}
