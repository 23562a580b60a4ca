import Foundation
import FuzzSupport
import PerfKit
import PerftopCore

/// Any JSON an HTTP endpoint serves, through ``JSONMetricsFlattener`` with small limits (so they are reached).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let flattener = JSONMetricsFlattener(maximumSamples: 200, maximumDepth: 16)
    let samples: [Sample]
    do {
        samples = try flattener.flatten(Data(Fuzz.bytes(data, size)))
    } catch {
        return 0
    }
    Fuzz.check(samples.count <= flattener.maximumSamples, "\(samples.count) samples over the limit")
    Fuzz.check(Set(samples.map(\.name)).count == samples.count, "a name twice")
    for sample in samples {
        Fuzz.check(Fuzz.isMetricName(sample.name), "metric name \(sample.name.debugDescription)")
        Fuzz.check(sample.labels.isEmpty, "labels on \(sample.name)")
    }
    return 0
}
