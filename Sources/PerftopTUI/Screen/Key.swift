/// A key press, or a terminal event delivered like one.
public enum Key: Sendable, Hashable {
    /// A character key, e.g. `q`.
    case character(Character)
    /// The terminal changed size.
    case resize
    /// A function or cursor key, by its curses key code (e.g. `KEY_UP`).
    case function(Int32)
}
