/// The bottom row: key hints, htop style (the key highlighted, then what it does).
enum FooterBar {
    /// The keys the dashboard answers to, with what they do.
    static let hints: [(key: String, action: String)] = [("q", "quit")]

    /// Draws the hints into the first row of the canvas.
    static func draw(into canvas: inout Canvas) {
        var column = 0
        for hint in self.hints {
            column = canvas.put(row: 0, column: column, text: hint.key, style: .header)
            column = canvas.put(row: 0, column: column, text: " " + hint.action + "  ", style: .normal)
        }
    }
}
