/// One terminal cell: a character and the role it is drawn in.
///
/// A wide character (e.g. CJK or most emoji) takes two cells: the first holds the character, the
/// second is a *continuation* cell that a terminal skips when it writes the row.
public struct Cell: Sendable, Hashable {
    /// The character shown; a space for blank and continuation cells.
    public var character: Character
    /// The role the character is drawn in.
    public var style: Style
    /// True for the right half of a wide character.
    public var isContinuation: Bool

    /// Creates a cell.
    public init(character: Character, style: Style = .normal, isContinuation: Bool = false) {
        self.character = character
        self.style = style
        self.isContinuation = isContinuation
    }

    /// An empty cell in the normal style.
    public static let blank = Cell(character: " ")
}
