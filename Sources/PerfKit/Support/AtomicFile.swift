import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file that replaces another atomically: bytes go to a new temporary file next to the
/// destination, and ``commit()`` flushes it to disk and renames it over the destination, so a
/// reader, a crash, a kill or a full disk only ever leave the old file or the new one, complete.
///
/// The temporary file cannot be planted or hijacked: its name is unpredictable
/// (`.NAME.<16 random hex digits>.<suffix>`) and it is created with `O_CREAT | O_EXCL | O_NOFOLLOW`
/// and mode 0600, so a symlink or a file someone placed at that name is never followed or
/// truncated. On commit it takes the mode of the file it replaces (and, when perftop runs as root,
/// its owner), or for a new file the mode a plain create would give (0666 less the umask); the
/// destination itself is replaced, not followed, when it is a symlink. A writer released without
/// ``commit()`` removes its temporary file. Shared by PerfKit's disk cache and perftop's exports,
/// config and tracker files, hence `package` access.
///
/// Writes from several tasks at once are not ordered; write from one task.
package final class AtomicFile: Sendable {
    /// The file to replace.
    package let path: String
    /// The temporary file being written.
    package let temporaryPath: String
    private let descriptor: Int32
    /// Whether ``commit()`` renamed the temporary file into place (or the writer was discarded).
    private let finished = Mutex(false)

    /// Creates the temporary file for a new version of `path`.
    ///
    /// - Parameters:
    ///   - path: The file to replace; its directory must exist.
    ///   - temporarySuffix: The temporary file's extension, e.g. for a cache to recognise and remove
    ///     leftovers of a crash.
    /// - Throws: ``AtomicFileError`` naming `path` and the system's reason.
    package init(replacing path: String, temporarySuffix: String = "partial") throws(AtomicFileError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        for _ in 0..<8 {
            let token = String(UInt64.random(in: .min ... .max), radix: 16)
            let candidate =
                (directory.isEmpty ? "" : directory + "/") + "." + name + "."
                + String(repeating: "0", count: 16 - token.count) + token + "." + temporarySuffix
            let descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if descriptor >= 0 {
                self.path = path
                self.temporaryPath = candidate
                self.descriptor = descriptor
                return
            }
            guard errno == EEXIST else {
                throw AtomicFileError(path: path, errno: errno)
            }
        }
        throw AtomicFileError(path: path, errno: EEXIST)
    }

    deinit {
        close(self.descriptor)
        if !self.finished.withLockedValue({ $0 }) {
            unlink(self.temporaryPath)
        }
    }

    /// Appends `bytes` to the temporary file, in one write(2) call unless the kernel takes only part.
    ///
    /// - Throws: ``AtomicFileError`` when the system refuses the write (disk full).
    package func write(_ bytes: some Collection<UInt8>) throws(AtomicFileError) {
        let failure: Int32? = Array(bytes).withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(self.descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR {
                        continue
                    }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure {
            throw AtomicFileError(path: self.path, errno: failure)
        }
    }

    /// Gives the temporary file the destination's mode, flushes it to disk, renames it over the
    /// destination and flushes the directory, so the rename survives a power loss. Call it once,
    /// after the last write.
    ///
    /// - Throws: ``AtomicFileError`` when the flush or the rename fails; the destination is then
    ///   unchanged and the temporary file is removed when the writer is released.
    package func commit() throws(AtomicFileError) {
        guard !self.finished.withLockedValue({ $0 }) else {
            return
        }
        var existing = stat()
        if lstat(self.path, &existing) == 0, existing.st_mode & S_IFMT == S_IFREG {
            fchmod(self.descriptor, existing.st_mode & 0o7777 & ~(S_ISUID | S_ISGID))
            if geteuid() == 0 {
                _ = fchown(self.descriptor, existing.st_uid, existing.st_gid)
            }
        } else {
            fchmod(self.descriptor, 0o666 & ~Self.umask())
        }
        guard fsync(self.descriptor) == 0, rename(self.temporaryPath, self.path) == 0 else {
            throw AtomicFileError(path: self.path, errno: errno)
        }
        self.finished.withLockedValue { $0 = true }
        let slash = self.path.lastIndex(of: "/")
        let directory = open(slash.map { String(self.path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? ".", O_RDONLY)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    /// The process's file mode creation mask, read without changing it (`umask(2)` can only set
    /// it, and another thread could create a file in between); 022 when /proc does not say.
    private static func umask() -> mode_t {
        let status = (try? ProcFile.read("/proc/self/status")) ?? ""
        for line in status.split(separator: "\n") where line.hasPrefix("Umask:") {
            if let mask = mode_t(line.dropFirst("Umask:".count).trimmingPrefix(while: \.isWhitespace), radix: 8) {
                return mask
            }
        }
        return 0o022
    }
}

/// A file could not be written atomically; the description names it and the system's reason.
package struct AtomicFileError: Error, Hashable, CustomStringConvertible {
    /// The file that was to be replaced.
    package let path: String
    /// The `errno` of the call that failed.
    package let errno: Int32

    /// `cannot write PATH: No space left on device`.
    package var description: String {
        "cannot write \(self.path): \(String(cString: strerror(self.errno)))"
    }
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
