import Foundation
import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("Theme parsing")
struct ThemeParsingTests {
    private func parse(_ text: String) throws -> Theme {
        try Theme(parsing: text, name: "test", fileName: "test.theme")
    }

    private func error(_ text: String) -> ThemeError? {
        do {
            _ = try Theme(parsing: text, name: "test", fileName: "test.theme")
            return nil
        } catch {
            return error
        }
    }

    @Test("the three color forms: #RRGGBB, #GG greys and decimal R G B")
    func colorForms() throws {
        let theme = try self.parse(
            """
            theme[main_fg]="#1A2b3C"
            theme[title]="#7f"
            theme[hi_fg]="10 200 255"
            """
        )
        #expect(theme.values["main_fg"] == RGB(0x1A, 0x2B, 0x3C))
        #expect(theme.values["title"] == RGB(grey: 0x7F))
        #expect(theme.values["hi_fg"] == RGB(10, 200, 255))
    }

    @Test("comments, blank lines, spaces, single quotes, no quotes and bare hex are accepted")
    func lenientSyntax() throws {
        let theme = try self.parse(
            """
            # a comment

               theme[main_fg] = "#ffffff"   # trailing comment
            theme[title]='#00'
            theme[hi_fg]=#102030
            theme[div_line]="5ffdff"
            """
        )
        #expect(theme.values["main_fg"] == RGB(255, 255, 255))
        #expect(theme.values["title"] == RGB(0, 0, 0))
        #expect(theme.values["hi_fg"] == RGB(0x10, 0x20, 0x30))
        #expect(theme.values["div_line"] == RGB(0x5F, 0xFD, 0xFF))
    }

    @Test("an empty value unsets the key: the terminal's default")
    func emptyValue() throws {
        let theme = try self.parse(
            """
            theme[main_bg]="#000000"
            theme[main_bg]=""
            theme[main_fg]="#aaaaaa"
            """
        )
        #expect(theme.background == nil)
        #expect(theme.values["main_bg"] == nil)
        #expect(theme.foreground(for: .normal) == RGB(grey: 0xAA))
    }

    @Test("unknown keys are ignored, even with values perftop could not read")
    func unknownKeys() throws {
        let theme = try self.parse(
            """
            theme[download_start]="#231a63"
            theme[some_future_key]="not a color"
            """
        )
        #expect(theme.values.isEmpty)
    }

    @Test(
        "a malformed line is an error naming file:line and the problem",
        arguments: [
            ("theme[main_fg]=\"#12345\"", "test.theme:2: theme[main_fg]: \"#12345\" is not a color"),
            ("theme[main_fg]=\"256 0 0\"", "test.theme:2: theme[main_fg]: \"256 0 0\" is not a color"),
            ("theme[main_fg]=\"#gg\"", "test.theme:2: theme[main_fg]: \"#gg\" is not a color"),
            ("color[main_fg]=\"#ffffff\"", "test.theme:2: expected theme[key]=\"color\""),
            ("theme[main_fg]\"#ffffff\"", "test.theme:2: expected theme[key]=\"color\""),
            ("theme[main_fg]=\"#ffffff", "test.theme:2: theme[main_fg]: the value has no closing \""),
            ("theme[main-fg]=\"#ffffff\"", "test.theme:2: theme[main-fg]: a key is letters, digits and _"),
            ("theme[title]=\"#ffffff\" junk", "test.theme:2: theme[title]: unexpected text after the value"),
        ]
    )
    func malformedLine(line: String, expected: String) throws {
        let error = try #require(self.error("# first line\n" + line + "\ntheme[title]=\"#ff\"\n"))
        #expect(error.line == 2)
        #expect(error.description.hasPrefix(expected))
        #expect(!error.description.contains("\n"))
    }

    @Test("loading a file names the theme after it and errors after its path")
    func loadFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("perftop-theme-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("mine.theme")
        try Data("theme[title]=\"#ff0000\"\n".utf8).write(to: good)
        let theme = try Theme.load(path: good.path)
        #expect(theme.name == "mine")
        #expect(theme.foreground(for: .title) == RGB(255, 0, 0))
        let bad = directory.appendingPathComponent("bad.theme")
        try Data("\n\ntheme[title]=\"red\"\n".utf8).write(to: bad)
        #expect(
            throws: ThemeError(
                "theme[title]: \"red\" is not a color (use \"#RRGGBB\", \"#GG\" or \"R G B\")",
                file: bad.path,
                line: 3
            )
        ) {
            try Theme.load(path: bad.path)
        }
        #expect(throws: ThemeError("cannot read the theme file", file: directory.path + "/none.theme")) {
            try Theme.load(path: directory.path + "/none.theme")
        }
        #expect(throws: ThemeError("larger than \(FileError.maximumFileBytes) bytes", file: "/dev/zero")) {
            try Theme.load(path: "/dev/zero")
        }
    }

    // Found by Fuzz/FuzzTheme: Swift reads "\r\n" as one Character, so splitting at "\n" kept a Windows file in
    // one line, and one that began with a comment was read as a single comment: no colors and no error.
    @Test("a file with Windows line endings reads as the same file with Unix ones")
    func windowsLineEndings() throws {
        let text = "# nord\ntheme[main_bg]=\"#2e3440\"\ntheme[title]='#cc'\n"
        let windows = try self.parse(text.replacing("\n", with: "\r\n"))
        #expect(windows == (try self.parse(text)))
        #expect(windows.values.count == 2)
        #expect(self.error("\r\ntheme[title]=\"#1\"\r\n")?.line == 2)
    }
}

