import PerfKit
import PerfKitTestKit
import Testing

@Suite struct AllocationSampleSourceTests {
    @Test func samplesCarryTheStatisticsAndTheirSource() {
        let statistics = AllocationStatistics(arenaBytes: 1_000, freeBytes: 300, mmappedBytes: 5_000)

        let collected = AllocationSampleSource.samples(from: statistics)

        #expect(samples(named: "process_heap_in_use_bytes", in: collected)[[:]]?.value == 5_700)
        #expect(samples(named: "process_heap_arena_bytes", in: collected)[[:]]?.value == 1_000)
        #expect(samples(named: "process_heap_mmapped_bytes", in: collected)[[:]]?.value == 5_000)
        #expect(samples(named: "process_heap_free_bytes", in: collected)[[:]]?.value == 300)
        #expect(collected.allSatisfy { $0.kind == .gauge })
        let info = samples(named: "perfkit_allocation_counters_info", in: collected)
        #expect(info[["source": AllocationSampleSource.counterSource]]?.value == 1)
    }

    #if canImport(Glibc)
        @Test(
            .enabled(if: AllocationStatistics.read() != nil, "no heap figures: no mallinfo2, or a sanitizer's malloc")
        )
        func theProcessHeapIsReported() throws {
            let collected = AllocationSampleSource().collectSamples()

            let inUse = try #require(samples(named: "process_heap_in_use_bytes", in: collected)[[:]])
            let arena = try #require(samples(named: "process_heap_arena_bytes", in: collected)[[:]])
            #expect(inUse.kind == .gauge && inUse.value > 0)
            #expect(arena.kind == .gauge && arena.value > 0)
            #expect(samples(named: "process_heap_mmapped_bytes", in: collected).count == 1)
            #expect(samples(named: "process_heap_free_bytes", in: collected).count == 1)
            let info = samples(named: "perfkit_allocation_counters_info", in: collected)
            #expect(info[["source": "mallinfo2"]]?.value == 1)
        }
    #endif
}
