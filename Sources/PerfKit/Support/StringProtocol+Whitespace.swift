extension StringProtocol {
    /// The text without its leading and trailing whitespace: spaces and tabs, and line breaks too when
    /// `includingNewlines`. What Foundation's `trimmingCharacters(in: .whitespaces)` does, without
    /// Foundation (perftop links FoundationEssentials only). Cost: O(length).
    package func trimmingWhitespace(includingNewlines: Bool = false) -> String {
        String(self.trimming { $0.isWhitespace && (includingNewlines || !$0.isNewline) })
    }

    /// The text without the leading and trailing characters `isTrimmed` accepts, e.g. HTTP's optional
    /// white space (spaces and tabs only); a slice of it, no copy. Cost: O(length).
    package func trimming(_ isTrimmed: (Character) -> Bool) -> SubSequence {
        guard let first = self.firstIndex(where: { !isTrimmed($0) }),
            let last = self.lastIndex(where: { !isTrimmed($0) })
        else {
            return self[self.endIndex...]
        }
        return self[first...last]
    }
}
