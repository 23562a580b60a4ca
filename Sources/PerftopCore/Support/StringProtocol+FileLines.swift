extension StringProtocol {
    /// The lines of a text file, without their line breaks: split at `\n` and at `\r\n`, with an empty last
    /// line when the text ends with a break, as `split(separator: "\n", omittingEmptySubsequences: false)`
    /// splits a Unix file.
    ///
    /// That split alone keeps a Windows file in one piece, because Swift reads `\r\n` as one `Character`,
    /// which is not `"\n"`. A lone `\r` is not a break (TOML counts lines the same way). Cost: one pass.
    package func fileLines() -> [SubSequence] {
        self.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    }
}
