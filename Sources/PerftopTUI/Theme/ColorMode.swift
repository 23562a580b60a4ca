/// How many colors the terminal shows, and so how a ``Theme``'s colors reach it.
public enum ColorMode: Sendable, Hashable, CustomStringConvertible {
    /// No colors: styles differ by attributes only (bold, dim, reverse, underline).
    case monochrome
    /// The eight ANSI colors; each theme color becomes the nearest of them.
    case ansi8
    /// The xterm 256-color palette; each theme color becomes the nearest cube color or grey.
    case xterm256
    /// Every 24-bit color, exactly.
    case truecolor(TrueColorMethod)

    /// How a truecolor terminal is given 24-bit colors.
    public enum TrueColorMethod: Sendable, Hashable {
        /// Its terminfo entry takes RGB values as color numbers (`colors` ≥ 2^24, e.g. `xterm-direct`).
        case direct
        /// Palette entries from 16 up are redefined to the theme's colors (ncurses' `init_color`).
        case redefinedPalette
    }

    /// `monochrome`, `8 colors`, `256 colors` or `truecolor`.
    public var description: String {
        switch self {
        case .monochrome: "monochrome"
        case .ansi8: "8 colors"
        case .xterm256: "256 colors"
        case .truecolor: "truecolor"
        }
    }

    /// Decides the color mode from the environment and what ncurses reports; a pure function.
    ///
    /// In order: `NO_COLOR` set and not empty → monochrome; no colors, or fewer than 8 →
    /// monochrome; terminfo `colors` ≥ 2^24 → truecolor, direct; `COLORTERM` `truecolor` or
    /// `24bit` with at least 256 colors that ncurses can redefine → truecolor, redefined palette;
    /// ≥ 256 colors → 256; otherwise 8.
    ///
    /// - Parameters:
    ///   - environment: the process environment (`NO_COLOR`, `COLORTERM` are read).
    ///   - hasColors: ncurses' `has_colors()`.
    ///   - colors: ncurses' `COLORS` after `start_color()` (terminfo `colors`).
    ///   - canChangeColor: ncurses' `can_change_color()`.
    public static func detect(
        environment: [String: String],
        hasColors: Bool,
        colors: Int,
        canChangeColor: Bool
    ) -> ColorMode {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty {
            return .monochrome
        }
        guard hasColors, colors >= 8 else {
            return .monochrome
        }
        if colors >= 1 << 24 {
            return .truecolor(.direct)
        }
        let colorTerm = environment["COLORTERM"]?.lowercased() ?? ""
        if colorTerm == "truecolor" || colorTerm == "24bit", canChangeColor, colors >= 256 {
            return .truecolor(.redefinedPalette)
        }
        return colors >= 256 ? .xterm256 : .ansi8
    }
}

// MARK: - Nearest colors

/// Maps 24-bit colors to the nearest color of a smaller palette.
public enum ColorMapping {
    /// The six levels of each component in the xterm 6×6×6 color cube (indices 16–231).
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The xterm-256 index (16–255) nearest to `color`: the nearest cube color or the nearest of
    /// the 24 greys (232–255), whichever is closer. Indices 0–15 are skipped because users
    /// redefine them. Cost: constant.
    public static func xterm256Index(_ color: RGB) -> Int {
        let levels = [color.red, color.green, color.blue].map { self.nearestCubeLevel(Int($0)) }
        let cubeIndex = 16 + 36 * levels[0] + 6 * levels[1] + levels[2]
        let average = (Int(color.red) + Int(color.green) + Int(color.blue)) / 3
        let greyStep = min(23, max(0, (average - 3) / 10))
        let greyIndex = 232 + greyStep
        let cubeDistance = color.squaredDistance(to: self.xterm256Color(cubeIndex))
        let greyDistance = color.squaredDistance(to: self.xterm256Color(greyIndex))
        return greyDistance < cubeDistance ? greyIndex : cubeIndex
    }

    /// The color xterm shows for a palette index from 16 to 255 (the cube and the greys).
    public static func xterm256Color(_ index: Int) -> RGB {
        if index >= 232 {
            return RGB(grey: UInt8(8 + 10 * (index - 232)))
        }
        let cube = index - 16
        return RGB(
            UInt8(self.cubeLevels[cube / 36]),
            UInt8(self.cubeLevels[cube / 6 % 6]),
            UInt8(self.cubeLevels[cube % 6])
        )
    }

    /// The ANSI color index (0–7) closest in hue to `color`, because distance in RGB space sends
    /// most bright theme colors to white: very dark colors are black; greys (a spread of less than
    /// a quarter of the largest component) and very light colors are black or white by lightness;
    /// any other color turns on each of red, green and blue that lies above the middle of its
    /// components (e.g. `#50fa7b` is green, `#ff79c6` magenta, `#88c0d0` cyan). Cost: constant.
    public static func ansi8Index(_ color: RGB) -> Int {
        let components = [Int(color.red), Int(color.green), Int(color.blue)]
        let largest = components.max()!
        let smallest = components.min()!
        if largest < 80 {
            return 0
        }
        if largest - smallest < largest / 4 || smallest > 200 {
            return (largest + smallest) / 2 < 128 ? 0 : 7
        }
        let middle = (largest + smallest) / 2
        return components.enumerated().reduce(0) { index, component in
            component.element > middle ? index | 1 << component.offset : index
        }
    }

    /// The index (0–5) of the cube level nearest to a component value.
    private static func nearestCubeLevel(_ value: Int) -> Int {
        self.cubeLevels.indices.min { abs(self.cubeLevels[$0] - value) < abs(self.cubeLevels[$1] - value) }!
    }
}
