import FuzzSupport
import PerfKit
import PerftopCore

/// A Prometheus server's answer to `/api/v1/query` or `/api/v1/query_range` through
/// ``PrometheusEngine/samples(answer:status:queries:)``, as a success and as an error status: whatever
/// the server sends, no crash, and every sample has a name and belongs to a named target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let answer = Array(Fuzz.bytes(data, size))
    for status in [200, 422] {
        guard let bySource = try? PrometheusEngine.samples(answer: answer, status: status) else {
            continue
        }
        Fuzz.check(status == 200, "samples from an error status")
        for (source, byTime) in bySource {
            Fuzz.check(!byTime.isEmpty, "a target without points: \(source)")
            Fuzz.check(byTime.values.allSatisfy { $0.allSatisfy { !$0.name.isEmpty } }, "a sample without a name")
        }
    }
    return 0
}
