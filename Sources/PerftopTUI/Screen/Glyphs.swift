/// The characters widgets draw graphics with: Unicode block and box-drawing characters, or an
/// ASCII fallback for terminals whose locale is not UTF-8.
public struct Glyphs: Sendable, Hashable {
    /// True when the glyphs are Unicode; false for the ASCII fallback.
    public var isUnicode: Bool
    /// Sparkline levels, lowest first.
    public var sparkLevels: [Character]
    /// A full meter cell.
    public var meterFull: Character
    /// Partially filled meter cells, from 1/8 to 7/8 full; empty when the glyphs have none.
    public var meterPartials: [Character]
    /// An empty meter cell.
    public var meterEmpty: Character
    /// A horizontal line.
    public var horizontal: Character
    /// A vertical line.
    public var vertical: Character
    /// The top-left box corner.
    public var topLeft: Character
    /// The top-right box corner.
    public var topRight: Character
    /// The bottom-left box corner.
    public var bottomLeft: Character
    /// The bottom-right box corner.
    public var bottomRight: Character
    /// The mark at the end of cut text.
    public var ellipsis: Character
    /// The separator between header fields.
    public var separator: Character
    /// True when line graphs use braille dots (2×4 per cell); false for block or ASCII bars.
    public var brailleGraphs: Bool
    /// The mark in front of "N more" rows below a table.
    public var arrowDown: Character
    /// The mark in front of rows scrolled off above a table.
    public var arrowUp: Character

    /// Block elements and box drawing; needs a UTF-8 locale.
    public static let unicode = Glyphs(
        isUnicode: true,
        sparkLevels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        meterFull: "█",
        meterPartials: ["▏", "▎", "▍", "▌", "▋", "▊", "▉"],
        meterEmpty: "░",
        horizontal: "─",
        vertical: "│",
        topLeft: "┌",
        topRight: "┐",
        bottomLeft: "└",
        bottomRight: "┘",
        ellipsis: "…",
        separator: "│",
        brailleGraphs: true,
        arrowDown: "↓",
        arrowUp: "↑"
    )

    /// Block elements and box drawing, with line graphs drawn as bars of block elements instead of
    /// braille: for fonts without braille patterns.
    public static let unicodeBlocks: Glyphs = {
        var glyphs = Glyphs.unicode
        glyphs.brailleGraphs = false
        return glyphs
    }()

    /// Plain ASCII for terminals without a UTF-8 locale.
    public static let ascii = Glyphs(
        isUnicode: false,
        sparkLevels: ["_", ".", "-", "=", "#"],
        meterFull: "#",
        meterPartials: [],
        meterEmpty: ".",
        horizontal: "-",
        vertical: "|",
        topLeft: "+",
        topRight: "+",
        bottomLeft: "+",
        bottomRight: "+",
        ellipsis: "~",
        separator: "|",
        brailleGraphs: false,
        arrowDown: "v",
        arrowUp: "^"
    )

    /// Creates a glyph set.
    public init(
        isUnicode: Bool,
        sparkLevels: [Character],
        meterFull: Character,
        meterPartials: [Character],
        meterEmpty: Character,
        horizontal: Character,
        vertical: Character,
        topLeft: Character,
        topRight: Character,
        bottomLeft: Character,
        bottomRight: Character,
        ellipsis: Character,
        separator: Character,
        brailleGraphs: Bool = false,
        arrowDown: Character = "v",
        arrowUp: Character = "^"
    ) {
        self.isUnicode = isUnicode
        self.sparkLevels = sparkLevels
        self.meterFull = meterFull
        self.meterPartials = meterPartials
        self.meterEmpty = meterEmpty
        self.horizontal = horizontal
        self.vertical = vertical
        self.topLeft = topLeft
        self.topRight = topRight
        self.bottomLeft = bottomLeft
        self.bottomRight = bottomRight
        self.ellipsis = ellipsis
        self.separator = separator
        self.brailleGraphs = brailleGraphs
        self.arrowDown = arrowDown
        self.arrowUp = arrowUp
    }

    /// The ASCII character a terminal without UTF-8 shows for `character`.
    ///
    /// Units and marks the panes use have readable stand-ins (`µ` → `u`, `–` → `-`, `×` → `x`);
    /// braille graph cells become `.`; anything else that is not ASCII becomes `?`.
    public static func asciiFallback(for character: Character) -> Character {
        if character.isASCII {
            return character
        }
        switch character {
        case "µ", "μ": return "u"
        case "–", "—", "─", "━": return "-"
        case "…": return "~"
        case "×": return "x"
        case "·", "•": return "."
        case "│", "┃": return "|"
        case "┌", "┐", "└", "┘": return "+"
        case "▁", "▂": return "_"
        case "▃", "▄": return "-"
        case "▅", "▆": return "="
        case "▇", "█": return "#"
        case "░": return "."
        case "↓": return "v"
        case "↑": return "^"
        default:
            let isBraille = character.unicodeScalars.first.map { (0x2800...0x28FF).contains($0.value) } ?? false
            return isBraille ? "." : "?"
        }
    }
}
