import PerftopCore
import Testing

@testable import PerftopTUI

@Suite("Color modes")
struct ThemeColorModeTests {
    private func detect(
        _ environment: [String: String] = [:],
        hasColors: Bool = true,
        colors: Int,
        canChangeColor: Bool = false
    ) -> ColorMode {
        ColorMode.detect(environment: environment, hasColors: hasColors, colors: colors, canChangeColor: canChangeColor)
    }

    @Test("terminfo colors decide: direct truecolor, 256, 8, monochrome")
    func byColorCount() {
        #expect(self.detect(colors: 1 << 24) == .truecolor(.direct))
        #expect(self.detect(colors: 256) == .xterm256)
        #expect(self.detect(colors: 88) == .ansi8)
        #expect(self.detect(colors: 16) == .ansi8)
        #expect(self.detect(colors: 8) == .ansi8)
        #expect(self.detect(colors: 2) == .monochrome)
        #expect(self.detect(hasColors: false, colors: 256) == .monochrome)
    }

    @Test("COLORTERM=truecolor or 24bit gives truecolor only when ncurses can redefine 256 colors")
    func colorTerm() {
        for value in ["truecolor", "24bit", "TrueColor"] {
            #expect(
                self.detect(["COLORTERM": value], colors: 256, canChangeColor: true) == .truecolor(.redefinedPalette)
            )
            #expect(self.detect(["COLORTERM": value], colors: 256, canChangeColor: false) == .xterm256)
            #expect(self.detect(["COLORTERM": value], colors: 8, canChangeColor: true) == .ansi8)
        }
        #expect(self.detect(["COLORTERM": "yes"], colors: 256, canChangeColor: true) == .xterm256)
    }

    @Test("NO_COLOR set and not empty means monochrome; empty is ignored")
    func noColor() {
        #expect(self.detect(["NO_COLOR": "1"], colors: 1 << 24) == .monochrome)
        #expect(
            self.detect(["NO_COLOR": "1", "COLORTERM": "truecolor"], colors: 256, canChangeColor: true) == .monochrome
        )
        #expect(self.detect(["NO_COLOR": ""], colors: 256) == .xterm256)
    }

    @Test("RGB to the nearest xterm-256 cube color or grey")
    func xterm256() {
        #expect(ColorMapping.xterm256Index(RGB(0, 0, 0)) == 16)
        #expect(ColorMapping.xterm256Index(RGB(255, 255, 255)) == 231)
        #expect(ColorMapping.xterm256Index(RGB(255, 0, 0)) == 196)
        #expect(ColorMapping.xterm256Index(RGB(0, 255, 0)) == 46)
        #expect(ColorMapping.xterm256Index(RGB(0, 0, 255)) == 21)
        #expect(ColorMapping.xterm256Index(RGB(95, 135, 175)) == 67)
        #expect(ColorMapping.xterm256Index(RGB(100, 130, 180)) == 67)
        #expect(ColorMapping.xterm256Index(RGB(grey: 0x80)) == 244)
        #expect(ColorMapping.xterm256Index(RGB(grey: 0x08)) == 232)
        #expect(ColorMapping.xterm256Index(RGB(grey: 0xEE)) == 255)
        #expect(ColorMapping.xterm256Index(RGB(0x2E, 0x34, 0x40)) == 237)
        for index in 16...255 {
            #expect(
                ColorMapping.xterm256Index(ColorMapping.xterm256Color(index)) == index || index == 16 || index == 231
            )
        }
    }

    @Test("RGB to the ANSI color of the nearest hue; greys to black or white")
    func ansi8() {
        #expect(ColorMapping.ansi8Index(RGB(0, 0, 0)) == 0)
        #expect(ColorMapping.ansi8Index(RGB(255, 0, 0)) == 1)
        #expect(ColorMapping.ansi8Index(RGB(0x50, 0xFA, 0x7B)) == 2)
        #expect(ColorMapping.ansi8Index(RGB(0xFA, 0xBD, 0x2F)) == 3)
        #expect(ColorMapping.ansi8Index(RGB(0x3B, 0x5B, 0xDB)) == 4)
        #expect(ColorMapping.ansi8Index(RGB(0xBD, 0x93, 0xF9)) == 4)
        #expect(ColorMapping.ansi8Index(RGB(0x2E, 0x34, 0x40)) == 0)
        #expect(ColorMapping.ansi8Index(RGB(0xFD, 0xF6, 0xE3)) == 7)
        #expect(ColorMapping.ansi8Index(RGB(0x92, 0x83, 0x74)) == 7)
        #expect(ColorMapping.ansi8Index(RGB(0xCD, 0, 0xCD)) == 5)
        #expect(ColorMapping.ansi8Index(RGB(0xFF, 0x79, 0xC6)) == 5)
        #expect(ColorMapping.ansi8Index(RGB(0x88, 0xC0, 0xD0)) == 6)
        #expect(ColorMapping.ansi8Index(RGB(grey: 0xCC)) == 7)
        #expect(ColorMapping.ansi8Index(RGB(grey: 0x30)) == 0)
    }
}

