import FuzzSupport
import PerfKit

/// `/proc/PID/stat` and `/proc/PID/status` through ``ProcessStatistics/parse(stat:status:)``; a process may name
/// itself anything, so its `stat` line is outside input. The input is `stat`, a NUL byte, then `status`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Fuzz.bytes(data, size)
    let split = input.firstIndex(of: 0) ?? input.endIndex
    let stat = String(decoding: input[..<split], as: UTF8.self)
    let status = String(decoding: input[min(split + 1, input.endIndex)...], as: UTF8.self)
    guard let statistics = try? ProcessStatistics.parse(stat: stat, status: status) else {
        return 0
    }
    Fuzz.check(statistics.userCPUSeconds >= 0 && statistics.systemCPUSeconds >= 0, "negative CPU time")
    Fuzz.check(statistics.threads >= 0, "negative thread count")
    return 0
}
