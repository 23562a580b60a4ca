import FuzzSupport
import PerfKit
import PerftopCore

/// A PostgreSQL server's answer to a poll's three queries through the framing and
/// ``PostgresFeed/samples(answer:)``: messages of any type and length, data rows that lie about their
/// columns, errors; no crash, and every sample is finite.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let answer = Array(Fuzz.bytes(data, size))
    _ = try? PostgresFeed.isWhole(answer)
    if let samples = try? PostgresFeed.samples(answer: answer) {
        Fuzz.check(samples.allSatisfy { $0.value.isFinite }, "a sample that is not finite")
    }
    return 0
}
