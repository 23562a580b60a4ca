import FoundationEssentials
import FuzzSupport
import PerfKit
import PerftopCore

/// A `--record` file as `perftop replay` reads it, plain JSON lines or gzip members: no crash, the
/// text inflated never past the bound, every sample kept within the bounds a live poll checks, and
/// the first damage named on one safe line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var contents = RecordReader.nothingRead
    RecordReader.read(file: Data(Fuzz.bytes(data, size)), path: "fuzz.jsonl", into: &contents)
    for round in contents.rounds {
        for source in round.sources {
            Fuzz.check(SampleLimits().violation(in: source.samples) == nil, "a sample over the limits was kept")
        }
    }
    if let damage = contents.firstDamage {
        Fuzz.check(Fuzz.isOneSafeLine(damage, maximumLength: 2_000), "the damage is not one safe line: \(damage)")
        Fuzz.check(contents.damagedLines > 0, "a damage named but none counted")
    }
    return 0
}
