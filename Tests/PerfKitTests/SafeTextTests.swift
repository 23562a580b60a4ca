import Testing

@testable import PerfKit

@Suite("SafeText")
struct SafeTextTests {
    /// Scalars that move a terminal's cursor, run its commands (OSC 52 writes the clipboard) or
    /// reorder text (bidi overrides and isolates), and the invisible ones around them.
    static let unsafe: [Unicode.Scalar] = [
        "\u{0}", "\u{7}", "\u{8}", "\t", "\n", "\r", "\u{1B}", "\u{7F}", "\u{80}", "\u{9B}", "\u{9D}", "\u{9F}",
        "\u{AD}", "\u{61C}", "\u{200B}", "\u{200E}", "\u{200F}", "\u{202A}", "\u{202E}", "\u{2028}", "\u{2029}",
        "\u{2066}", "\u{2069}", "\u{FEFF}", "\u{E0001}",
    ]

    static let safe: [Unicode.Scalar] = [" ", "a", "~", "é", "\u{A0}", "│", "µ", "中", "🔴", "✅", "\u{301}"]

    @Test("control, DEL, C1, bidi and other format characters are unsafe; text is not")
    func unsafeScalars() {
        for scalar in Self.unsafe {
            #expect(SafeText.isUnsafe(scalar), "U+\(String(scalar.value, radix: 16)) passes")
        }
        for scalar in Self.safe {
            #expect(!SafeText.isUnsafe(scalar), "U+\(String(scalar.value, radix: 16)) is escaped")
        }
    }

    @Test("unsafe scalars become visible escapes; everything else is kept")
    func escaping() {
        #expect(SafeText.escaped("plain ascii") == "plain ascii")
        #expect(SafeText.escaped("\u{1B}]52;c;cm0gLXJmIH4=\u{7}") == "\\u{1B}]52;c;cm0gLXJmIH4=\\u{7}")
        #expect(SafeText.escaped("a\u{9B}31mb") == "a\\u{9B}31mb")
        #expect(SafeText.escaped("evil\u{202E}txt.exe") == "evil\\u{202E}txt.exe")
        #expect(SafeText.escaped("two\nlines") == "two\\u{A}lines")
        #expect(SafeText.escaped("café 🔴 中") == "café 🔴 中")
        let escaped = SafeText.escaped(String(Self.unsafe.map(Character.init)))
        #expect(!escaped.unicodeScalars.contains(where: SafeText.isUnsafe))
    }

    @Test("a limit cuts long text with an ellipsis, counting characters")
    func limit() {
        #expect(SafeText.escaped("abcdef", limit: 4) == "abc…")
        #expect(SafeText.escaped("abcd", limit: 4) == "abcd")
        #expect(SafeText.escaped(String(repeating: "\u{1B}", count: 10_000), limit: 8) == "\\u{1B}\\…")
        #expect(SafeText.escaped(String(repeating: "x", count: 1_000_000), limit: 240).count == 240)
    }

    @Test("line by line keeps the line feeds and escapes the rest")
    func keepingLines() {
        #expect(SafeText.escapedKeepingLines("a\u{1B}\nb\r\n") == "a\\u{1B}\nb\\u{D}\n")
    }
}
