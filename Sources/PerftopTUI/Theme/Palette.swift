/// A color as a terminal is asked to show it.
public enum TerminalColor: Sendable, Hashable {
    /// The terminal's own default foreground or background.
    case terminalDefault
    /// A palette index: 0–7 for ANSI colors, 16–255 for the xterm cube and greys.
    case index(Int)
    /// A 24-bit color, on a truecolor terminal.
    case rgb(RGB)
}

/// How one ``Style`` looks: its colors and attributes.
public struct StyleAppearance: Sendable, Hashable {
    /// The text color.
    public var foreground: TerminalColor
    /// The background color.
    public var background: TerminalColor
    /// Bold, dim, reverse or underline.
    public var attributes: TextAttributes

    /// Creates an appearance.
    public init(foreground: TerminalColor, background: TerminalColor, attributes: TextAttributes) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// A theme's look on a terminal with a given ``ColorMode``: an appearance for every ``Style``.
///
/// Pure and cheap (a few dozen lookups), so it is rebuilt whenever the theme changes.
public struct Palette: Sendable, Equatable {
    /// The appearance of each style; every ``Style`` has one.
    public var appearances: [Style: StyleAppearance]

    /// Maps `theme`'s colors to what a terminal with `mode` can show.
    ///
    /// Monochrome uses ``Style/monochromeAttributes`` and the terminal's colors. Otherwise each
    /// style's text color is its theme color (or the terminal's default when the theme has none)
    /// and its background is its own (``Style/selected``, ``Style/header``), else `main_bg`, else
    /// the terminal's; with 256 or 8 colors, each color is the nearest the palette has. With 8
    /// colors, a text color that would equal its background (e.g. dark grey on the terminal's
    /// background, taken to be black) becomes white on black and black on anything else, so
    /// no text disappears, and ``Style/dim`` is also drawn faint, since greys are lost.
    public init(theme: Theme, mode: ColorMode) {
        var appearances: [Style: StyleAppearance] = [:]
        for style in Style.allCases {
            guard mode != .monochrome else {
                appearances[style] = StyleAppearance(
                    foreground: .terminalDefault,
                    background: .terminalDefault,
                    attributes: style.monochromeAttributes
                )
                continue
            }
            let foreground = theme.foreground(for: style)
            let background = theme.background(for: style) ?? theme.background
            var appearance = StyleAppearance(
                foreground: Self.map(foreground, mode: mode),
                background: Self.map(background, mode: mode),
                attributes: style.colorAttributes
            )
            if mode == .ansi8, style == .dim {
                appearance.attributes.insert(.dim)
            }
            if mode == .ansi8, foreground != nil, case .index(let index) = appearance.foreground {
                let backgroundIndex: Int
                if case .index(let value) = appearance.background {
                    backgroundIndex = value
                } else {
                    backgroundIndex = 0
                }
                if index == backgroundIndex {
                    appearance.foreground = .index(backgroundIndex == 0 ? 7 : 0)
                }
            }
            appearances[style] = appearance
        }
        self.appearances = appearances
    }

    /// The appearance of `style`.
    public subscript(style: Style) -> StyleAppearance {
        self.appearances[style]!
    }

    /// `color` as the terminal's default, a palette index or itself.
    static func map(_ color: RGB?, mode: ColorMode) -> TerminalColor {
        guard let color else {
            return .terminalDefault
        }
        switch mode {
        case .monochrome: return .terminalDefault
        case .ansi8: return .index(ColorMapping.ansi8Index(color))
        case .xterm256: return .index(ColorMapping.xterm256Index(color))
        case .truecolor: return .rgb(color)
        }
    }
}
