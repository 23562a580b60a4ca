import FuzzSupport
import PerfKit
import PerftopCore

/// A Redis server's answer to a poll (`AUTH` then `INFO all`, or `INFO all` alone) through the framing
/// and ``RedisFeed/samples(answer:replies:)``: whatever the server sends, no crash, a whole answer is
/// read, and every sample is finite.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let answer = Array(Fuzz.bytes(data, size))
    for replies in 1...2 {
        guard let whole = try? RedisFeed.isWhole(answer, replies: replies) else {
            continue
        }
        if let samples = try? RedisFeed.samples(answer: answer, replies: replies) {
            Fuzz.check(whole, "samples from an answer the framing calls incomplete")
            Fuzz.check(samples.allSatisfy { $0.value.isFinite }, "a sample that is not finite")
        }
    }
    return 0
}
