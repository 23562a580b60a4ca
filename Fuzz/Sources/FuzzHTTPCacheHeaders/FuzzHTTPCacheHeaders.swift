import FuzzSupport
import PerfKitHTTPCache

/// What an origin sends the HTTP response cache: a `Cache-Control` value (the input's first line) and
/// an HTTP date (its second line), as `CacheControl` and `HTTPDate` read them: no crash, ages never
/// negative nor past the bound, and a date read back is within the four-digit years IMF-fixdate spells.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let lines = Fuzz.text(data, size).split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let control = CacheControl(String(lines[0]))
    for age in [control.maxAge, control.sharedMaxAge] {
        if let age {
            Fuzz.check((0...2_147_483_648).contains(age), "an age of \(age) seconds")
        }
    }
    if lines.count > 1, let seconds = HTTPDate.secondsSinceEpoch(String(lines[1])) {
        // 0000-01-01 to 9999-12-31 23:59:60 UTC (a leap second, which IMF-fixdate allows, is the last).
        Fuzz.check((-62_167_219_200...253_402_300_800).contains(seconds), "\(seconds) s is not a four-digit year")
    }
    return 0
}
