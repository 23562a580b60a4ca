// MARK: - Display width

extension Character {
    /// The number of terminal columns the character takes: 0 (invisible), 1 or 2 (wide).
    ///
    /// An approximation of `wcwidth` that does not depend on the process locale, so headless
    /// rendering in tests and the real terminal agree: East Asian wide and full-width ranges and
    /// emoji presentation take two columns, marks and format characters none. Control characters
    /// report 1 because ``CellGrid`` draws them as `?`.
    var terminalWidth: Int {
        if let ascii = self.asciiValue {
            return ascii == 0 ? 0 : 1
        }
        if self.commonNarrowScalar != nil {
            return 1
        }
        return self.widthByProperties
    }

    /// ``terminalWidth`` from the Unicode properties of the character's scalars, without the fast
    /// paths: a lookup in the standard library's property tables per property read.
    var widthByProperties: Int {
        let scalars = self.unicodeScalars
        guard let first = scalars.first else {
            return 0
        }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format:
            return 0
        case .control:
            return 1
        default:
            break
        }
        if first.properties.isEmojiPresentation {
            return 2
        }
        if first.properties.isEmoji && scalars.contains("\u{FE0F}") {
            return 2
        }
        return Self.isWide(first.value) ? 2 : 1
    }

    /// True for a control character, which must not reach the terminal.
    var isControl: Bool {
        if let ascii = self.asciiValue {
            return ascii < 0x20 || ascii == 0x7F
        }
        if self.commonNarrowScalar != nil {
            return false
        }
        return self.unicodeScalars.first?.properties.generalCategory == .control
    }

    /// The scalar of a one-scalar character from the blocks the dashboard draws with (Latin-1
    /// and Latin Extended, Greek (μ), general punctuation, arrows, box drawing, block elements,
    /// braille patterns (the graphs' dots)), all one column wide and none a control; nil for
    /// anything else. Decodes UTF-8 directly, skipping the Unicode property lookups that dominate
    /// drawing time otherwise.
    var commonNarrowScalar: UInt32? {
        var bytes = self.utf8.makeIterator()
        guard let lead = bytes.next(), let second = bytes.next() else {
            return nil
        }
        let value: UInt32
        switch lead {
        case 0xC2...0xCF:
            guard bytes.next() == nil else {
                return nil
            }
            value = UInt32(lead & 0x1F) << 6 | UInt32(second & 0x3F)
        case 0xE2:
            guard let third = bytes.next(), bytes.next() == nil else {
                return nil
            }
            value = UInt32(lead & 0x0F) << 12 | UInt32(second & 0x3F) << 6 | UInt32(third & 0x3F)
        default:
            return nil
        }
        return Self.isCommonNarrow(value) ? value : nil
    }

    /// Whether `value` is a scalar of ``commonNarrowScalar``'s blocks. None of them joins the
    /// scalar before or after it into one character (no mark, joiner or selector is among them),
    /// so a text of such scalars (and printable ASCII) has one character per scalar.
    static func isCommonNarrow(_ value: UInt32) -> Bool {
        switch value {
        case 0xA0...0xAC, 0xAE...0x2FF, 0x370...0x3FF, 0x2010...0x2027, 0x2190...0x21FF, 0x2500...0x259F,
            0x2800...0x28FF:
            true
        default:
            false
        }
    }

    /// Whether `scalar` is printable ASCII or ``isCommonNarrow(_:)``: a character of its own, one
    /// column wide, no control.
    static func isNarrowScalar(_ scalar: Unicode.Scalar) -> Bool {
        (0x20..<0x7F).contains(scalar.value) || Self.isCommonNarrow(scalar.value)
    }

    /// East Asian Width W and F ranges (Unicode 15), coarsened to blocks.
    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
            0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x18CFF, 0x1B000...0x1B2FF,
            0x1F200...0x1F2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}

extension StringProtocol {
    /// The number of terminal columns the text takes; see `Character.terminalWidth`.
    var displayWidth: Int {
        // Most text is printable ASCII, one column a byte; walking bytes skips grapheme breaking.
        // NUL (no column) and CR (which joins a following LF into one character) take the slow path.
        if self.utf8.allSatisfy({ $0 < 0x80 && $0 != 0 && $0 != 0x0D }) {
            return self.utf8.count
        }
        // Sparklines, graphs' dots and box drawing: one column a scalar, without grapheme breaking.
        if self.unicodeScalars.allSatisfy(Character.isNarrowScalar) {
            return self.unicodeScalars.count
        }
        var width = 0
        for character in self {
            width += character.terminalWidth
        }
        return width
    }

    /// Whether the text is printable ASCII words, each space between two of them: what
    /// ``wrapped(toWidth:)`` would make of it, were it narrow enough, is the text itself.
    private var isOneLineOfASCIIWords: Bool {
        var previous: UInt8 = 0x20
        for byte in self.utf8 {
            guard byte >= 0x20 && byte < 0x7F, byte != 0x20 || previous != 0x20 else {
                return false
            }
            previous = byte
        }
        return previous != 0x20
    }

    /// The text cut to at most `width` columns, ending in `ellipsis` when something was cut.
    ///
    /// Cost: O(n) in the length of the text.
    func truncated(toWidth width: Int, ellipsis: Character = "…") -> String {
        guard width > 0 else {
            return ""
        }
        if self.displayWidth <= width {
            return String(self)
        }
        let budget = width - ellipsis.terminalWidth
        var result = ""
        var used = 0
        for character in self {
            let characterWidth = character.terminalWidth
            if used + characterWidth > budget {
                break
            }
            result.append(character)
            used += characterWidth
        }
        if budget >= 0 {
            result.append(ellipsis)
        }
        return result
    }

    /// The text broken into lines of at most `width` columns, at spaces where possible.
    ///
    /// Words longer than a line are split. Cost: O(n) in the length of the text.
    func wrapped(toWidth width: Int) -> [String] {
        guard width > 0 else {
            return []
        }
        // Most text is a line of printable ASCII that fits: it is its own wrapping. Splitting it
        // into words only to join them again was a fifth of a frame with a hundred sources (the
        // churn pane wraps a line per source).
        if self.utf8.count <= width && self.isOneLineOfASCIIWords {
            return [String(self)]
        }
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in self.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            var wordWidth = word.displayWidth
            if lineWidth > 0 && lineWidth + 1 + wordWidth <= width {
                line += " " + word
                lineWidth += 1 + wordWidth
                continue
            }
            if lineWidth > 0 {
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            while wordWidth > width {
                var head = ""
                var headWidth = 0
                var rest = Substring(word)
                while let next = rest.first, headWidth + next.terminalWidth <= width {
                    head.append(next)
                    headWidth += next.terminalWidth
                    rest = rest.dropFirst()
                }
                if head.isEmpty {
                    rest = rest.dropFirst()
                } else {
                    lines.append(head)
                }
                word = String(rest)
                wordWidth = word.displayWidth
            }
            line = word
            lineWidth = wordWidth
        }
        if lineWidth > 0 {
            lines.append(line)
        }
        return lines
    }
}
