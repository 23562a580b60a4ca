import FuzzSupport
import PerfKit
import PerftopCore

/// A memcached server's answer to `stats` through the framing and ``MemcachedFeed/samples(answer:)``:
/// no crash, and every sample is finite and not negative.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let answer = Array(Fuzz.bytes(data, size))
    _ = try? MemcachedFeed.isWhole(answer)
    if let samples = try? MemcachedFeed.samples(answer: answer) {
        Fuzz.check(samples.allSatisfy { $0.value.isFinite && $0.value >= 0 }, "a sample that is not finite or negative")
    }
    return 0
}
