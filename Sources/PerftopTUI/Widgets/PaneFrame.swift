/// The decoration around a pane: a box with the title in its top edge, or, where space is short,
/// only a title rule.
public enum PaneFrame {
    /// How much decoration a pane gets.
    public enum Kind: Sendable, Hashable {
        /// A full box: `┌─ title ──┐`, sides and bottom. Costs two rows and two columns.
        case box
        /// A title rule on the top row only: `─ title ─────`. Costs one row.
        case rule
    }

    /// Draws the frame and title into the whole canvas and returns the content area.
    ///
    /// The title is cut with an ellipsis when it does not fit. A focused pane's frame and title
    /// are drawn in ``Style/focusedBorder``, and its title between `[` and `]` so the focus shows
    /// without colour too.
    /// - Parameters:
    ///   - title: The pane's title.
    ///   - kind: A box or a title rule.
    ///   - isFocused: Whether the pane has the keyboard focus.
    ///   - border: The style of an unfocused frame, e.g. ``Style/border(for:)`` of the pane.
    ///   - canvas: Where to draw; the frame takes the whole canvas.
    ///   - isBlank: Whether every cell of the canvas is blank already (a new grid), so that it need
    ///     not be cleared first; false clears it.
    /// - Returns: The content rectangle, in the canvas's local coordinates; empty when the canvas
    ///   is too small for any content.
    @discardableResult
    public static func draw(
        title: String,
        kind: Kind,
        isFocused: Bool = false,
        border: Style = .border,
        into canvas: inout Canvas,
        isBlank: Bool = false
    ) -> Rect {
        let glyphs = canvas.glyphs
        let border: Style = isFocused ? .focusedBorder : border
        let width = canvas.width
        let height = canvas.height
        guard width > 0 && height > 0 else {
            return Rect(row: 0, column: 0, height: 0, width: 0)
        }
        if !isBlank {
            canvas.fill()
        }
        switch kind {
        case .rule:
            canvas.fill(Rect(row: 0, column: 0, height: 1, width: width), character: glyphs.horizontal, style: border)
            self.putTitle(title, from: 1, width: width - 2, isFocused: isFocused, border: border, into: &canvas)
            return Rect(row: 1, column: 0, height: height - 1, width: width)
        case .box:
            let sides = Rect(row: 1, column: 0, height: height - 2, width: 1)
            canvas.fill(Rect(row: 0, column: 0, height: 1, width: width), character: glyphs.horizontal, style: border)
            canvas.fill(sides, character: glyphs.vertical, style: border)
            canvas.fill(sides.offsetBy(rows: 0, columns: width - 1), character: glyphs.vertical, style: border)
            canvas.put(row: 0, column: 0, text: String(glyphs.topLeft), style: border)
            canvas.put(row: 0, column: width - 1, text: String(glyphs.topRight), style: border)
            if height > 1 {
                let bottom = Rect(row: height - 1, column: 0, height: 1, width: width)
                canvas.fill(bottom, character: glyphs.horizontal, style: border)
                canvas.put(row: height - 1, column: 0, text: String(glyphs.bottomLeft), style: border)
                canvas.put(row: height - 1, column: width - 1, text: String(glyphs.bottomRight), style: border)
            }
            self.putTitle(title, from: 2, width: width - 4, isFocused: isFocused, border: border, into: &canvas)
            return Rect(row: 1, column: 1, height: height - 2, width: width - 2)
        }
    }

    /// Writes ` title ` (`[title]` when focused) into the top row, starting at `column`, within
    /// `width` columns.
    private static func putTitle(
        _ title: String,
        from column: Int,
        width: Int,
        isFocused: Bool,
        border: Style,
        into canvas: inout Canvas
    ) {
        guard width >= 3 else {
            return
        }
        let shown = title.truncated(toWidth: width - 2, ellipsis: canvas.glyphs.ellipsis)
        canvas.put(row: 0, column: column, text: isFocused ? "[" : " ", style: border)
        let end = canvas.put(row: 0, column: column + 1, text: shown, style: isFocused ? .focusedBorder : .title)
        canvas.put(row: 0, column: end, text: isFocused ? "]" : " ", style: border)
    }
}