@Suite("Theme fallbacks to btop's keys")
struct ThemeFallbackTests {
    private func btopDefault() throws -> Theme {
        let url = try #require(
            Bundle.module.url(forResource: "btop-default", withExtension: "theme", subdirectory: "Fixtures/themes")
        )
        return try Theme.load(path: url.path)
    }

    @Test("a btop theme file loads as is and gives every style a color")
    func btopThemeLoads() throws {
        let theme = try self.btopDefault()
        #expect(theme.background == RGB(grey: 0))
        for style in Style.allCases {
            #expect(theme.foreground(for: style) != nil, "no color for \(style)")
        }
        #expect(theme.background(for: .selected) == RGB(0x6A, 0x2F, 0x2F))
    }

    @Test("each style takes the btop key of the fallback table")
    func btopKeysUsed() throws {
        let theme = try self.btopDefault()
        #expect(theme.foreground(for: .normal) == RGB(grey: 0xCC))
        #expect(theme.foreground(for: .title) == RGB(grey: 0xEE))
        #expect(theme.foreground(for: .dim) == RGB(grey: 0x60))
        #expect(theme.foreground(for: .header) == RGB(0xB5, 0x40, 0x40))
        #expect(theme.foreground(for: .border) == RGB(grey: 0x30))
        #expect(theme.foreground(for: .selected) == RGB(grey: 0xEE))
        #expect(theme.foreground(for: .good) == RGB(0x48, 0x97, 0xD4))
        #expect(theme.foreground(for: .warning) == RGB(0x54, 0x74, 0xE8))
        #expect(theme.foreground(for: .critical) == RGB(0xFF, 0x40, 0xB6))
        #expect(theme.foreground(for: .graphLow) == RGB(0x50, 0xF0, 0x95))
        #expect(theme.foreground(for: .graphMedium) == RGB(0xF2, 0xE2, 0x66))
        #expect(theme.foreground(for: .graphHigh) == RGB(0xFA, 0x1E, 0x1E))
        #expect(theme.foreground(for: .cacheBorder) == RGB(0x3D, 0x7B, 0x46))
        #expect(theme.foreground(for: .queueBorder) == RGB(0x92, 0x35, 0x35))
        #expect(theme.foreground(for: .latencyBorder) == RGB(0x42, 0x3B, 0xA5))
        #expect(theme.foreground(for: .memoryBorder) == RGB(0x8A, 0x88, 0x2E))
    }

    @Test("perftop's keys win over btop's")
    func perftopKeysFirst() throws {
        let theme = try Theme(
            parsing: """
                theme[title]="#111111"
                theme[perftop_title]="#222222"
                theme[cpu_start]="#333333"
                theme[graph_start]="#444444"
                theme[div_line]="#555555"
                theme[perftop_border]="#666666"
                """,
            name: "mixed",
            fileName: "mixed.theme"
        )
        #expect(theme.foreground(for: .title) == RGB(grey: 0x22))
        #expect(theme.foreground(for: .graphLow) == RGB(grey: 0x44))
        #expect(theme.foreground(for: .border) == RGB(grey: 0x66))
        #expect(theme.foreground(for: .trackerBorder) == RGB(grey: 0x66))
    }

    @Test("gradients complete as btop's: one color without _end, the midpoint without _mid")
    func gradients() throws {
        let single = try Theme(parsing: "theme[cpu_start]=\"#102030\"", name: "one", fileName: "one.theme")
        #expect(single.foreground(for: .graphMedium) == RGB(0x10, 0x20, 0x30))
        #expect(single.foreground(for: .graphHigh) == RGB(0x10, 0x20, 0x30))
        let two = try Theme(
            parsing: "theme[temp_start]=\"#000000\"\ntheme[temp_end]=\"#ff0000\"",
            name: "two",
            fileName: "two.theme"
        )
        #expect(two.foreground(for: .good) == RGB(0, 0, 0))
        #expect(two.foreground(for: .warning) == RGB(127, 0, 0))
        #expect(two.foreground(for: .critical) == RGB(255, 0, 0))
    }

    @Test("an empty theme leaves every color to the terminal")
    func emptyTheme() {
        let theme = Theme(name: "empty")
        for style in Style.allCases {
            #expect(theme.foreground(for: style) == nil)
            #expect(theme.background(for: style) == nil)
        }
    }
}
