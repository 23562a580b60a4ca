import FoundationEssentials
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bounded on-disk cache of `Codable` values keyed by string, that survives restarts.
///
/// Each entry is one file in ``directory``: a small header (magic, version, payload length and an FNV-1a
/// checksum) and the JSON-encoded key, value and optional source fingerprint. Writes are atomic (write a
/// temporary file, `fsync`, rename), so a reader sees the old entry or the new one, never a mix. A file
/// that is truncated, corrupted or not in this format is deleted on read and counted in
/// ``DiskCacheStats/corruptEntries``; the read is a miss, never an error or garbage.
///
/// An entry written with a `source` file records that file's modification time and size; reading it
/// after either changed (or the file vanished) deletes it and counts an invalidation.
///
/// The cache holds at most ``maxBytes`` bytes of entry files; a write that goes over the bound evicts the
/// least recently accessed entries first. Access order survives a restart: a hit sets the entry file's
/// modification time, and a new cache over the same directory orders existing entries by it.
///
/// Thread-safe: every operation holds one lock, including its file I/O, so operations on one cache run
/// one at a time. The directory belongs to the cache; files ending in `.tmp` there are deleted at start.
public final class DiskCache<Value: Codable & Sendable>: Sendable {
    /// The longest key, in UTF-8 bytes, that fits in a file name; longer keys are refused.
    public static var maximumKeyLength: Int { 120 }

    /// The cache's name, e.g. `symbols`.
    public let name: String
    /// The directory holding the entry files.
    public let directory: URL
    /// The most bytes of entry files the cache keeps; always greater than zero.
    public let maxBytes: Int

    private let state: Mutex<DiskCacheState>

    /// Opens the cache in `directory`, creating the directory if needed and indexing existing entries.
    ///
    /// Existing entries are indexed by file name and size only; their contents are checked when read.
    /// If they exceed `maxBytes`, the least recently accessed are evicted. Cost: one directory listing
    /// and one `stat` per file.
    ///
    /// - Parameters:
    ///   - name: The cache's name, e.g. `symbols`.
    ///   - directory: The directory that holds the entry files.
    ///   - maxBytes: The most bytes of entry files to keep. Must be greater than zero.
    /// - Throws: An error from the file system if the directory cannot be created or listed.
    public init(name: String, directory: URL, maxBytes: Int) throws {
        precondition(maxBytes > 0, "DiskCache maxBytes must be greater than zero, got \(maxBytes)")
        self.name = name
        self.directory = directory
        self.maxBytes = maxBytes
        let files = FileManager.default
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        var state = DiskCacheState()
        var found: [(key: String, bytes: Int, accessed: Date)] = []
        for fileName in try files.contentsOfDirectory(atPath: directory.path) {
            let url = directory.appendingPathComponent(fileName)
            if fileName.hasSuffix("." + DiskCacheFormat.temporaryExtension) {
                try? files.removeItem(at: url)
                continue
            }
            guard fileName.hasSuffix("." + DiskCacheFormat.fileExtension) else {
                continue
            }
            guard let key = DiskCacheFileName.key(fromName: fileName),
                let file = DiskCacheSource(fileAtPath: url.path)
            else {
                try? files.removeItem(at: url)
                state.corruptEntries += 1
                continue
            }
            found.append((key, Int(file.size), Date(timeIntervalSince1970: file.modificationTime)))
        }
        for entry in found.sorted(by: { $0.accessed < $1.accessed }) {
            state.insert(key: entry.key, bytes: entry.bytes)
        }
        self.state = Mutex(state)
        self.state.withLockedValue { self.evictOverflow(&$0) }
    }

    // MARK: - Reading

