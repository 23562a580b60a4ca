import CNCursesW

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
/// a time with a 100 ms timeout) and installs crash-signal handlers that restore it;
/// ``restore()`` (or deinit) gives it back. Use it from one thread only: it is not `Sendable`.
public final class CursesTerminal: Screen {
    /// How long ``readKey()`` waits for a key, in milliseconds.
    public static let keyTimeoutMilliseconds: Int32 = 100

    /// The ncurses screen, until ``restore()``.
    private var screen: OpaquePointer?
    /// Color pair and attributes per style.
    private var attributes: [Style: (attributes: UInt32, pair: Int16)] = [:]

    /// The glyphs the terminal can show: Unicode when the locale is UTF-8, ASCII otherwise.
    public let glyphs: Glyphs

    /// Takes over the terminal.
    ///
    /// Sets the locale from the environment, starts ncurses on standard input and output, and
    /// uses colors when the terminal has them and `NO_COLOR` is unset or empty.
    /// - Throws: ``TerminalError`` when standard input or output is not a terminal or ncurses
    ///   cannot start.
    public init() throws {
        guard isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError.notATerminal
        }
        perftop_setlocale_from_environment()
        self.glyphs = perftop_locale_is_utf8() != 0 ? .unicode : .ascii
        perftop_install_crash_handlers()
        guard let screen = perftop_newterm_stdio() else {
            throw TerminalError.cannotInitialize(term: getenv("TERM").map { String(cString: $0) } ?? "")
        }
        self.screen = screen
        set_term(screen)
        cbreak()
        noecho()
        keypad(perftop_stdscr(), true)
        curs_set(0)
        timeout(Self.keyTimeoutMilliseconds)
        let noColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        self.attributes = has_colors() && !noColor ? Self.colorAttributes() : Self.monochromeAttributes()
    }

    deinit {
        self.restore()
    }

    // MARK: - Screen

    /// The terminal size now; follows resizes once ``readKey()`` has returned ``Key/resize``.
    public var size: TerminalSize {
        TerminalSize(width: Int(perftop_cols()), height: Int(perftop_lines()))
    }

    /// Writes every cell of `grid` and updates the terminal once.
    ///
    /// Runs of one-column cells in one style go out in one call; each wide character is placed at
    /// its own column, so a terminal that disagrees about its width cannot shift the rest of the
    /// row. Without a UTF-8 locale, non-ASCII characters are replaced by
    /// ``Glyphs/asciiFallback(for:)`` and wide ones take a space for their second column. Cells
    /// outside the terminal are skipped. Cost: O(cells) plus ncurses' diff against the screen.
    public func present(_ grid: CellGrid) {
        guard self.screen != nil else {
            return
        }
        erase()
        let size = self.size
        let columns = min(grid.columns, size.width)
        for row in 0..<min(grid.rows, size.height) {
            var run = ""
            var runStart = 0
            var runStyle = Style.normal
            for column in 0..<columns {
                let cell = grid[row, column]
                if cell.isContinuation {
                    continue
                }
                let isWide = column + 1 < grid.columns && grid[row, column + 1].isContinuation
                let shown = self.glyphs.isUnicode ? cell.character : Glyphs.asciiFallback(for: cell.character)
                if !isWide && cell.style == runStyle && !run.isEmpty {
                    run.append(shown)
                    continue
                }
                self.write(run, row: row, column: runStart, style: runStyle)
                run = ""
                if isWide {
                    let text = self.glyphs.isUnicode ? String(shown) : String(shown) + " "
                    self.write(text, row: row, column: column, style: cell.style)
                    runStart = column + 2
                } else {
                    run.append(shown)
                    runStart = column
                    runStyle = cell.style
                }
            }
            self.write(run, row: row, column: runStart, style: runStyle)
        }
        refresh()
    }

    /// Waits up to ``keyTimeoutMilliseconds`` for a key.
    public func readKey() -> Key? {
        guard self.screen != nil else {
            return nil
        }
        var code: wint_t = 0
        let result = perftop_get_wch(&code)
        if result == perftop_err() {
            return nil
        }
        if result == perftop_key_code_yes() {
            let key = Int32(truncatingIfNeeded: code)
            return key == perftop_key_resize() ? .resize : .function(key)
        }
        return Unicode.Scalar(UInt32(code)).map { .character(Character($0)) }
    }

    /// Ends ncurses mode and frees the screen: the terminal is back to normal. Idempotent.
    public func restore() {
        guard let screen = self.screen else {
            return
        }
        self.screen = nil
        endwin()
        delscreen(screen)
    }

    // MARK: - Internals

    /// Writes a string at a cell in a style; empty strings are skipped.
    private func write(_ text: String, row: Int, column: Int, style: Style) {
        guard !text.isEmpty else {
            return
        }
        let attributes = self.attributes[style] ?? (0, 0)
        perftop_attr_set(attributes.attributes, attributes.pair)
        perftop_mvaddstr(Int32(row), Int32(column), text)
    }

    /// Styles as attributes only, for monochrome terminals and `NO_COLOR`.
    private static func monochromeAttributes() -> [Style: (attributes: UInt32, pair: Int16)] {
        [
            .normal: (0, 0),
            .title: (perftop_a_bold(), 0),
            .label: (0, 0),
            .value: (perftop_a_bold(), 0),
            .dim: (perftop_a_dim(), 0),
            .good: (0, 0),
            .warning: (perftop_a_bold(), 0),
            .critical: (perftop_a_bold() | perftop_a_underline(), 0),
            .header: (perftop_a_reverse(), 0),
            .border: (perftop_a_dim(), 0),
            .focusedBorder: (perftop_a_bold(), 0),
            .selected: (perftop_a_reverse(), 0),
            .graph: (0, 0),
            .graphLow: (0, 0),
            .graphMedium: (0, 0),
            .graphHigh: (perftop_a_bold(), 0),
        ]
    }

    /// Starts colors and maps styles to color pairs on the terminal's default background.
    private static func colorAttributes() -> [Style: (attributes: UInt32, pair: Int16)] {
        start_color()
        let background: Int16 = use_default_colors() == perftop_err() ? Int16(COLOR_BLACK) : -1
        let foregrounds: [Int32] = [COLOR_GREEN, COLOR_YELLOW, COLOR_RED, COLOR_CYAN, COLOR_BLUE]
        for (index, foreground) in foregrounds.enumerated() {
            init_pair(Int16(index + 1), Int16(foreground), background)
        }
        init_pair(7, Int16(COLOR_BLACK), Int16(COLOR_CYAN))
        let green: Int16 = 1
        let yellow: Int16 = 2
        let red: Int16 = 3
        let cyan: Int16 = 4
        let blue: Int16 = 5
        let headerBar: Int16 = 7
        return [
            .normal: (0, 0),
            .title: (perftop_a_bold(), cyan),
            .label: (0, cyan),
            .value: (perftop_a_bold(), 0),
            .dim: (perftop_a_dim(), 0),
            .good: (0, green),
            .warning: (0, yellow),
            .critical: (perftop_a_bold(), red),
            .header: (0, headerBar),
            .border: (0, blue),
            .focusedBorder: (perftop_a_bold(), cyan),
            .selected: (0, headerBar),
            .graph: (0, green),
            .graphLow: (0, green),
            .graphMedium: (0, yellow),
            .graphHigh: (0, red),
        ]
    }
}

@available(*, unavailable, message: "ncurses is not thread-safe; use a CursesTerminal from one thread only")
extension CursesTerminal: Sendable {}
