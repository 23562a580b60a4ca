import CNCursesW
import PerfKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the terminal could not be set up.
public enum TerminalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Standard input or output is not a terminal (e.g. piped).
    case notATerminal
    /// ncurses could not start; `term` is the `TERM` in effect.
    case cannotInitialize(term: String)

    /// A one-line explanation for the user.
    public var description: String {
        switch self {
        case .notATerminal:
            "perftop needs a terminal: standard input and output must be a tty (use --export for pipes)"
        case .cannotInitialize(let term):
            "cannot start the terminal: ncurses does not know TERM=\(term)"
        }
    }
}

/// The ncurses terminal — the only type in perftop that calls ncurses.
///
/// Creating one takes over the terminal (alternate screen, no echo, no cursor, keys read one at
/// a time without blocking in ncurses, mouse presses and wheel) and installs crash-signal handlers
/// that restore it; ``restore()`` (or deinit) gives it back. Ctrl-Z (SIGTSTP) gives the terminal
/// back and stops the process at the next ``readKey(waitingUpTo:wakeup:)``; after `fg` (SIGCONT) the next frame repaints
/// every cell. Use it from one thread only: it is not `Sendable`.
public final class CursesTerminal: Screen {
    /// How long a lone Esc waits for the rest of an escape sequence before it counts as the Esc
    /// key, in milliseconds (ncurses' default is a whole second).
    public static let escapeDelayMilliseconds: Int32 = 25

    /// The ncurses screen, until ``restore()``.
    private var screen: OpaquePointer?
    /// Color pair and attributes per style, set by ``apply(_:)`` (CursesTerminal+Colors.swift).
    var attributes: [Style: (attributes: UInt32, pair: Int16)] = [:]
    /// How colors reach this terminal, decided once at start (CursesTerminal+Colors.swift).
    var colorMode = ColorMode.monochrome
    /// The grid ``present(_:)`` wrote last and the terminal's size then, so that the next frame
    /// skips the rows that did not change; nil before the first frame and after a theme change, a
    /// resize or `fg`.
    var presented: (grid: CellGrid, size: TerminalSize)?

    /// The glyphs the terminal can show: Unicode when the locale is UTF-8, ASCII otherwise.
    public let glyphs: Glyphs

