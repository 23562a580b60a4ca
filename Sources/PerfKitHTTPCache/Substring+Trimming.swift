extension Substring {
    /// The text without leading and trailing spaces and tabs, HTTP's optional white space.
    func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let head = self.drop(while: isSpace)
        var end = head.endIndex
        while end > head.startIndex, isSpace(head[head.index(before: end)]) {
            end = head.index(before: end)
        }
        return head[..<end]
    }
}
