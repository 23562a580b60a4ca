import BenchmarkSupport
import PerfKit

// MARK: - Workloads beside Zipf

extension Trace {
    /// A working set that slides: request `i` reads a key drawn uniformly from
    /// `[i / advanceEvery, i / advanceEvery + workingSet)`, so every key is requested for
    /// `workingSet × advanceEvery` requests (about `advanceEvery` times) and then never again.
    ///
    /// Recency predicts this trace and frequency misleads it: the keys seen most often are the ones
    /// about to leave.
    static func slidingWorkingSet(workingSet: Int, advanceEvery: Int, requestCount: Int, seed: UInt64) -> Trace {
        var generator = SplitMix64(seed: seed)
        var keys = [Int]()
        keys.reserveCapacity(requestCount)
        for request in 0..<requestCount {
            let start = request / advanceEvery
            keys.append(start + Int(generator.nextUnitDouble() * Double(workingSet)))
        }
        return Trace(keys: keys, isMeasured: nil, keySpace: requestCount / advanceEvery + workingSet)
    }

    /// Zipf popularity whose popular keys change at once every `period` requests: request `i` of
    /// period `p` reads key `p × keyCount + rank`, the rank drawn from Zipf(`exponent`) over
    /// `keyCount` keys, so each period starts with a cold set of keys.
    static func shiftingPopularity(
        keyCount: Int,
        exponent: Double,
        period: Int,
        requestCount: Int,
        seed: UInt64
    ) -> Trace {
        var generator = SplitMix64(seed: seed)
        let sampler = ZipfSampler(elementCount: keyCount, exponent: exponent)
        var keys = [Int]()
        keys.reserveCapacity(requestCount)
        for request in 0..<requestCount {
            keys.append(request / period * keyCount + sampler.next(using: &generator) - 1)
        }
        return Trace(keys: keys, isMeasured: nil, keySpace: (requestCount / period + 1) * keyCount)
    }

    /// The keys `0..<length` requested in order, over and over, `requestCount` requests in all: a
    /// loop a little larger than the cache defeats LRU (every request misses).
    static func loop(length: Int, requestCount: Int) -> Trace {
        Trace(keys: (0..<requestCount).map { $0 % length }, isMeasured: nil, keySpace: length)
    }
}
