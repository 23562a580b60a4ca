import PerfKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Keeps a record of every round while the dashboard or an export runs (`--record FILE`): each
/// round appended to the file in the JSON-lines export format (``JSONLinesExporter``), with one
/// `write` per round, so a crash loses at most the round being written and never leaves a line
/// half-written in the middle of the file.
///
/// Bounded: when the next round would take the file past ``maximumBytes``, the file is rotated as
/// logrotate does (`FILE` becomes `FILE.1`, `FILE.1` becomes `FILE.2`, …), keeping ``keep`` old
/// files and deleting the oldest; so the record never takes more than (keep + 1) × maximumBytes
/// (plus one round). Every file starts with a whole round. Thread-safe.
///
/// Compressed (``isCompressed``, `--record FILE.gz`): each round's lines are written as one gzip
/// member (``Gzip``), still with one `write`, so the file is a valid gzip stream after every round
/// (`zcat FILE.gz` reads it) and a crash cuts at most the last member, which the replay names and
/// skips. The size bound counts compressed bytes.
public final class Recorder: Sendable {
    /// The file rounds are appended to.
    public let path: String
    /// The size past which the file is rotated, in bytes.
    public let maximumBytes: Int
    /// The rotated files kept besides `path`: `path.1` (the newest) to `path.keep`.
    public let keep: Int
    /// Whether each round is written gzip-compressed.
    public let isCompressed: Bool

    /// The default of ``maximumBytes``: 100 MiB.
    public static let defaultMaximumBytes = 100 << 20
    /// The default of ``keep``: 3.
    public static let defaultKeep = 3

    /// The open file and its size.
    private struct State {
        var descriptor: Int32
        var size: Int
    }

    private let state: Mutex<State?>
    private let exporter = JSONLinesExporter()

    /// Opens `path` for appending (creating it, mode 0600, if need be).
    ///
    /// - Parameters:
    ///   - path: the record's file.
    ///   - maximumBytes: the size past which it is rotated; at least 1.
    ///   - keep: the rotated files kept; 0 keeps none (the file is started again).
    ///   - compressed: whether each round is written as a gzip member.
    /// - Throws: ``RecordError`` naming the file and the reason, e.g. `/x/r.jsonl: no such file or directory`.
    public init(
        path: String,
        maximumBytes: Int = Recorder.defaultMaximumBytes,
        keep: Int = Recorder.defaultKeep,
        compressed: Bool = false
    ) throws(RecordError) {
        self.path = path
        self.maximumBytes = max(1, maximumBytes)
        self.keep = max(0, keep)
        self.isCompressed = compressed
        self.state = Mutex(try Self.open(path))
    }

    deinit {
        self.close()
    }

    /// Appends `round`'s lines, rotating first when they would take the file past ``maximumBytes``.
    ///
    /// Cost: the export's formatting (linear in the round's samples), the compression if any, and one
    /// `write`; a rotation adds `keep` renames.
    /// - Throws: ``RecordError`` when the file cannot be written or rotated (e.g. the disk is full);
    ///   the record then stops: later calls throw without writing.
    public func record(_ round: Collector.Round) throws(RecordError) {
        let text = Array(self.exporter.rows(for: round).utf8)
        guard !text.isEmpty else {
            return
        }
        let bytes = self.isCompressed ? Gzip.compress(text) : text
        guard !bytes.isEmpty else {
            throw RecordError(path: self.path, reason: "cannot compress: out of memory")
        }
        try self.state.withLockedValue { (state) throws(RecordError) in
            guard var open = state else {
                throw RecordError(path: self.path, reason: "the record was stopped by an earlier error")
            }
            do throws(RecordError) {
                if open.size > 0, open.size + bytes.count > self.maximumBytes {
                    systemClose(open.descriptor)
                    state = nil
                    try self.rotate()
                    open = try Self.open(self.path)
                    state = open
                }
                try Self.write(bytes, to: open.descriptor, path: self.path)
                open.size += bytes.count
                state = open
            } catch {
                if let descriptor = state?.descriptor {
                    systemClose(descriptor)
                }
                state = nil
                throw error
            }
        }
    }

    /// Closes the file; later ``record(_:)`` calls throw. Idempotent.
    public func close() {
        self.state.withLockedValue { state in
            if let descriptor = state?.descriptor {
                systemClose(descriptor)
            }
            state = nil
        }
    }

    /// Reads a size such as `100MiB`, `10MB`, `512KiB` or `1048576` (bytes); nil for anything else
    /// or a size under one byte.
    public static func size(parsing text: String) -> Int? {
        let trimmed = text.filter { $0 != " " }
        let number = trimmed.prefix { $0.isNumber || $0 == "." }
        let symbol = String(trimmed.dropFirst(number.count))
        guard let amount = Double(number), let unit = TrackerUnit(symbol: symbol),
            unit == .none || unit.kind == .bytes
        else {
            return nil
        }
        let bytes = unit.baseValue(amount)
        return bytes >= 1 && bytes < Double(Int.max) ? Int(bytes) : nil
    }

    // MARK: - Files

    /// `path.(keep-1)` → `path.keep`, …, `path` → `path.1`; the oldest beyond `keep` is deleted.
    private func rotate() throws(RecordError) {
        guard self.keep > 0 else {
            if unlink(self.path) != 0, errno != ENOENT {
                throw RecordError(path: self.path, errno: errno)
            }
            return
        }
        unlink(self.path + ".\(self.keep)")
        for index in stride(from: self.keep - 1, through: 1, by: -1) {
            rename(self.path + ".\(index)", self.path + ".\(index + 1)")
        }
        if rename(self.path, self.path + ".1") != 0, errno != ENOENT {
            throw RecordError(path: self.path, errno: errno)
        }
    }

    private static func open(_ path: String) throws(RecordError) -> State {
        let descriptor = systemOpen(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw RecordError(path: path, errno: errno)
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            systemClose(descriptor)
            throw RecordError(path: path, errno: code)
        }
        return State(descriptor: descriptor, size: Int(status.st_size))
    }

    private static func write(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(RecordError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                systemWrite(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR {
                    continue
                }
                throw RecordError(path: path, errno: errno)
            }
            written += count
        }
    }
}

/// Why a record could not be kept: the file and the reason, one line.
public struct RecordError: Error, Equatable, CustomStringConvertible {
    /// `/x/r.jsonl: no space left on device`.
    public let description: String

    /// An error naming `path` and `reason`.
    public init(path: String, reason: String) {
        self.description = SafeText.escaped(path) + ": " + reason
    }

    /// An error naming `path` and the reason an `errno` gives.
    init(path: String, errno code: Int32) {
        self.init(path: path, reason: ProcFile.describe(errno: code))
    }
}

// The C library's functions, named apart from this file's methods of the same names.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    open(path, flags, mode)
}

private func systemClose(_ descriptor: Int32) {
    close(descriptor)
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