@Suite("Palettes")
struct ThemePaletteTests {
    @Test("monochrome uses attributes only, whatever the theme")
    func monochrome() throws {
        let palette = Palette(theme: try #require(Theme.builtIn(named: "dracula")), mode: .monochrome)
        for style in Style.allCases {
            #expect(palette[style].foreground == .terminalDefault)
            #expect(palette[style].background == .terminalDefault)
            #expect(palette[style].attributes == style.monochromeAttributes)
        }
        #expect(palette[.selected].attributes == .reverse)
        #expect(palette[.critical].attributes == [.bold, .underline])
    }

    @Test("truecolor passes theme colors through; the default theme keeps the terminal's text and background")
    func truecolor() throws {
        let nord = try #require(Theme.builtIn(named: "nord"))
        let palette = Palette(theme: nord, mode: .truecolor(.direct))
        #expect(palette[.title].foreground == .rgb(RGB(0x88, 0xC0, 0xD0)))
        #expect(palette[.title].background == .rgb(RGB(0x2E, 0x34, 0x40)))
        #expect(palette[.selected].background == .rgb(RGB(0x88, 0xC0, 0xD0)))
        #expect(palette[.title].attributes == .bold)
        let standard = Palette(theme: Theme.builtIn[0], mode: .truecolor(.direct))
        #expect(
            standard[.normal]
                == StyleAppearance(foreground: .terminalDefault, background: .terminalDefault, attributes: [])
        )
    }

    @Test("256 and 8 colors use the nearest palette entries")
    func reducedPalettes() throws {
        let standard = Theme.builtIn[0]
        let xterm = Palette(theme: standard, mode: .xterm256)
        #expect(xterm[.critical].foreground == .index(ColorMapping.xterm256Index(RGB(0xCD, 0, 0))))
        let ansi = Palette(theme: standard, mode: .ansi8)
        #expect(ansi[.good].foreground == .index(2))
        #expect(ansi[.warning].foreground == .index(3))
        #expect(ansi[.critical].foreground == .index(1))
        #expect(ansi[.title].foreground == .index(6))
        #expect(ansi[.border].foreground == .index(4))
        #expect(ansi[.header].foreground == .index(0))
        #expect(ansi[.header].background == .index(6))
        #expect(ansi[.dim].attributes == .dim)
        #expect(xterm[.dim].attributes == [])
    }

    @Test("with 8 colors, text that would vanish into its background is made visible")
    func ansi8Contrast() throws {
        let dark = try Theme(parsing: "theme[perftop_dim]=\"#30\"", name: "dark", fileName: "dark.theme")
        #expect(Palette(theme: dark, mode: .ansi8)[.dim].foreground == .index(7))
        let light = try Theme(
            parsing: "theme[main_bg]=\"#ff\"\ntheme[perftop_dim]=\"#ee\"",
            name: "light",
            fileName: "light.theme"
        )
        #expect(Palette(theme: light, mode: .ansi8)[.dim].foreground == .index(0))
    }

    @Test(
        "every style has an appearance in every mode",
        arguments: [ColorMode.monochrome, .ansi8, .xterm256, .truecolor(.direct)]
    )
    func complete(mode: ColorMode) {
        for theme in Theme.builtIn {
            #expect(Palette(theme: theme, mode: mode).appearances.count == Style.allCases.count)
        }
    }

    @Test("each pane has its own border style")
    func paneBorders() {
        let styles = DashboardSettings.PaneKind.allCases.map(Style.border(for:))
        #expect(Set(styles).count == DashboardSettings.PaneKind.allCases.count)
        #expect(Style.border(for: .caches) == .cacheBorder)
    }
}
