extension StringProtocol {
    /// The text without its leading and trailing whitespace: spaces and tabs, and line breaks too when
    /// `includingNewlines`. What Foundation's `trimmingCharacters(in: .whitespaces)` does, without
    /// Foundation (perftop links FoundationEssentials only). Cost: O(length).
    package func trimmingWhitespace(includingNewlines: Bool = false) -> String {
        let isTrimmed = { (character: Character) in
            character.isWhitespace && (includingNewlines || !character.isNewline)
        }
        guard let first = self.firstIndex(where: { !isTrimmed($0) }),
            let last = self.lastIndex(where: { !isTrimmed($0) })
        else {
            return ""
        }
        return String(self[first...last])
    }
}
