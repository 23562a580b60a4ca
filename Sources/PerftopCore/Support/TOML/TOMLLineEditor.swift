/// Edits `key = value` lines of a TOML document in place and keeps every other line as written
/// (comments, blank lines, order, spacing, other tables): how perftop saves dashboard settings to
/// a config file and baselines to a tracker file without rewriting what the user wrote.
///
/// Values are TOML text the caller spells (``TOMLWriting``). Lines inside multi-line strings (`"""`, `'''`) and multi-line arrays are never taken for keys or
/// table headers. Keys are bare or quoted (`theme`, `"theme"`); dotted keys are not looked up.
/// Cost: O(lines) per edit.
package struct TOMLLineEditor {
    /// Where a key lives.
    package enum Table: Hashable {
        /// The top-level table, before the first header.
        case root
        /// The element at `index` (from 0, in file order) of the array of tables `[[name]]`.
        case arrayElement(name: String, index: Int)
    }

    /// The document's lines, without their line feeds.
    package private(set) var lines: [String]

    /// Whether the text ended with a line feed (or was empty), kept as it was.
    private let endsWithLineFeed: Bool

    /// Splits `text` into lines; a final line feed does not make an extra empty line.
    package init(_ text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" {
            lines.removeLast()
        }
        self.lines = lines
        self.endsWithLineFeed = text.isEmpty || text.hasSuffix("\n")
    }

    /// The document, its lines joined by line feeds, with a final one if the text had one.
    package var text: String {
        self.lines.joined(separator: "\n") + (self.endsWithLineFeed ? "\n" : "")
    }

    /// Sets `key` to `value` (TOML text, e.g. `"nord"` or `1.5`) in `table`: an existing `key = …`
    /// line, with the continuation lines of a multi-line value, is replaced in place; a new key
    /// goes after the last of the keys `after` the table has (its value's last line), else after
    /// the table's last key (or after its header, or, at the top level, after the last line
    /// before the first header). Returns false, changing nothing, when `table` is an array
    /// element the document does not have.
    @discardableResult
    package mutating func set(
        _ key: String,
        to value: String,
        in table: Table = .root,
        after preceding: Set<String> = []
    ) -> Bool {
        let roles = Self.roles(of: self.lines)
        guard let range = self.range(of: table, roles: roles) else {
            return false
        }
        var lastKeyEnd: Int?
        var lastPrecedingEnd: Int?
        var index = range.lowerBound
        while index < range.upperBound {
            guard case .key(let name) = roles[index] else {
                index += 1
                continue
            }
            var end = index
            while end + 1 < range.upperBound, roles[end + 1] == .continuation {
                end += 1
            }
            if name == key {
                self.lines.replaceSubrange(index...end, with: ["\(key) = \(value)"])
                return true
            }
            lastKeyEnd = end
            if preceding.contains(name) {
                lastPrecedingEnd = end
            }
            index = end + 1
        }
        var insertion = (lastPrecedingEnd ?? lastKeyEnd).map { $0 + 1 } ?? range.lowerBound
        if lastKeyEnd == nil, table == .root {
            insertion = range.upperBound
            while insertion > 0, self.lines[insertion - 1].allSatisfy(\.isWhitespace) {
                insertion -= 1
            }
        }
        self.lines.insert("\(key) = \(value)", at: insertion)
        return true
    }

    // MARK: - Reading lines

    /// What a line is, given the lines before it.
    enum Role: Hashable {
        /// A `[name]` or `[[name]]` header.
        case header(name: String, isArray: Bool)
        /// The first line of `key = …`.
        case key(String)
        /// A line inside a multi-line string or array that a key line started.
        case continuation
        /// A comment, a blank line or anything else.
        case other
    }

    /// The lines that belong to `table`, header excluded.
    private func range(of table: Table, roles: [Role]) -> Range<Int>? {
        let isHeader: (Role) -> Bool = {
            if case .header = $0 { return true }
            return false
        }
        switch table {
        case .root:
            return 0..<(roles.firstIndex(where: isHeader) ?? roles.count)
        case .arrayElement(let wanted, let wantedIndex):
            var seen = 0
            for (line, role) in roles.enumerated() {
                guard case .header(let name, true) = role, name == wanted else {
                    continue
                }
                if seen == wantedIndex {
                    let end = roles[(line + 1)...].firstIndex(where: isHeader) ?? roles.count
                    return (line + 1)..<end
                }
                seen += 1
            }
            return nil
        }
    }

    /// The role of every line, scanning strings, comments and brackets so that multi-line values
    /// are continuation lines.
    static func roles(of lines: [String]) -> [Role] {
        var roles: [Role] = []
        var scanner = Scanner()
        for line in lines {
            let startsInside = scanner.isInsideValue
            scanner.scan(line)
            if startsInside {
                roles.append(.continuation)
                continue
            }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("[") {
                let isArray = trimmed.hasPrefix("[[")
                let name = trimmed.drop { $0 == "[" || $0 == " " || $0 == "\t" }.prefix { $0 != "]" }
                roles.append(.header(name: name.trimmingTrailingBlanks(), isArray: isArray))
                scanner = Scanner()
            } else if let key = self.key(of: line) {
                roles.append(.key(key))
            } else {
                roles.append(.other)
            }
        }
        return roles
    }

    /// The key a `key = value` line sets (quotes removed), or nil for other lines.
    package static func key(of line: some StringProtocol) -> String? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard !trimmed.hasPrefix("#"), !trimmed.hasPrefix("["), let equals = trimmed.firstIndex(of: "=") else {
            return nil
        }
        var key = trimmed[..<equals].trimmingTrailingBlanks()
        if key.count >= 2, let first = key.first, first == "\"" || first == "'", key.last == first {
            key = String(key.dropFirst().dropLast())
        }
        return key.isEmpty ? nil : key
    }

    /// Follows strings, comments and brackets across lines.
    private struct Scanner {
        /// The multi-line string the scan is inside, by its delimiter, if any.
        var multiline: String?
        /// Open brackets of multi-line arrays and inline tables.
        var depth = 0

        var isInsideValue: Bool {
            self.multiline != nil || self.depth > 0
        }

        mutating func scan(_ line: String) {
            let characters = Array(line)
            var index = 0
            while index < characters.count {
                let character = characters[index]
                if let delimiter = self.multiline {
                    if character == "\\" && delimiter == "\"\"\"" {
                        index += 2
                        continue
                    }
                    if String(characters[index..<min(index + 3, characters.count)]) == delimiter {
                        self.multiline = nil
                        index += 3
                        continue
                    }
                    index += 1
                    continue
                }
                switch character {
                case "#":
                    return
                case "\"", "'":
                    let triple = String(characters[index..<min(index + 3, characters.count)])
                    if triple == String(repeating: character, count: 3) {
                        self.multiline = triple
                        index += 3
                        continue
                    }
                    index += 1
                    while index < characters.count, characters[index] != character {
                        index += character == "\"" && characters[index] == "\\" ? 2 : 1
                    }
                    index += 1
                    continue
                case "[", "{":
                    self.depth += 1
                case "]", "}":
                    self.depth = max(0, self.depth - 1)
                default:
                    break
                }
                index += 1
            }
        }
    }
}

extension StringProtocol {
    /// The text without trailing spaces and tabs.
    fileprivate func trimmingTrailingBlanks() -> String {
        var text = Substring(self)
        while let last = text.last, last == " " || last == "\t" {
            text.removeLast()
        }
        return String(text)
    }
}
