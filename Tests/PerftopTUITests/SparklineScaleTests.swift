import Testing

@testable import PerftopTUI

@Suite("Sparkline.Scale")
struct SparklineScaleTests {
    /// Values a source can send that broke scales before: extremes, non-finite, signed zero, subnormals.
    static let hostile: [Double] = [
        .nan, .infinity, -.infinity, 1.7e308, -1.7e308, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        -0.0, 0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude / 4, 1, -1,
    ]

    @Test("every step of every hostile value in every hostile range is in 0..<steps or nil for non-finite")
    func stepIsTotal() {
        let bounds = Self.hostile.filter { !$0.isNaN }
        for lower in bounds {
            for upper in bounds where lower <= upper {
                for value in Self.hostile {
                    for steps in [0, 1, 2, 8, 200] {
                        let step = Sparkline.Scale.step(of: value, in: lower...upper, steps: steps)
                        if value.isFinite {
                            let inRange = step.map { (0..<max(steps, 1)).contains($0) }
                            #expect(inRange == true, "\(value) in \(lower)...\(upper), \(steps) steps")
                        } else {
                            #expect(step == nil)
                        }
                    }
                }
            }
        }
    }

    @Test("a range wider than the largest double still orders values")
    func widestRange() {
        let range = -1.7e308...1.7e308
        #expect(Sparkline.Scale.step(of: -1.7e308, in: range, steps: 9) == 0)
        #expect(Sparkline.Scale.step(of: 0, in: range, steps: 9) == 4)
        #expect(Sparkline.Scale.step(of: 1.7e308, in: range, steps: 9) == 8)
    }

    @Test("the range of any values is finite and ordered", arguments: [Sparkline.Scale.fromZero, .fixed(0...1)])
    func rangeIsFinite(scale: Sparkline.Scale) {
        for first in Self.hostile {
            for second in Self.hostile {
                let range = scale.range(of: [first, second])
                #expect(range.lowerBound.isFinite && range.upperBound.isFinite)
            }
        }
        let widest = Sparkline.Scale.fixed(-Double.infinity...Double.infinity).range(of: [])
        #expect(widest == -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)
    }

    @Test("a sparkline and a graph draw a memory series that jumps from -1.7e308 to 1.7e308")
    func extremeSeries() {
        let values = [-1.7e308, 1.7e308, .nan, -0.0, .leastNonzeroMagnitude]
        #expect(Sparkline.render(values, width: 10, scale: .fromZero, glyphs: .unicode).count == 5)
        let resident = Sparkline.render(values, width: 10, scale: MemoryPane.residentScale(values), glyphs: .unicode)
        #expect(resident.hasPrefix("▁█ "))
        var grid = CellGrid(rows: 6, columns: 40)
        for glyphs in [Glyphs.unicode, .ascii] {
            grid.withCanvas(grid.bounds, glyphs: glyphs) { canvas in
                LineGraph(values: values, interval: 1, scale: .fromZero, format: { "\($0 ?? 0)" }).draw(into: &canvas)
            }
        }
        #expect(grid.text.contains("now"))
    }
}
