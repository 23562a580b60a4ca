/// A key press, or a terminal event delivered like one.
public enum Key: Sendable, Hashable {
    /// A character key, e.g. `q`; control characters other than Tab and Esc arrive as themselves.
    case character(Character)
    /// The Tab key.
    case tab
    /// Shift-Tab (`KEY_BTAB`).
    case backTab
    /// The Esc key.
    case escape
    /// Enter (Return, or the keypad's Enter).
    case enter
    /// Backspace.
    case backspace
    /// The up arrow.
    case up
    /// The down arrow.
    case down
    /// The left arrow.
    case left
    /// The right arrow.
    case right
    /// Page Up.
    case pageUp
    /// Page Down.
    case pageDown
    /// Home.
    case home
    /// End.
    case end
    /// A mouse event.
    case mouse(MouseEvent)
    /// The terminal changed size, or must be redrawn in full (e.g. after `fg`).
    case resize
    /// Another function key, by its curses key code.
    case function(Int32)
}

/// What the mouse did, and where (terminal row and column, from 0).
public struct MouseEvent: Sendable, Hashable {
    /// The kinds of mouse events the dashboard asks for.
    public enum Action: Sendable, Hashable {
        /// A click of the left button.
        case click
        /// The wheel turned up (away from the user).
        case wheelUp
        /// The wheel turned down (towards the user).
        case wheelDown
    }

    /// What happened.
    public var action: Action
    /// The terminal row of the pointer.
    public var row: Int
    /// The terminal column of the pointer.
    public var column: Int

    /// Creates a mouse event.
    public init(action: Action, row: Int, column: Int) {
        self.action = action
        self.row = row
        self.column = column
    }
}
