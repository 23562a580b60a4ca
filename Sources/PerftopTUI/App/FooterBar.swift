/// The bottom row: key hints, htop style (the key highlighted, then what it does), and on the
/// right a short notice such as the theme just chosen.
enum FooterBar {
    /// The hints, in order: every binding of ``KeyBindings/all`` that has a footer form.
    static let hints: [KeyBinding.FooterHint] = KeyBindings.all.compactMap(\.footer)
    /// A replay's hints: its own, then the others that still apply (not freezing, not the interval).
    static let replayHints: [KeyBinding.FooterHint] =
        KeyBindings.replay.compactMap(\.footer)
        + KeyBindings.replayHelp.dropFirst(KeyBindings.replay.count).compactMap(\.footer).filter { $0.key != "+/-" }

    /// Draws the hints and the notice into the first row of the canvas.
    ///
    /// Hints that do not fit are dropped from the right, except the last (`? help`), which stays
    /// while there is room for it; the notice is cut with an ellipsis before any hint is dropped
    /// below `q quit`.
    /// - Parameters:
    ///   - isFrozen: Whether the screen is frozen; the freeze hint then says `resume`.
    ///   - notice: A short message for the right end, or nil.
    ///   - isReplay: Whether a replay is shown: its hints then.
    ///   - canvas: Where to draw.
    static func draw(isFrozen: Bool = false, notice: String? = nil, isReplay: Bool = false, into canvas: inout Canvas) {
        var hints = (isReplay ? self.replayHints : self.hints).map { hint in
            isFrozen && hint.summary == "freeze" ? KeyBinding.FooterHint(hint.key, "resume") : hint
        }
        let noticeWidth = notice.map { min($0.displayWidth + 1, canvas.width / 2) } ?? 0
        let room = canvas.width - noticeWidth
        while hints.count > 2 && self.width(of: hints) > room {
            hints.remove(at: hints.count - 2)
        }
        var column = 0
        for hint in hints {
            column = canvas.put(row: 0, column: column, text: hint.key, style: .header)
            column = canvas.put(row: 0, column: column, text: " " + hint.summary + "  ", style: .normal)
        }
        if let notice, noticeWidth > 1 {
            let start = max(column, canvas.width - noticeWidth + 1)
            let shown = notice.truncated(toWidth: canvas.width - start, ellipsis: canvas.glyphs.ellipsis)
            canvas.put(row: 0, column: start, text: shown, style: .warning)
        }
    }

    /// The columns `hints` take, with two spaces after each but the last.
    private static func width(of hints: [KeyBinding.FooterHint]) -> Int {
        hints.reduce(0) { $0 + $1.key.displayWidth + 1 + $1.summary.displayWidth + 2 } - 2
    }
}
