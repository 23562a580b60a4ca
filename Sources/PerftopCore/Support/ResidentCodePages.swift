import PerfKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Lets go of the resident pages of this process's read-only file mappings (its own code and the
/// libraries' code and constants), so that only the pages it goes on running stay resident.
///
/// Starting perftop touches far more code than a round does: argument parsing, the config, the
/// feeds' setup, the first frames. The kernel maps file-backed code around every page touched, so
/// after startup the perftop binary alone had 11.2 MiB resident of which 2.4 MiB were used again in
/// the next ten seconds (`Referenced:` in `/proc/self/smaps` after `clear_refs`). Called once the
/// dashboard runs, ``release()`` drops those mappings; the pages that are used again come back on
/// first touch as minor faults from the page cache (nothing is read from disk, nothing is lost:
/// a mapping is only dropped when it is private, not writable and holds no page of its own, so its
/// content is exactly the file's). docs/performance.md ("Memory") has the figures.
public enum ResidentCodePages {
    /// A mapping ``release()`` may drop: its address range and how much of it was resident.
    public struct Mapping: Sendable, Equatable {
        /// The first address.
        public var start: UInt
        /// One past the last address.
        public var end: UInt
        /// The resident size in bytes when `/proc/self/smaps` was read.
        public var residentBytes: Int
        /// The mapped file.
        public var path: String

        /// Creates a mapping.
        public init(start: UInt, end: UInt, residentBytes: Int, path: String) {
            self.start = start
            self.end = end
            self.residentBytes = residentBytes
            self.path = path
        }
    }

    /// The largest `/proc/self/smaps` read: 8 MiB (perftop's holds about 300 mappings, 150 KiB).
    static let smapsLimit = 8 << 20

    /// Drops every mapping of ``droppable(smaps:)`` in this process and returns the bytes that were
    /// resident in them, or `nil` where `/proc/self/smaps` cannot be read (not Linux, or no `/proc`).
    ///
    /// Cost: one read of `/proc/self/smaps` and one `madvise(MADV_DONTNEED)` per mapping, about a
    /// millisecond; the pages used again then cost a minor fault each, once.
    @discardableResult
    public static func release() -> Int? {
        #if os(Linux)
            guard let smaps = try? ProcFile.read("/proc/self/smaps", limit: Self.smapsLimit) else {
                return nil
            }
            var released = 0
            for mapping in Self.droppable(smaps: smaps) {
                let length = Int(mapping.end - mapping.start)
                if let address = UnsafeMutableRawPointer(bitPattern: mapping.start),
                    madvise(address, length, MADV_DONTNEED) == 0
                {
                    released += mapping.residentBytes
                }
            }
            return released
        #else
            return nil
        #endif
    }

    /// The mappings of `smaps` (the text of `/proc/PID/smaps`) that can be dropped without losing
    /// anything: backed by a file, private, not writable, with some pages resident and none of
    /// them anonymous (a page written since it was mapped, such as a relocated constant, would go
    /// back to the file's content if dropped). Entries it cannot read are left out.
    public static func droppable(smaps: String) -> [Mapping] {
        var mappings: [Mapping] = []
        var candidate: Mapping?
        var resident: Int?
        for line in smaps.split(separator: "\n", omittingEmptySubsequences: true) {
            if Self.isHeader(line) {
                candidate = Self.header(line)
                resident = nil
            } else if line.hasPrefix("Rss:") {
                resident = Self.kilobytes(line).map { $0 * 1024 }
            } else if line.hasPrefix("Anonymous:"), var mapping = candidate {
                candidate = nil
                guard Self.kilobytes(line) == 0, let resident, resident > 0 else {
                    continue
                }
                mapping.residentBytes = resident
                mappings.append(mapping)
            }
        }
        return mappings
    }

    /// Whether `line` starts a mapping's entry (its first word is an address range, where a field
    /// line's is a name and a colon).
    private static func isHeader(_ line: Substring) -> Bool {
        guard let first = line.split(separator: " ", maxSplits: 1).first else {
            return false
        }
        return !first.hasSuffix(":")
    }

    /// The mapping a header line such as `7f12-7f34 r-xp 00000000 fd:01 1234  /usr/bin/perftop`
    /// describes if it is private, readable, not writable and backed by a file; `nil` for any other.
    private static func header(_ line: Substring) -> Mapping? {
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count == 6 else {
            return nil
        }
        let range = fields[0].split(separator: "-")
        let permissions = Array(fields[1].utf8)
        guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16),
            start < end, permissions.count == 4
        else {
            return nil
        }
        let path = fields[5].drop { $0 == " " }
        guard permissions[0] == UInt8(ascii: "r"), permissions[1] == UInt8(ascii: "-"),
            permissions[3] == UInt8(ascii: "p"), path.hasPrefix("/"), !path.hasSuffix(" (deleted)")
        else {
            return nil
        }
        return Mapping(start: start, end: end, residentBytes: 0, path: String(path))
    }

    /// The number of a field line such as `Rss:  1234 kB`.
    private static func kilobytes(_ line: Substring) -> Int? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 3, fields[2] == "kB" else {
            return nil
        }
        return Int(fields[1])
    }
}
