/// A terminal the dashboard draws on: a size, a way to show a whole frame at once, and keys.
///
/// ``CursesTerminal`` is the real one; tests use a fake. A screen is used from one thread only
/// and is not `Sendable`.
public protocol Screen: AnyObject {
    /// The terminal size now, in columns and rows.
    var size: TerminalSize { get }

    /// The glyphs the terminal can show: Unicode with a UTF-8 locale, ASCII otherwise.
    var glyphs: Glyphs { get }

    /// Shows `grid` as the whole screen, in one update.
    func present(_ grid: CellGrid)

    /// Returns a key typed already or within `timeout`, or nil when none came in that time or
    /// `wakeup` was signalled first.
    func readKey(waitingUpTo timeout: Duration, wakeup: DashboardWakeup?) -> Key?

    /// Gives the terminal back in the state it had before; safe to call more than once.
    func restore()

    /// Uses `theme`'s colors from the next frame on; a monochrome terminal ignores it.
    func apply(_ theme: Theme)

    /// Rings the terminal's bell (or flashes the screen where it has none).
    func ringBell()
}
