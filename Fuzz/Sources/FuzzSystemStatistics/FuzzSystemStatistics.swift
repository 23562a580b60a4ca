import FuzzSupport
import PerftopCore

/// The same text as `/proc/stat`, `/proc/meminfo` and `/proc/loadavg` through ``SystemStatistics``'s three parsers
/// (procfs is trusted, but a container or a test may mount anything there).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = Fuzz.text(data, size)
    if let cpu = try? SystemStatistics.parseCPU(stat: text, clockTicksPerSecond: 100) {
        Fuzz.check(cpu.cores.allSatisfy { $0.index >= 0 }, "a negative core index")
        Fuzz.check(cpu.total.user >= 0 && cpu.total.idle >= 0, "negative CPU time")
    }
    _ = try? SystemStatistics.parseMemory(meminfo: text)
    if let load = try? SystemStatistics.parseLoadAverage(loadavg: text) {
        _ = load.one + load.five + load.fifteen
    }
    return 0
}
