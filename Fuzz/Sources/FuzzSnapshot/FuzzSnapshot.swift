import Foundation
import FuzzSupport
import PerfKit

/// A demo-shaped line whose sample identities an input is read after.
private let previousIdentities: SnapshotIdentities = {
    let samples = [
        Sample(name: "cache_hits_total", labels: ["cache": "users"], kind: .counter, value: 12),
        Sample(name: "cache_size", labels: ["cache": "users"], kind: .gauge, value: 3),
        Sample(name: "op_seconds", labels: ["op": "get", "quantile": "0.95"], kind: .summary, value: 0.002),
    ]
    var identities = SnapshotIdentities()
    _ = try? Snapshot.decode(
        jsonBytes: Array(Snapshot(agent: "demo", pid: 1, timestamp: 0, samples: samples).jsonLine()),
        identities: &identities
    )
    return identities
}()

/// What decoding `bytes` gives: the line the snapshot writes, or the reason it failed.
private func outcome(_ bytes: [UInt8], identities: inout SnapshotIdentities) -> String {
    do {
        return String(
            decoding: try Snapshot.decode(jsonBytes: bytes, identities: &identities).jsonLine(),
            as: UTF8.self
        )
    } catch {
        return "error: \(error)"
    }
}

/// An agent's snapshot line (socket or `/perftop.json`) through ``Snapshot/decode(jsonLine:)``: what it accepts
/// has valid names and survives writing and reading again; what it refuses gets a short one-line reason. Read
/// after a demo-shaped line's identities, and again after its own (twice: the second time with the identities
/// a line that repeats every sample keeps), it decodes to the same (SnapshotIdentities).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(Fuzz.bytes(data, size))
    var fresh = SnapshotIdentities()
    let alone = outcome(bytes, identities: &fresh)
    var previous = previousIdentities
    Fuzz.check(outcome(bytes, identities: &previous) == alone, "the line reads otherwise after a demo line")
    Fuzz.check(outcome(bytes, identities: &fresh) == alone, "the line reads otherwise after itself")
    Fuzz.check(outcome(bytes, identities: &fresh) == alone, "the line reads otherwise after itself twice")
    Fuzz.check(
        outcome(bytes, identities: &previous) == alone,
        "the line reads otherwise after itself after a demo line"
    )
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