    /// Takes over the terminal.
    ///
    /// Sets the locale from the environment, starts ncurses on standard input and output, and
    /// uses colors when the terminal has them and `NO_COLOR` is unset or empty (the ``ColorMode``,
    /// with the default theme until ``apply(_:)``).
    /// - Throws: ``TerminalError`` when standard input or output is not a terminal or ncurses
    ///   cannot start.
    public init() throws {
        guard isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError.notATerminal
        }
        perftop_setlocale_from_environment()
        self.glyphs = perftop_locale_is_utf8() != 0 ? .unicode : .ascii
        perftop_install_crash_handlers()
        // Before newterm: ncurses leaves SIGTSTP alone when the program handles it already. Otherwise
        // it installs its own handler and sets SIGTSTP to SIG_IGN during every screen update, so a
        // Ctrl-Z pressed while a frame is written is lost.
        perftop_install_suspend_handlers()
        guard let screen = perftop_newterm_stdio() else {
            perftop_remove_suspend_handlers()
            throw TerminalError.cannotInitialize(term: getenv("TERM").map { String(cString: $0) } ?? "")
        }
        self.screen = screen
        set_term(screen)
        cbreak()
        noecho()
        keypad(perftop_stdscr(), true)
        curs_set(0)
        // Never block in ncurses: readKey(waitingUpTo:wakeup:) sleeps in poll instead.
        timeout(0)
        // No typeahead check: ncurses polls stdin every few lines of a refresh, a dozen calls a frame,
        // to stop an update that typed keys will supersede. A frame here is one write, and keys are
        // read as soon as it is out.
        typeahead(-1)
        set_escdelay(Self.escapeDelayMilliseconds)
        perftop_enable_mouse()
        perftop_install_resize_wakeup()
        self.colorMode = Self.startColors()
        self.apply(Theme.builtIn[0])
        perftop_buffer_output()
    }

    deinit {
        self.restore()
    }

    // MARK: - Screen

    /// The terminal size now; follows resizes once ``readKey(waitingUpTo:wakeup:)`` has returned ``Key/resize``.
    public var size: TerminalSize {
        TerminalSize(width: Int(perftop_cols()), height: Int(perftop_lines()))
    }

    /// Writes the cells of `grid` and updates the terminal once.
    ///
    /// Only the rows that differ from the last frame's are written again (all of them after a
    /// resize or a theme change); ncurses keeps the others. Runs of one-column cells in one style
    /// go out in one call; each wide character is placed at its own column, so a terminal that
    /// disagrees about its width cannot shift the rest of the row. Without a UTF-8 locale,
    /// non-ASCII characters are replaced by ``Glyphs/asciiFallback(for:)`` and wide ones take a
    /// space for their second column. Cells outside the terminal are skipped. Cost: O(cells) to
    /// compare, plus ncurses' work for the rows that changed.
    public func present(_ grid: CellGrid) {
        guard self.screen != nil else {
            return
        }
        let size = self.size
        let previous = self.presented.flatMap { $0.size == size ? $0.grid : nil }
        if previous == nil {
            erase()
        }
        self.presented = (grid, size)
        let columns = min(grid.columns, size.width)
        // One buffer of wide characters for every run: ncurses takes them as they are, where a UTF-8
        // string is decoded again a byte at a time (mbrtowc).
        var run: [wchar_t] = []
        run.reserveCapacity(columns + 1)
        for row in 0..<min(grid.rows, size.height) {
            if let previous {
                if previous.row(row, equals: grid) {
                    continue
                }
                perftop_clear_row(Int32(row))
            }
            var runStart = 0
            var runStyle = Style.normal
            for column in 0..<columns {
                let cell = grid.packedCell(row: row, column: column)
                if cell.isContinuation {
                    continue
                }
                let isWide = column + 1 < grid.columns && grid.packedCell(row: row, column: column + 1).isContinuation
                if !isWide && cell.style == runStyle && !run.isEmpty {
                    self.append(cell, of: grid, to: &run)
                    continue
                }
                self.write(&run, row: row, column: runStart, style: runStyle)
                if isWide {
                    self.append(cell, of: grid, to: &run)
                    if !self.glyphs.isUnicode {
                        run.append(wchar_t(UInt8(ascii: " ")))
                    }
                    self.write(&run, row: row, column: column, style: cell.style)
                    runStart = column + 2
                } else {
                    self.append(cell, of: grid, to: &run)
                    runStart = column
                    runStyle = cell.style
                }
            }
            self.write(&run, row: row, column: runStart, style: runStyle)
        }
        refresh()
    }

    /// Returns a key typed already or within `timeout`, or nil when none came in that time or
    /// `wakeup` was signalled first.
    ///
    /// A key ncurses holds already is returned at once; otherwise the thread sleeps in `poll` on
    /// the terminal's input and the wakeup, which the resize, suspend and continue handlers signal
    /// too, whichever thread receives them. Suspends first when Ctrl-Z was pressed (the terminal is restored, the process stops,
    /// and on `fg` this returns ``Key/resize``); after any SIGCONT it returns ``Key/resize`` with
    /// the whole screen marked for repainting.
    public func readKey(waitingUpTo timeout: Duration, wakeup: DashboardWakeup?) -> Key? {
        guard self.screen != nil else {
            return nil
        }
        perftop_wake_descriptor().pointee = wakeup?.writeEnd ?? -1
        if let key = self.takeKey() {
            return key
        }
        var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)]
        if let wakeup {
            descriptors.append(pollfd(fd: wakeup.descriptor, events: Int16(POLLIN), revents: 0))
        }
        _ = poll(&descriptors, nfds_t(descriptors.count), Int32(clamping: max(0, timeout.nanoseconds / 1_000_000)))
        return self.takeKey()
    }

    /// The key ncurses has, without waiting for one; handles a pending suspend or continue first.
    private func takeKey() -> Key? {
        let key = self.nextKey()
        if key == .resize {
            // Resizing may have clipped ncurses' copy of the screen: the next frame writes every row.
            self.presented = nil
        }
        return key
    }

    private func nextKey() -> Key? {
        var resumed = false
        if perftop_take_flag(perftop_suspend_requested()) != 0 {
            endwin()
            perftop_stop_process()
            resumed = true
        }
        if perftop_take_flag(perftop_continued()) != 0 || resumed {
            perftop_sync_size()
            perftop_invalidate_screen()
            return .resize
        }
        var code: wint_t = 0
        let result = perftop_get_wch(&code)
        if result == perftop_err() {
            return nil
        }
        if result == perftop_key_code_yes() {
            return self.decodeFunctionKey(Int32(truncatingIfNeeded: code))
        }
        switch code {
        case 9:
            return .tab
        case 10, 13:
            return .enter
        case 8, 127:
            return .backspace
        case 27:
            return .escape
        default:
            return Unicode.Scalar(UInt32(code)).map { .character(Character($0)) }
        }
    }

    /// Rings the bell through ncurses' `beep`, which flashes the screen on a terminal without one.
    public func ringBell() {
        guard self.screen != nil else {
            return
        }
        beep()
    }

    /// Ends ncurses mode and frees the screen: the terminal is back to normal. Idempotent.
    public func restore() {
        guard let screen = self.screen else {
            return
        }
        self.screen = nil
        perftop_remove_resize_wakeup()
        endwin()
        delscreen(screen)
        perftop_remove_suspend_handlers()
    }

    // MARK: - Internals

    /// The key for a curses key code; mouse events are read from curses here.
    private func decodeFunctionKey(_ code: Int32) -> Key {
        switch code {
        case perftop_key_resize(): return .resize
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BTAB: return .backTab
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_MOUSE:
            var row: Int32 = 0
            var column: Int32 = 0
            let actions: [Int32: MouseEvent.Action] = [1: .click, 2: .wheelUp, 3: .wheelDown]
            guard let action = actions[perftop_read_mouse(&row, &column)] else {
                return .function(code)
            }
            return .mouse(MouseEvent(action: action, row: Int(row), column: Int(column)))
        default: return .function(code)
        }
    }

    /// Writes the wide characters of `run` at `row` and `column` in `style`, and empties it.
    private func write(_ run: inout [wchar_t], row: Int, column: Int, style: Style) {
        guard !run.isEmpty else {
            return
        }
        let attributes = self.attributes[style] ?? (0, 0)
        perftop_attr_set(attributes.attributes, attributes.pair)
        run.withUnsafeBufferPointer { characters in
            _ = perftop_mvaddnwstr(Int32(row), Int32(column), characters.baseAddress, Int32(characters.count))
        }
        run.removeAll(keepingCapacity: true)
    }

    /// Appends the character of `cell`, a cell of `grid`, to `run`: its scalars, or without a UTF-8
    /// locale its ASCII stand-in (``Glyphs/asciiFallback(for:)``).
    private func append(_ cell: CellGrid.PackedCell, of grid: CellGrid, to run: inout [wchar_t]) {
        if cell.content < 0x80 || (self.glyphs.isUnicode && !cell.isCluster) {
            run.append(wchar_t(cell.content))
        } else if self.glyphs.isUnicode {
            grid.forEachScalar(of: cell) { run.append(wchar_t($0.value)) }
        } else {
            for scalar in Glyphs.asciiFallback(for: grid.character(of: cell)).unicodeScalars {
                run.append(wchar_t(scalar.value))
            }
        }
    }
}

@available(*, unavailable, message: "ncurses is not thread-safe; use a CursesTerminal from one thread only")
extension CursesTerminal: Sendable {}
