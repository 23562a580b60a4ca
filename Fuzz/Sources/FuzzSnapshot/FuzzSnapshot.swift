import Foundation
import FuzzSupport
import PerfKit

/// An agent's snapshot line (socket or `/perftop.json`) through ``Snapshot/decode(jsonLine:)``: what it accepts
/// has valid names and survives writing and reading again; what it refuses gets a short one-line reason.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let snapshot: Snapshot
    do {
        snapshot = try Snapshot.decode(jsonLine: Data(Fuzz.bytes(data, size)))
    } catch {
        let reason = "\(error)"
        Fuzz.check(Fuzz.isOneSafeLine(reason, maximumLength: 200), "reason \(reason.debugDescription)")
        return 0
    }
    for sample in snapshot.samples {
        Fuzz.check(Fuzz.isMetricName(sample.name), "metric name \(sample.name.debugDescription)")
        for label in sample.labels.keys {
            Fuzz.check(Fuzz.isLabelName(label), "label name \(label.debugDescription)")
        }
    }
    do {
        let line = try snapshot.jsonLine()
        let again = try Snapshot.decode(jsonLine: line).jsonLine()
        Fuzz.check(line == again, "the snapshot does not read back to itself")
    } catch {
        Fuzz.check(false, "an accepted snapshot does not read back: \(error)")
    }
    return 0
}
