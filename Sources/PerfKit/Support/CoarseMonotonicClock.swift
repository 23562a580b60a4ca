#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A monotonic time source that is cheap to read and coarse: Linux's `CLOCK_MONOTONIC_COARSE`
/// (a few nanoseconds through the vDSO, resolution of one kernel tick, 1–4 ms), or the plain
/// monotonic clock elsewhere.
///
/// For deciding which sub-window a recording belongs to, where a tick of error does not matter and a
/// precise clock read would double the cost of recording.
enum CoarseMonotonicClock {
    /// Nanoseconds since an arbitrary fixed point in the past.
    @Sendable static func nanoseconds() -> Int64 {
        var time = timespec()
        #if os(Linux)
            clock_gettime(CLOCK_MONOTONIC_COARSE, &time)
        #else
            clock_gettime(CLOCK_MONOTONIC, &time)
        #endif
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
