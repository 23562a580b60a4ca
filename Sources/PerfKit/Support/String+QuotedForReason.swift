extension String {
    /// The text in single quotes, safe in a one-line error reason however it came from outside (a source, a
    /// file): at most `limit` Unicode scalars, then `…`; control, format and line-separator characters shown as
    /// `?`, so nothing it holds reaches a terminal or a log as a control sequence. Cost: O(`limit`).
    package func quotedForReason(limit: Int = 24) -> String {
        var shown = String.UnicodeScalarView()
        for (count, scalar) in self.unicodeScalars.enumerated() {
            guard count < limit else {
                shown.append("…")
                break
            }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: shown.append("?")
            default: shown.append(scalar)
            }
        }
        return "'" + String(shown) + "'"
    }
}
