import CPerfKitSystem

/// The state of the C heap (glibc's malloc) at one moment, as glibc's `mallinfo2()` reports it: bytes
/// in use, bytes held from the system and bytes free inside the heap.
///
/// | property | `mallinfo2` field |
/// |---|---|
/// | ``arenaBytes`` | `arena` |
/// | ``freeBytes`` | `fordblks` |
/// | ``mmappedBytes`` | `hblkhd` |
/// | ``heapInUseBytes`` | `uordblks + hblkhd` |
///
/// Bytes are chunk sizes, so they include malloc's per-chunk overhead and rounding; memory Swift or a
/// library obtains with `mmap` directly is not counted.
public struct AllocationStatistics: Sendable, Hashable {
    /// Bytes the heap's arenas obtained from the system (`sbrk` and arena `mmap`s), used or free.
    public var arenaBytes: UInt64
    /// Bytes free inside the arenas, ready for reuse without asking the system.
    public var freeBytes: UInt64
    /// Bytes of blocks too large for an arena, each allocated with its own `mmap`.
    public var mmappedBytes: UInt64

    /// Creates statistics from their parts.
    public init(arenaBytes: UInt64, freeBytes: UInt64, mmappedBytes: UInt64) {
        self.arenaBytes = arenaBytes
        self.freeBytes = freeBytes
        self.mmappedBytes = mmappedBytes
    }

    /// Bytes allocated and not yet freed: arena bytes in use plus mmapped blocks.
    public var heapInUseBytes: UInt64 {
        self.arenaBytes - min(self.freeBytes, self.arenaBytes) + self.mmappedBytes
    }

    // MARK: - Reading

    /// The calling process's heap statistics now, or `nil` where the C library has no `mallinfo2()`
    /// (musl in a static Linux build, glibc before 2.33, other systems) or where a sanitizer replaced
    /// `malloc` (ThreadSanitizer, AddressSanitizer), so that glibc would report a heap nobody uses.
    ///
    /// Cost: glibc takes each arena's lock in turn and walks its free lists (microseconds for a small
    /// heap, more for a fragmented one), during which allocations in the arena being walked wait. Poll
    /// it at dashboard rates (about once a second), not per operation.
    public static func read() -> AllocationStatistics? {
        var statistics = perfkit_heap_statistics()
        guard perfkit_read_heap_statistics(&statistics) == 1 else {
            return nil
        }
        return AllocationStatistics(
            arenaBytes: UInt64(statistics.arena),
            freeBytes: UInt64(statistics.free),
            mmappedBytes: UInt64(statistics.mmapped)
        )
    }
}
