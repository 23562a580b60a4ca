import PerfKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct AllocationStatisticsTests {
    private static let mebibyte: UInt64 = 1 << 20

    @Test func heapInUseIsArenaMinusFreePlusMmapped() {
        let statistics = AllocationStatistics(arenaBytes: 1_000, freeBytes: 300, mmappedBytes: 5_000)
        #expect(statistics.heapInUseBytes == 5_700)
        #expect(AllocationStatistics(arenaBytes: 10, freeBytes: 20, mmappedBytes: 0).heapInUseBytes == 0)
    }

    #if canImport(Glibc)
        /// Allocates 64 MiB with `malloc` and checks that the heap in use grows and shrinks by at least that.
        /// Other tests allocate and free concurrently in the same process, so a disturbed attempt is retried.
        @Test(
            .enabled(if: AllocationStatistics.read() != nil, "no heap figures: no mallinfo2, or a sanitizer's malloc")
        )
        func heapInUseFollowsAMallocAndItsFree() throws {
            let size = 64 * Self.mebibyte
            var grew = false
            var shrank = false
            for attempt in 0..<20 where !(grew && shrank) {
                if attempt > 0 {
                    usleep(50_000)  // let the other tests' allocations settle before trying again
                }
                let before = try #require(AllocationStatistics.read())
                let block = try #require(malloc(Int(size)))
                let during = try #require(AllocationStatistics.read())
                free(block)
                let after = try #require(AllocationStatistics.read())
                grew = during.heapInUseBytes >= before.heapInUseBytes + size
                shrank = during.heapInUseBytes >= after.heapInUseBytes + size
            }
            #expect(grew)
            #expect(shrank)
        }
    #endif
}
