import Testing

@testable import PerftopTUI

@Suite("terminal width, truncation and wrapping")
struct TerminalWidthTests {
    @Test(
        "characters take 0, 1 or 2 columns",
        arguments: [
            ("a", 1), ("é", 1), ("─", 1), ("█", 1), ("…", 1), ("µ", 1), ("名", 2), ("ｱ", 1), ("Ａ", 2),
            ("😀", 2), ("❤\u{FE0F}", 2), ("\u{301}", 0), ("\u{200B}", 0), ("\u{AD}", 0),
        ] as [(Character, Int)]
    )
    func widths(character: Character, width: Int) {
        #expect(character.terminalWidth == width)
    }

    @Test("the fast path's blocks are one column wide and no control, as the Unicode properties say")
    func fastPathAgreesWithProperties() {
        var fast = 0
        for value in UInt32(0x80)...0x2FFF {
            guard let scalar = Unicode.Scalar(value) else {
                continue
            }
            let character = Character(scalar)
            guard character.commonNarrowScalar != nil else {
                continue
            }
            fast += 1
            #expect(character.widthByProperties == 1, "U+\(String(value, radix: 16, uppercase: true))")
            #expect(scalar.properties.generalCategory != .control, "U+\(String(value, radix: 16, uppercase: true))")
        }
        // Latin-1 and Latin Extended, Greek, punctuation, arrows, box drawing and blocks, braille.
        #expect(fast == 0x260 - 1 + 0x90 + 0x18 + 0x70 + 0xA0 + 0x100)
        #expect(Character("\u{301}").commonNarrowScalar == nil, "a combining mark is not narrow")
        // One character per scalar, in three orders: no scalar of the blocks joins a neighbour.
        let narrow = (UInt32(0x20)...0x2FFF).compactMap(Unicode.Scalar.init).filter(Character.isNarrowScalar)
        let interleaved =
            narrow.enumerated().filter { $0.offset.isMultiple(of: 2) }.map(\.element)
            + narrow.enumerated().filter { !$0.offset.isMultiple(of: 2) }.map(\.element).reversed()
        for scalars in [narrow, narrow.reversed(), interleaved] {
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            #expect(text.count == scalars.count)
            #expect(text.displayWidth == text.reduce(0) { $0 + $1.terminalWidth })
        }
        #expect(Character("\u{2800}").terminalWidth == 1 && Character("μ").terminalWidth == 1)
    }

    @Test("control characters are recognised")
    func controls() {
        #expect(Character("\t").isControl)
        #expect(Character("\u{7F}").isControl)
        #expect(Character("\u{85}").isControl)
        #expect(!Character("─").isControl)
        #expect(!Character("a").isControl)
    }

    @Test("truncation counts columns and ends in the ellipsis")
    func truncation() {
        #expect("abcdef".truncated(toWidth: 6) == "abcdef")
        #expect("abcdef".truncated(toWidth: 4) == "abc…")
        #expect("名前キャッシュ".truncated(toWidth: 6) == "名前…")
        #expect("abc".truncated(toWidth: 0) == "")
        #expect("abc".truncated(toWidth: 2, ellipsis: "~") == "a~")
    }

    @Test(
        "a text's width is the sum of its characters' widths, ASCII or not",
        arguments: [
            "plain ascii text", "tab\tand\u{1B}escape", "nul\u{0}inside", "crlf\r\nis one character", "lone\rcr",
            "caf\u{E9} \u{2500}\u{2500}", "\u{540D}\u{524D}", "e\u{301}", "\u{1F600}!", "",
        ]
    )
    func textWidth(text: String) {
        #expect(text.displayWidth == text.reduce(0) { $0 + $1.terminalWidth })
        #expect(text[...].displayWidth == text.displayWidth)
    }

    @Test("wrapping breaks at spaces and splits words longer than a line")
    func wrapping() {
        #expect(
            "no data: no source reports cache_* metrics".wrapped(toWidth: 20) == [
                "no data: no source", "reports cache_*", "metrics",
            ]
        )
        #expect("abcdefgh ij".wrapped(toWidth: 3) == ["abc", "def", "gh", "ij"])
        #expect("demo[7] from glibc".wrapped(toWidth: 18) == ["demo[7] from glibc"], "a line that fits")
        #expect("  two  spaces ".wrapped(toWidth: 40) == ["two spaces"], "spaces collapse, fitting or not")
        #expect("tab\there".wrapped(toWidth: 40) == ["tab\there"])
        #expect("".wrapped(toWidth: 5) == [])
        #expect("abc".wrapped(toWidth: 0) == [])
    }

    @Test("the ASCII fallback keeps units readable")
    func asciiFallback() {
        #expect(Glyphs.asciiFallback(for: "µ") == "u")
        #expect(Glyphs.asciiFallback(for: "–") == "-")
        #expect(Glyphs.asciiFallback(for: "×") == "x")
        #expect(Glyphs.asciiFallback(for: "名") == "?")
        #expect(Glyphs.asciiFallback(for: "q") == "q")
    }
}
