import CPerfKitSystem
import Testing

@testable import PerftopCore

@Suite("glibc's malloc arenas")
struct MallocArenasTests {
    @Test("the cap is set on glibc (a sanitizer's malloc, replacing glibc's, may refuse it)")
    func limit() {
        #if canImport(Glibc)
            // Eight, the default for one core: the cap holds for the rest of this test process.
            #expect(MallocArenas.limit(to: 8) || perfkit_malloc_is_replaced_by_sanitizer() == 1)
        #endif
    }
}
