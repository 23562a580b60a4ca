import Foundation

/// Where an export goes: standard output or a file, written a whole round at a time.
///
/// Each ``write(_:)`` is one write(2) call per round (repeated only if the kernel accepts part of
/// it), so an interrupted export ends at a line boundary rather than in the middle of a row.
public final class ExportSink: Sendable {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Where the export goes, for error messages: a path or `standard output`.
    public let destination: String

    /// A sink writing to standard output.
    public static func standardOutput() -> ExportSink {
        ExportSink(descriptor: STDOUT_FILENO, ownsDescriptor: false, destination: "standard output")
    }

    /// A sink that creates or truncates the file at `path`.
    ///
    /// - Throws: ``ExportError`` naming the path and the system's reason.
    public static func file(atPath path: String) throws -> ExportSink {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ExportError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return ExportSink(descriptor: descriptor, ownsDescriptor: true, destination: path)
    }

    private init(descriptor: Int32, ownsDescriptor: Bool, destination: String) {
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        self.destination = destination
    }

    deinit {
        if self.ownsDescriptor {
            close(self.descriptor)
        }
    }

    /// Writes `text` in full.
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
                throw ExportError("cannot write \(self.destination): \(String(cString: strerror(errno)))")
            }
            bytes = bytes.dropFirst(written)
        }
    }
}

/// An export could not be written; the description names the destination and the reason.
public struct ExportError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