    /// Returns the value stored for `key`, or `nil` if there is none or the entry is no longer valid.
    ///
    /// A hit marks the entry as the most recently accessed. An entry whose file is corrupt is deleted and
    /// counted as corrupt; an entry whose source file changed or vanished is deleted and counted as an
    /// invalidation; both reads are misses. Cost: one lock, reading and checksumming the file, decoding
    /// its JSON, one `stat` of the source file if any, and one update of the file's modification time.
    public func value(forKey key: String) -> Value? {
        self.state.withLockedValue { state in
            guard state.contains(key) else {
                state.misses += 1
                return nil
            }
            let url = self.fileURL(forKey: key)
            guard let file = try? Data(contentsOf: url) else {
                state.remove(key: key)
                state.misses += 1
                return nil
            }
            guard let payload = DiskCacheFormat.payload(from: file),
                let envelope = try? JSONDecoder().decode(DiskCacheEnvelope<Value>.self, from: payload),
                envelope.key == key
            else {
                self.delete(key: key, from: &state)
                state.corruptEntries += 1
                state.misses += 1
                return nil
            }
            if let source = envelope.source, source != DiskCacheSource(fileAtPath: source.path) {
                self.delete(key: key, from: &state)
                state.invalidations += 1
                state.misses += 1
                return nil
            }
            state.hits += 1
            state.touch(key: key)
            try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: url.path)
            return envelope.value
        }
    }

    // MARK: - Writing

    /// Stores `value` for `key`, atomically replacing any existing entry, then evicts to stay in bounds.
    ///
    /// Cost: one lock, JSON encoding, writing and `fsync`-ing one file, one rename, and one `stat` of the
    /// source file if given; each eviction deletes one file after an O(entries) scan.
    ///
    /// - Parameters:
    ///   - value: The value to store.
    ///   - key: The key, at most ``maximumKeyLength`` UTF-8 bytes.
    ///   - source: A file the value was derived from; if its modification time or size changes later, the
    ///     entry is invalidated. `nil` for entries that depend on no file.
    /// - Throws: ``DiskCacheError`` if the key is too long, the entry alone exceeds ``maxBytes``, the
    ///   source file cannot be read, or the file cannot be written. The previous entry is kept then.
    public func setValue(_ value: Value, forKey key: String, source: URL? = nil) throws {
        guard key.utf8.count <= Self.maximumKeyLength else {
            throw DiskCacheError.keyTooLong(key)
        }
        var fingerprint: DiskCacheSource?
        if let source {
            guard let current = DiskCacheSource(fileAtPath: source.path) else {
                throw DiskCacheError.sourceUnreadable(path: source.path)
            }
            fingerprint = current
        }
        let payload = try JSONEncoder().encode(DiskCacheEnvelope(key: key, source: fingerprint, value: value))
        let file = DiskCacheFormat.file(payload: payload)
        guard file.count <= self.maxBytes else {
            throw DiskCacheError.entryTooLarge(bytes: file.count, maxBytes: self.maxBytes)
        }
        try self.state.withLockedValue { state in
            try self.writeAtomically(file, to: self.fileURL(forKey: key))
            state.insert(key: key, bytes: file.count)
            state.writes += 1
            self.evictOverflow(&state)
        }
    }

    /// Deletes the entry for `key`, if any. Cost: one lock and one file deletion.
    public func removeValue(forKey key: String) {
        self.state.withLockedValue { state in
            if state.contains(key) {
                self.delete(key: key, from: &state)
            }
        }
    }

    /// Deletes every entry. Counters are kept. Cost: one lock and one file deletion per entry.
    public func removeAll() {
        self.state.withLockedValue { state in
            for key in state.keys {
                self.delete(key: key, from: &state)
            }
        }
    }

    // MARK: - Statistics

    /// All counters and sizes of the cache, read together under one lock. Cost: O(1).
    public var stats: DiskCacheStats {
        self.state.withLockedValue { state in
            DiskCacheStats(
                hits: state.hits,
                misses: state.misses,
                writes: state.writes,
                evictions: state.evictions,
                invalidations: state.invalidations,
                corruptEntries: state.corruptEntries,
                entries: state.count,
                bytes: state.bytes,
                maxBytes: self.maxBytes
            )
        }
    }

    // MARK: - Files

    private func fileURL(forKey key: String) -> URL {
        self.directory.appendingPathComponent(DiskCacheFileName.name(forKey: key))
    }

    /// Deletes the file of `key` and forgets the entry; a file that is already gone is not an error.
    private func delete(key: String, from state: inout DiskCacheState) {
        try? FileManager.default.removeItem(at: self.fileURL(forKey: key))
        state.remove(key: key)
    }

    /// Evicts the least recently accessed entries until the entries fit in ``maxBytes``.
    private func evictOverflow(_ state: inout DiskCacheState) {
        while state.bytes > self.maxBytes, let victim = state.leastRecentlyAccessedKey {
            self.delete(key: victim, from: &state)
            state.evictions += 1
        }
    }

    /// Writes `data` to a temporary file next to `url`, flushes it to disk and renames it over `url`.
    private func writeAtomically(_ data: Data, to url: URL) throws {
        do {
            let file = try AtomicFile(replacing: url.path, temporarySuffix: DiskCacheFormat.temporaryExtension)
            try file.write(data)
            try file.commit()
        } catch {
            throw DiskCacheError.writeFailed(path: url.path, errno: error.errno)
        }
    }
}

// MARK: - Source fingerprint

/// The modification time and size of the file an entry was derived from, at the time it was written.
struct DiskCacheSource: Codable, Hashable, Sendable {
    var path: String
    var modificationTime: Double
    var size: Int64

    /// The file's current fingerprint (from `stat`), or `nil` if it cannot be read.
    init?(fileAtPath path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            return nil
        }
        self.path = path
        self.modificationTime = Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) * 1e-9
        self.size = Int64(status.st_size)
    }
}

// MARK: - Errors

