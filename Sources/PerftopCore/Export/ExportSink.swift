import FoundationEssentials
import PerfKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where an export goes: standard output, or a file that appears only complete.
///
/// Every ``write(_:)`` is one write(2) call (repeated only if the kernel accepts part of it), and
/// callers write whole rounds, so standard output always ends at a line boundary.
///
/// A file is written atomically (``AtomicFile``): rows go to a new temporary file next to it, with an
/// unpredictable name (`.NAME.<random>.partial`) created with `O_EXCL | O_NOFOLLOW` and mode 0600,
/// and ``finish()`` gives it the mode of the file it replaces, flushes it to disk (fsync) and renames
/// it over `NAME`. Until then `NAME` keeps what it held before (or does not exist), so a crash, a
/// kill or a full disk never leaves half a line, or half an export, under that name, and a symlink
/// planted at the temporary name is never followed; a crash leaves the temporary file behind, with
/// every round written before it. A sink released without ``finish()`` (the export failed) removes
/// its temporary file.
///
/// Writes from several tasks at once are not ordered; an export writes from one task.
public final class ExportSink: Sendable {
    /// The file being written, or nil for standard output.
    private let file: AtomicFile?
    /// Where the export goes, for error messages: a path or `standard output`.
    public let destination: String

    /// A sink writing to standard output.
    public static func standardOutput() -> ExportSink {
        ExportSink(file: nil, destination: "standard output")
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
        do {
            return ExportSink(file: try AtomicFile(replacing: path), destination: path)
        } catch {
            throw ExportError(error.description)
        }
    }

    private init(file: AtomicFile?, destination: String) {
        self.file = file
        self.destination = destination
    }

    /// Writes `text` in full with one write(2) call, unless the kernel accepts only part of it.
    ///
    /// - Throws: ``ExportError`` when the system refuses the write (disk full, closed pipe).
    public func write(_ text: String) throws {
        guard let file = self.file else {
            if let failure = DescriptorWriter.write(text, to: STDOUT_FILENO) {
                throw ExportError("cannot write \(self.destination): \(String(cString: strerror(failure)))")
            }
            return
        }
        do {
            try file.write(text.utf8)
        } catch {
            throw ExportError(error.description)
        }
    }

    /// Ends the export: for a file, gives it the replaced file's mode, flushes it to disk and
    /// renames it over the destination (``AtomicFile/commit()``). Nothing for standard output.
    /// Call it once, after the last write.
    ///
    /// - Throws: ``ExportError`` when the flush or the rename fails; the destination is then unchanged.
    public func finish() throws {
        do {
            try self.file?.commit()
        } catch {
            throw ExportError(error.description)
        }
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
