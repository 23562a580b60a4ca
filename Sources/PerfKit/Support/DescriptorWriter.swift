#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes whole texts to a file descriptor with write(2), repeating partial and interrupted writes:
/// standard output and standard error without Foundation's `FileHandle` (perftop links
/// FoundationEssentials only). A text goes out in one call unless the kernel takes only part of it,
/// so whole lines stay whole. Cost: one write(2) per text, more only for a partial write.
package enum DescriptorWriter {
    /// Writes `text` to `descriptor`; returns nil, or the `errno` of the write that failed (a closed
    /// pipe, a full disk).
    @discardableResult
    package static func write(_ text: String, to descriptor: Int32) -> Int32? {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR {
                    continue
                }
                return errno
            }
            bytes = bytes.dropFirst(written)
        }
        return nil
    }
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
