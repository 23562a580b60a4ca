import PerfKit

/// A deterministic sequence of requested keys, with a flag on the requests that count towards the hit ratio.
struct Trace: Sendable {
    /// The requested keys, in order.
    let keys: [Int]
    /// Whether each request counts towards the measured hit ratio; `nil` means every request counts.
    let isMeasured: [Bool]?
    /// One more than the largest key, so that per-key arrays can be indexed by key.
    let keySpace: Int

    /// A Zipf trace: `requestCount` keys drawn from `0..<keyCount`, key 0 the most popular.
    static func zipf(keyCount: Int, exponent: Double, requestCount: Int, seed: UInt64) -> Trace {
        var generator = SplitMix64(seed: seed)
        let sampler = ZipfSampler(elementCount: keyCount, exponent: exponent)
        var keys = [Int]()
        keys.reserveCapacity(requestCount)
        for _ in 0..<requestCount {
            keys.append(sampler.next(using: &generator) - 1)
        }
        return Trace(keys: keys, isMeasured: nil, keySpace: keyCount)
    }

    /// This trace with one-hit wonders interleaved: unique keys, never requested again.
    ///
    /// Every request of the result is a one-hit wonder with probability `scanFraction`, drawn from a
    /// generator seeded with `seed`, and otherwise the next request of this trace, until all of this
    /// trace's requests are placed. Only this trace's requests are measured.
    func interleavingOneHitWonders(scanFraction: Double, seed: UInt64) -> Trace {
        var generator = SplitMix64(seed: seed)
        var keys = [Int]()
        var isMeasured = [Bool]()
        let expectedCount = Int(Double(self.keys.count) / (1 - scanFraction)) + 1
        keys.reserveCapacity(expectedCount)
        isMeasured.reserveCapacity(expectedCount)
        var nextUniqueKey = self.keySpace
        var position = 0
        while position < self.keys.count {
            if generator.nextUnitDouble() < scanFraction {
                keys.append(nextUniqueKey)
                isMeasured.append(false)
                nextUniqueKey += 1
            } else {
                keys.append(self.keys[position])
                isMeasured.append(true)
                position += 1
            }
        }
        return Trace(keys: keys, isMeasured: isMeasured, keySpace: nextUniqueKey)
    }

    /// This trace with a burst of `length` one-hit wonders (unique keys, never requested again) after
    /// every `period` of its requests, as a batch job or a crawler reading through once would make.
    /// Only this trace's requests are measured.
    func withBurstsOfOneHitWonders(length: Int, every period: Int) -> Trace {
        var keys = [Int]()
        var isMeasured = [Bool]()
        var nextUniqueKey = self.keySpace
        for (position, key) in self.keys.enumerated() {
            if position > 0, position % period == 0 {
                keys.append(contentsOf: nextUniqueKey..<nextUniqueKey + length)
                isMeasured.append(contentsOf: repeatElement(false, count: length))
                nextUniqueKey += length
            }
            keys.append(key)
            isMeasured.append(true)
        }
        return Trace(keys: keys, isMeasured: isMeasured, keySpace: nextUniqueKey)
    }
}

/// Hits and counted requests of one replay of a ``Trace``.
struct HitCount: Sendable {
    var hits = 0
    var requests = 0

    /// Hits as a percentage of requests.
    var percent: Double {
        self.requests == 0 ? 0 : 100 * Double(self.hits) / Double(self.requests)
    }
}
