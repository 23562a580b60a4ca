import CNCursesW
import FoundationEssentials

// MARK: - Colors and themes

extension CursesTerminal {
    /// The first color-palette entry redefined for a theme in ``ColorMode/TrueColorMethod/redefinedPalette``
    /// mode; entries 0–15 (the user's ANSI colors) are left alone.
    static let firstRedefinedColor = 16

    /// Uses `theme`'s colors from the next frame on: every style's color pair is set again and the
    /// whole screen is repainted, so `t` can switch themes while the dashboard runs. A monochrome
    /// terminal (or `NO_COLOR`) keeps its attribute-only styles. Cost: one `init_extended_pair` per
    /// style (and one `init_extended_color` per distinct color when the palette is redefined).
    public func apply(_ theme: Theme) {
        self.presented = nil
        let palette = Palette(theme: theme, mode: self.colorMode)
        var attributes: [Style: (attributes: UInt32, pair: Int16)] = [:]
        var redefined: [RGB: Int32] = [:]
        for (index, style) in Style.allCases.enumerated() {
            let appearance = palette[style]
            let bits = Self.cursesAttributes(appearance.attributes)
            guard self.colorMode != .monochrome else {
                attributes[style] = (bits, 0)
                continue
            }
            let pair = Int16(index + 1)
            let foreground = self.colorNumber(appearance.foreground, redefined: &redefined)
            let background = self.colorNumber(appearance.background, redefined: &redefined)
            if init_extended_pair(Int32(pair), foreground, background) == perftop_err() {
                // No default colors (use_default_colors failed): white on black instead of -1.
                init_extended_pair(Int32(pair), foreground < 0 ? 7 : foreground, background < 0 ? 0 : background)
            }
            attributes[style] = (bits, pair)
        }
        self.attributes = attributes
        let normalPair = attributes[.normal]?.pair ?? 0
        wbkgd(perftop_stdscr(), chtype(perftop_color_pair(Int32(normalPair))))
        perftop_invalidate_screen()
    }

    /// Starts ncurses' colors when the terminal has them and decides the ``ColorMode`` (see
    /// ``ColorMode/detect(environment:hasColors:colors:canChangeColor:)``).
    static func startColors() -> ColorMode {
        let environment = ProcessInfo.processInfo.environment
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty {
            return .monochrome
        }
        guard has_colors() else {
            return .monochrome
        }
        start_color()
        use_default_colors()
        return ColorMode.detect(
            environment: environment,
            hasColors: true,
            colors: Int(perftop_colors()),
            canChangeColor: can_change_color()
        )
    }

    /// The ncurses color number for `color`: -1 for the terminal's default, a palette index, the
    /// packed RGB value on a direct-color terminal (at least 8, because 0–7 mean the ANSI colors
    /// there), or a redefined palette entry.
    private func colorNumber(_ color: TerminalColor, redefined: inout [RGB: Int32]) -> Int32 {
        switch color {
        case .terminalDefault:
            return -1
        case .index(let index):
            return Int32(index)
        case .rgb(let rgb):
            guard self.colorMode == .truecolor(.redefinedPalette) else {
                return max(8, Int32(rgb.red) << 16 | Int32(rgb.green) << 8 | Int32(rgb.blue))
            }
            if let number = redefined[rgb] {
                return number
            }
            let number = Int32(Self.firstRedefinedColor + redefined.count)
            let scale = { (component: UInt8) in Int32(component) * 1000 / 255 }
            init_extended_color(number, scale(rgb.red), scale(rgb.green), scale(rgb.blue))
            redefined[rgb] = number
            return number
        }
    }

    /// The ncurses attribute bits for `attributes`.
    private static func cursesAttributes(_ attributes: TextAttributes) -> UInt32 {
        var bits: UInt32 = 0
        if attributes.contains(.bold) {
            bits |= perftop_a_bold()
        }
        if attributes.contains(.dim) {
            bits |= perftop_a_dim()
        }
        if attributes.contains(.reverse) {
            bits |= perftop_a_reverse()
        }
        if attributes.contains(.underline) {
            bits |= perftop_a_underline()
        }
        return bits
    }
}
