import Testing

@testable import PerfKit

/// The W-TinyLFU sketch's hash, which must not depend on the process for integer and string keys,
/// so that a cache replaying the same requests decides the same on every run.
@Suite struct FrequencySketchTests {
    @Test func hashesIntegersAndStringsTheSameInEveryProcess() {
        let sketch = FrequencySketch(bound: 100, seed: FrequencySketch.fnv1a("users"))
        #expect(FrequencySketch.fnv1a("users") == 0x4228_8471_628C_3333)
        #expect(sketch.hash(of: 42) == 0x43C1_6186_E5AB_1FD3)
        #expect(sketch.hash(of: "users") == sketch.hash(of: "users"))
        #expect(sketch.hash(of: 42) != sketch.hash(of: 43))
        #expect(sketch.hash(of: "a") != FrequencySketch(bound: 100, seed: 1).hash(of: "a"), "the seed counts")
    }

    @Test func estimatesWhatItCountedAndHalvesWhenItAges() {
        var sketch = FrequencySketch(bound: 8, seed: 7)
        let hash = sketch.hash(of: 5)
        for _ in 0..<3 {
            sketch.increment(hash: hash)
        }
        #expect(sketch.frequency(ofHash: hash) == 3)
        sketch.halve()
        #expect(sketch.frequency(ofHash: hash) == 1)
    }
}