/// Why a ``DiskCache`` could not store a value.
public struct DiskCacheError: Error, Hashable {
    /// What went wrong, with its details; private, so that a new kind of failure is not a breaking
    /// change (the swift-server convention).
    private enum Code: Sendable, Hashable {
        case keyTooLong(String)
        case entryTooLarge(bytes: Int, maxBytes: Int)
        case sourceUnreadable(path: String)
        case writeFailed(path: String, errno: Int32)
    }

    /// The kind of failure, to match on without the details: `error.kind == .keyTooLong`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        /// See ``DiskCacheError/keyTooLong(_:)``.
        public static let keyTooLong = Kind(name: "keyTooLong")
        /// See ``DiskCacheError/entryTooLarge(bytes:maxBytes:)``.
        public static let entryTooLarge = Kind(name: "entryTooLarge")
        /// See ``DiskCacheError/sourceUnreadable(path:)``.
        public static let sourceUnreadable = Kind(name: "sourceUnreadable")
        /// See ``DiskCacheError/writeFailed(path:errno:)``.
        public static let writeFailed = Kind(name: "writeFailed")

        public var description: String {
            self.name
        }
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// The key is longer than ``DiskCache/maximumKeyLength`` UTF-8 bytes.
    public static func keyTooLong(_ value: String) -> Self {
        Self(.keyTooLong(value))
    }

    /// The entry file would be larger than the cache's whole byte bound.
    public static func entryTooLarge(bytes: Int, maxBytes: Int) -> Self {
        Self(.entryTooLarge(bytes: bytes, maxBytes: maxBytes))
    }

    /// The source file given for the entry cannot be read.
    public static func sourceUnreadable(path: String) -> Self {
        Self(.sourceUnreadable(path: path))
    }

    /// Writing, flushing or renaming the entry file failed with the given `errno`.
    public static func writeFailed(path: String, errno: Int32) -> Self {
        Self(.writeFailed(path: path, errno: errno))
    }

    /// The kind of failure.
    public var kind: Kind {
        switch self.code {
        case .keyTooLong: .keyTooLong
        case .entryTooLarge: .entryTooLarge
        case .sourceUnreadable: .sourceUnreadable
        case .writeFailed: .writeFailed
        }
    }
}

// MARK: - Statistics

/// The counters and sizes of a ``DiskCache`` at one moment, all read under the same lock.
///
/// Counters are cumulative since the cache was opened; every read is exactly one hit or one miss.
public struct DiskCacheStats: Sendable, Hashable {
    /// Reads that returned a value.
    public var hits: Int
    /// Reads that returned `nil`, including reads of corrupt or invalidated entries.
    public var misses: Int
    /// Values stored.
    public var writes: Int
    /// Entries deleted to stay within the byte bound.
    public var evictions: Int
    /// Entries deleted because their source file changed or vanished.
    public var invalidations: Int
    /// Entry files found truncated, corrupted or unreadable, and deleted.
    public var corruptEntries: Int
    /// Entries in the cache.
    public var entries: Int
    /// Bytes of entry files in the cache.
    public var bytes: Int
    /// The most bytes of entry files the cache keeps.
    public var maxBytes: Int

    /// The statistics of a disk tier a ``TieredCache`` does not have: all zero.
    static let none = DiskCacheStats(
        hits: 0,
        misses: 0,
        writes: 0,
        evictions: 0,
        invalidations: 0,
        corruptEntries: 0,
        entries: 0,
        bytes: 0,
        maxBytes: 0
    )
}

// MARK: - State

/// The index of a ``DiskCache``: each key's file size and last access, plus the counters.
///
/// Only ever accessed under the cache's mutex. Access order is a counter that grows on every access.
struct DiskCacheState {
    private var entries: [String: (bytes: Int, accessed: UInt64)] = [:]
    private var accessClock: UInt64 = 0
    private(set) var bytes = 0
    var hits = 0
    var misses = 0
    var writes = 0
    var evictions = 0
    var invalidations = 0
    var corruptEntries = 0

    var count: Int {
        self.entries.count
    }

    var keys: [String] {
        Array(self.entries.keys)
    }

    func contains(_ key: String) -> Bool {
        self.entries[key] != nil
    }

    /// The key accessed longest ago, or `nil` when empty. Cost: O(entries).
    var leastRecentlyAccessedKey: String? {
        self.entries.min { $0.value.accessed < $1.value.accessed }?.key
    }

    /// Records an entry of `bytes` bytes for `key`, replacing any previous one, as the most recent.
    mutating func insert(key: String, bytes: Int) {
        self.remove(key: key)
        self.accessClock += 1
        self.entries[key] = (bytes, self.accessClock)
        self.bytes += bytes
    }

    mutating func touch(key: String) {
        self.accessClock += 1
        self.entries[key]?.accessed = self.accessClock
    }

    mutating func remove(key: String) {
        if let removed = self.entries.removeValue(forKey: key) {
            self.bytes -= removed.bytes
        }
    }
}
