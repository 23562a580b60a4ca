import PerfKit

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The file-system side of an agent socket: checking what is at its path, publishing it with mode
/// 0600 by rename(2), and removing it only while it is still ours.
enum AgentSocketFile {
    /// The device and inode of a socket file, to recognise it later.
    struct Identity: Sendable, Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// A private directory (mode 0700) next to the final path, in which the socket is bound first so
    /// that nobody else can connect to it before its mode is 0600.
    struct Staging: Sendable {
        var directory: String
        var socketPath: String

        /// Removes the temporary socket, if still there, and the directory.
        func remove() {
            unlink(self.socketPath)
            rmdir(self.directory)
        }
    }

    /// The longest path a `sockaddr_un` holds, without the terminating zero.
    static var maxPathBytes: Int {
        MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1
    }

    /// Creates the staging directory for a socket to be published at `path`.
    static func makeStaging(for path: String) throws -> Staging {
        let directory = Self.directory(of: path)
        let template = directory + "/.perfkit-XXXXXX"
        let socketSuffix = "/s"
        let longest = max(path.utf8.count, template.utf8.count + socketSuffix.utf8.count)
        guard longest <= Self.maxPathBytes else {
            throw AgentServerError.pathTooLong(
                path: path,
                bytes: path.utf8.count,
                limit: Self.maxPathBytes - (longest - path.utf8.count)
            )
        }
        var templateBytes = Array(template.utf8CString)
        let created = templateBytes.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard created != nil else {
            throw AgentServerError.systemCallFailed(
                path: path,
                operation: "create a temporary directory for",
                reason: Self.lastError()
            )
        }
        let stagingDirectory = String(decoding: templateBytes.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Staging(directory: stagingDirectory, socketPath: stagingDirectory + socketSuffix)
    }

    /// Sets the bound socket at `staged` to mode 0600 and renames it onto `path`.
    ///
    /// Refuses, leaving `path` untouched, when something other than a socket is there or when a process
    /// accepts connections on the socket there; replaces a stale socket.
    static func publish(_ staged: String, at path: String) throws -> Identity {
        guard chmod(staged, 0o600) == 0 else {
            throw AgentServerError.systemCallFailed(path: path, operation: "set the mode of", reason: Self.lastError())
        }
        var status = stat()
        guard lstat(staged, &status) == 0 else {
            throw AgentServerError.systemCallFailed(path: path, operation: "inspect", reason: Self.lastError())
        }
        let identity = Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
        try Self.checkReplaceable(path)
        guard rename(staged, path) == 0 else {
            throw AgentServerError.systemCallFailed(path: path, operation: "rename onto", reason: Self.lastError())
        }
        return identity
    }

    /// Unlinks the socket at `path` if it is still the one with `identity`.
    static func removeIfOwned(_ path: String, identity: Identity) throws {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            return
        }
        guard Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino)) == identity else {
            return
        }
        guard unlink(path) == 0 || errno == ENOENT else {
            throw AgentServerError.systemCallFailed(path: path, operation: "remove", reason: Self.lastError())
        }
    }

    // MARK: - Checking the path

    /// Returns if nothing or a stale socket is at `path`; throws otherwise.
    private static func checkReplaceable(_ path: String) throws {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            if errno == ENOENT {
                return
            }
            throw AgentServerError.systemCallFailed(path: path, operation: "inspect", reason: Self.lastError())
        }
        let type = status.st_mode & mode_t(S_IFMT)
        guard type == mode_t(S_IFSOCK) else {
            throw AgentServerError.notASocket(path: path, found: Self.describe(fileType: type))
        }
        let code = Self.connectError(path)
        switch code {
        case ECONNREFUSED, ENOENT:
            return
        case 0, EAGAIN, EINPROGRESS:
            throw AgentServerError.alreadyInUse(path: path)
        default:
            throw AgentServerError.systemCallFailed(
                path: path,
                operation: "probe the existing",
                reason: String(cString: strerror(code))
            )
        }
    }

    /// Tries a non-blocking connection to the socket at `path`; returns 0 or the `errno` of the failure.
    ///
    /// On a Unix socket this never waits: a listener accepts or, with a full backlog, reports `EAGAIN`;
    /// a socket nobody listens on refuses.
    private static func connectError(_ path: String) -> Int32 {
        #if canImport(Glibc)
            let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
            let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else {
            return errno
        }
        defer { close(descriptor) }
        guard fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL, 0) | O_NONBLOCK) == 0 else {
            return errno
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        #if canImport(Darwin)
            address.sun_len = UInt8(MemoryLayout<sockaddr_un>.size)
        #endif
        let pathBytes = Array(path.utf8)
        guard pathBytes.count <= Self.maxPathBytes else {
            return ENAMETOOLONG
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0 ? 0 : errno
    }

    // MARK: - Helpers

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else {
            return "."
        }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func describe(fileType type: mode_t) -> String {
        switch type {
        case mode_t(S_IFREG): "a regular file"
        case mode_t(S_IFDIR): "a directory"
        case mode_t(S_IFLNK): "a symbolic link"
        case mode_t(S_IFIFO): "a FIFO"
        case mode_t(S_IFCHR): "a character device"
        case mode_t(S_IFBLK): "a block device"
        default: "a file that is not a socket"
        }
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
