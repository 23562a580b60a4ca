import Testing

@testable import PerftopTUI

@Suite("Sparkline and Meter")
struct SparklineTests {
    @Test("a fixed scale maps the range onto all levels")
    func fixedScale() {
        #expect(Sparkline.render([0, 0.5, 1, 2], width: 10, scale: .fixed(0...1), glyphs: .unicode) == "▁▅██")
    }

    @Test("only the newest values that fit are drawn")
    func keepsNewest() {
        #expect(Sparkline.render([1, 0, 0, 1], width: 2, scale: .fixed(0...1), glyphs: .unicode) == "▁█")
        #expect(Sparkline.render([1, 2], width: 0, scale: .fromZero, glyphs: .unicode) == "")
        #expect(Sparkline.render([], width: 5, scale: .fromZero, glyphs: .unicode) == "")
    }

    @Test("from zero scales to the largest value; zeros and gaps stay visible")
    func fromZero() {
        #expect(Sparkline.render([0, 6, 12], width: 5, scale: .fromZero, glyphs: .unicode) == "▁▅█")
        #expect(Sparkline.render([0, 0], width: 5, scale: .fromZero, glyphs: .unicode) == "▁▁")
        #expect(Sparkline.render([1, .nan, 1], width: 5, scale: .fromZero, glyphs: .unicode) == "█ █")
    }

    @Test("the ASCII fallback uses _.-=#")
    func asciiFallback() {
        #expect(Sparkline.render([0, 0.25, 0.5, 0.75, 1], width: 5, scale: .fixed(0...1), glyphs: .ascii) == "_.-=#")
    }

    @Test("a meter fills in eighths and is always exactly as wide as asked")
    func meter() {
        #expect(Meter.render(fraction: 0.5, width: 10, glyphs: .unicode) == "█████░░░░░")
        #expect(Meter.render(fraction: 0.55, width: 10, glyphs: .unicode) == "█████▌░░░░")
        #expect(Meter.render(fraction: 2, width: 4, glyphs: .unicode) == "████")
        #expect(Meter.render(fraction: .nan, width: 3, glyphs: .unicode) == "░░░")
        #expect(Meter.render(fraction: 0.5, width: 4, glyphs: .ascii) == "##..")
    }
}
