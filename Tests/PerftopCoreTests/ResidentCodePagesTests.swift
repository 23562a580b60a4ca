import Testing

@testable import PerftopCore

@Suite("Dropping the resident pages of read-only file mappings")
struct ResidentCodePagesTests {
    /// Six mappings as `/proc/PID/smaps` lists them (fields cut to the ones read): the binary's code,
    /// its relocated constants (anonymous pages), its data, the heap, a library's code with a space
    /// in its path, a shared mapping and a deleted file.
    static let smaps = """
        55d8e3008000-55d8e300a000 r-xp 00000000 fe:00 254163                     /usr/bin/perftop
        Size:                  8 kB
        Rss:                   8 kB
        Anonymous:             0 kB
        VmFlags: rd ex mr mw me
        55d8e300a000-55d8e3010000 r--p 00002000 fe:00 254163                     /usr/bin/perftop
        Rss:                  24 kB
        Anonymous:            12 kB
        VmFlags: rd mr mw me
        55d8e3010000-55d8e3012000 rw-p 00008000 fe:00 254163                     /usr/bin/perftop
        Rss:                   8 kB
        Anonymous:             0 kB
        55d8e4000000-55d8e4100000 rw-p 00000000 00:00 0                          [heap]
        Rss:                 900 kB
        Anonymous:           900 kB
        7f7b581ad000-7f7b58303000 r-xp 00026000 fe:00 333151                     /opt/my libs/libc.so.6
        Rss:                1036 kB
        Anonymous:             0 kB
        7f7b58400000-7f7b58401000 r--s 00000000 fe:00 333152                     /tmp/shared
        Rss:                   4 kB
        Anonymous:             0 kB
        7f7b58500000-7f7b58501000 r--p 00000000 fe:00 333153                     /tmp/gone (deleted)
        Rss:                   4 kB
        Anonymous:             0 kB
        7f7b58600000-7f7b58610000 r--p 00000000 fe:00 333154                     /usr/lib/not-touched.so
        Rss:                   0 kB
        Anonymous:             0 kB
        7ffd1c9f0000-7ffd1c9f2000 r-xp 00000000 00:00 0                          [vdso]
        Rss:                   8 kB
        Anonymous:             0 kB

        """

    @Test("only private, read-only, file-backed mappings with resident pages and none anonymous are dropped")
    func droppable() {
        let mappings = ResidentCodePages.droppable(smaps: Self.smaps)
        #expect(
            mappings == [
                .init(
                    start: 0x55d8_e300_8000,
                    end: 0x55d8_e300_a000,
                    residentBytes: 8 * 1024,
                    path: "/usr/bin/perftop"
                ),
                .init(
                    start: 0x7f7b_581a_d000,
                    end: 0x7f7b_5830_3000,
                    residentBytes: 1036 * 1024,
                    path: "/opt/my libs/libc.so.6"
                ),
            ]
        )
    }

    @Test("an entry without its Anonymous line is not dropped, nor is the entry after it mistaken for it")
    func truncatedEntry() {
        let smaps = """
            7f00-7f10 r-xp 00000000 fe:00 1 /usr/lib/a.so
            Rss:                   8 kB
            55d8e4000000-55d8e4100000 rw-p 00000000 00:00 0                          [heap]
            Rss:                 900 kB
            Anonymous:             0 kB
            not a header at all
            Anonymous:             0 kB
            """
        #expect(ResidentCodePages.droppable(smaps: smaps).isEmpty)
    }

    @Test("this test process gives back resident code pages and goes on running the code it dropped")
    func releaseInThisProcess() throws {
        #if os(Linux)
            let released = try #require(ResidentCodePages.release())
            #expect(released > 0)
            // Code just dropped runs again: the parser, and the release itself a second time.
            #expect(ResidentCodePages.droppable(smaps: Self.smaps).count == 2)
            #expect(ResidentCodePages.release() != nil)
        #endif
    }
}
