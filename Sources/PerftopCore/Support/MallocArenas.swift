import CPerfKitSystem

/// The number of heaps (arenas) glibc's malloc keeps.
///
/// glibc gives threads that allocate at the same time arenas of their own, up to eight per core,
/// and each keeps the memory freed into it. perftop's threads (the feeds' event loop, the
/// collector, the dashboard) allocate little and seldom at once, so one arena costs no waiting
/// worth measuring and keeps about 1.3 MiB less resident per arena it saves (docs/performance.md,
/// "Memory").
public enum MallocArenas {
    /// Caps the arenas at `count`; arenas already made stay. Call it before starting threads.
    ///
    /// - Returns: whether the cap was set (`false` where the C library is not glibc).
    @discardableResult
    public static func limit(to count: Int) -> Bool {
        perfkit_limit_malloc_arenas(Int32(clamping: count)) == 1
    }
}
