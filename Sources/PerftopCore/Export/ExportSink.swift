import Foundation
import Synchronization

/// Where an export goes: standard output, or a file that appears only complete.
///
/// Every ``write(_:)`` is one write(2) call (repeated only if the kernel accepts part of it), and
/// callers write whole rounds, so standard output always ends at a line boundary.
///
/// A file is written atomically: rows go to a temporary file next to it, named
/// `.NAME.perftop-PID.partial`, and ``finish()`` flushes it to disk (fsync) and renames it over
/// `NAME`. Until then `NAME` keeps what it held before (or does not exist), so a crash, a kill or a
/// full disk never leaves half a line, or half an export, under that name; a crash leaves the
/// temporary file behind, with every round written before it. A sink released without
/// ``finish()`` (the export failed) removes its temporary file.
///
/// Writes from several tasks at once are not ordered; an export writes from one task.
public final class ExportSink: Sendable {
    private let descriptor: Int32
    private let temporaryPath: String?
    /// Whether ``finish()`` renamed the temporary file into place.
    private let finished = Mutex(false)
    /// Where the export goes, for error messages: a path or `standard output`.
    public let destination: String

    /// A sink writing to standard output.
    public static func standardOutput() -> ExportSink {
        ExportSink(descriptor: STDOUT_FILENO, temporaryPath: nil, destination: "standard output")
    }

    /// A sink that replaces the file at `path` when the export finishes.
    ///
    /// The temporary file is created now, so a directory that does not exist or cannot be written
    /// is reported before anything is collected.
    ///
    /// - Throws: ``ExportError`` naming the path and the system's reason.
    public static func file(atPath path: String) throws -> ExportSink {
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            throw ExportError("cannot write \(path): it is a directory")
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporaryPath = directory + "/." + url.lastPathComponent + ".perftop-\(getpid()).partial"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ExportError("cannot write \(path): \(Self.systemReason())")
        }
        return ExportSink(descriptor: descriptor, temporaryPath: temporaryPath, destination: path)
    }

    private init(descriptor: Int32, temporaryPath: String?, destination: String) {
        self.descriptor = descriptor
        self.temporaryPath = temporaryPath
        self.destination = destination
    }

    deinit {
        if let temporaryPath = self.temporaryPath {
            close(self.descriptor)
            if !self.finished.withLock({ $0 }) {
                unlink(temporaryPath)
            }
        }
    }

    /// Writes `text` in full with one write(2) call, unless the kernel accepts only part of it.
    ///
    /// - Throws: ``ExportError`` when the system refuses the write (disk full, closed pipe).
    public func write(_ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(self.descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR {
                    continue
                }
                throw ExportError("cannot write \(self.destination): \(Self.systemReason())")
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Ends the export: for a file, flushes the temporary file to disk and renames it over the
    /// destination, then flushes the directory so the rename survives a power loss. Nothing for
    /// standard output. Call it once, after the last write.
    ///
    /// - Throws: ``ExportError`` when the flush or the rename fails; the destination is then unchanged.
    public func finish() throws {
        guard let temporaryPath = self.temporaryPath, !self.finished.withLock({ $0 }) else {
            return
        }
        guard fsync(self.descriptor) == 0, rename(temporaryPath, self.destination) == 0 else {
            throw ExportError("cannot write \(self.destination): \(Self.systemReason())")
        }
        self.finished.withLock { $0 = true }
        let directory = open(URL(fileURLWithPath: temporaryPath).deletingLastPathComponent().path, O_RDONLY)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    private static func systemReason() -> String {
        String(cString: strerror(errno))
    }
}

/// An export could not be written; the description names the destination and the reason.
public struct ExportError: Error, CustomStringConvertible {
    /// The destination and the reason, e.g. `cannot write out.csv: No space left on device`.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
