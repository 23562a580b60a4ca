#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads small pseudo-files such as `/proc/stat` whole, with a size limit.
///
/// Files under `/proc` report a size of 0, so they are read until end of file rather than by size.
/// Shared by PerfKit's process statistics and PerftopCore's system feed, hence `package` access.
package enum ProcFile {
    /// The largest file ``read(_:limit:)`` accepts by default: 1 MiB, far above any file it is used on.
    package static let defaultLimit = 1 << 20

    /// Why a file could not be read.
    package enum Failure: Error, Equatable, CustomStringConvertible {
        /// `open` or `read` failed with this `errno`.
        case system(path: String, errno: Int32)
        /// The file holds more than `limit` bytes.
        case tooLarge(path: String, limit: Int)

        /// A one-line description naming the file, e.g. `/proc/stat: permission denied`.
        package var description: String {
            switch self {
            case .system(let path, let code):
                return "\(path): \(ProcFile.describe(errno: code))"
            case .tooLarge(let path, let limit):
                return "\(path): larger than \(limit) bytes"
            }
        }
    }

    /// Reads the file at `path` as UTF-8 text (invalid bytes are repaired), at most `limit` bytes.
    ///
    /// Cost: one `open`, a few `read`s of at most `limit` + 1 bytes in all (a pipe or a device that never
    /// ends is not read further), and one `close`; blocking, so call it off the cooperative pool.
    package static func read(_ path: String, limit: Int = ProcFile.defaultLimit) throws(Failure) -> String {
        String(decoding: try Self.bytes(path, limit: limit), as: UTF8.self)
    }

    /// The bytes of the file at `path`, at most `limit` of them; the cost of ``read(_:limit:)``.
    package static func bytes(_ path: String, limit: Int = ProcFile.defaultLimit) throws(Failure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .system(path: path, errno: errno)
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            // One byte past the limit is enough to know the file is too large.
            let wanted = min(chunk.count, limit + 1 - bytes.count)
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, wanted) }
            if count < 0 {
                if errno == EINTR {
                    continue
                }
                throw .system(path: path, errno: errno)
            }
            if count == 0 {
                break
            }
            guard bytes.count + count <= limit else {
                throw .tooLarge(path: path, limit: limit)
            }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// The lower-case text of an `errno`, e.g. `no such file or directory`.
    package static func describe(errno code: Int32) -> String {
        guard let text = strerror(code) else {
            return "error \(code)"
        }
        let message = String(cString: text)
        guard let first = message.first else {
            return "error \(code)"
        }
        return first.lowercased() + message.dropFirst()
    }
}

// MARK: - System calls

/// `read(2)`, under a name that the static ``ProcFile/read(_:limit:)`` does not shadow.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
