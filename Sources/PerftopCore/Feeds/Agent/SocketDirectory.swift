import PerfKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The sockets in one `--attach` directory, listed again only when the directory may have changed.
///
/// Adding, removing or renaming an entry changes a directory's modification time, so while the
/// directory is the same one (device and inode) with the modification time of the last listing,
/// that listing stands, for at most ``maximumReuse`` seconds: a filesystem that does not keep the
/// modification time up to date (some network filesystems) delays a new socket by that much, not
/// until the next change. Three cases list again every round instead:
/// - The last listing began less than ``racyWindow`` after the modification time: the kernel stamps
///   a change with a clock that can lag by a tick, so a change made just after the listing could
///   carry the same time.
/// - The directory holds a symbolic link or an entry of unknown type: its target can change while
///   the directory does not.
/// - The directory cannot be read, or is gone.
///
/// Cost per round while unchanged: one `stat` of the directory and one clock read; a listing at least
/// every ``maximumReuse`` seconds. A listing reads the entries' types from the directory itself
/// (`readdir`), with a `stat` only for links and entries of unknown type. Memory: the last listing's
/// paths.
final class SocketDirectory: Sendable {
    /// How long after the directory's modification time a listing must begin to be reused.
    static let racyWindow = 1.0
    /// How long a listing of an unchanged directory is reused at most, in seconds: 10.
    static let maximumReuse = 10.0

    /// The listed directory, as given (a link to a directory included).
    let path: String
    private let last = Mutex<Listing?>(nil)
    /// Seconds on a monotonic clock.
    private let now: @Sendable () -> Double

    /// One listing and the state of the directory it was made from.
    private struct Listing {
        var device: UInt64
        var inode: UInt64
        var modified: timespec
        var sockets: [String]
        /// When the listing began, on ``now``'s clock.
        var listedAt: Double
    }

    /// A listing of `path` (a directory), made at the first ``sockets()``; `now`, a monotonic clock
    /// in seconds, bounds a listing's reuse (injected by tests).
    init(path: String, now: @escaping @Sendable () -> Double = AgentFeed.monotonicSeconds) {
        self.path = path
        self.now = now
    }

    /// The paths of the sockets in the directory, sorted; nil when `path` is not a readable directory.
    func sockets() -> [String]? {
        var status = stat()
        guard stat(self.path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
            self.last.withLockedValue { $0 = nil }
            return nil
        }
        let (device, inode) = (UInt64(status.st_dev), UInt64(status.st_ino))
        let modified = status.st_mtim
        let listedAt = self.now()
        if let kept = self.last.withLockedValue({ last -> [String]? in
            guard let last, last.device == device, last.inode == inode,
                last.modified.tv_sec == modified.tv_sec, last.modified.tv_nsec == modified.tv_nsec,
                listedAt - last.listedAt < Self.maximumReuse
            else {
                return nil
            }
            return last.sockets
        }) {
            return kept
        }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        guard let listing = Self.list(self.path) else {
            self.last.withLockedValue { $0 = nil }
            return nil
        }
        let age = Double(now.tv_sec - modified.tv_sec) + Double(now.tv_nsec - modified.tv_nsec) / 1e9
        let isReusable = !listing.checkedLinks && age >= Self.racyWindow
        self.last.withLockedValue {
            $0 =
                isReusable
                ? Listing(
                    device: device,
                    inode: inode,
                    modified: modified,
                    sockets: listing.sockets,
                    listedAt: listedAt
                )
                : nil
        }
        return listing.sockets
    }

    /// The paths of the sockets in `directory`, sorted, and whether any entry needed a `stat` (a link
    /// or an entry of unknown type); nil when it cannot be opened.
    static func list(_ directory: String) -> (sockets: [String], checkedLinks: Bool)? {
        guard let stream = opendir(directory) else {
            return nil
        }
        defer { closedir(stream) }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        var sockets: [String] = []
        var checkedLinks = false
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != "." && name != ".." else {
                continue
            }
            let path = prefix + name
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_SOCK):
                sockets.append(path)
            case Int32(DT_LNK), Int32(DT_UNKNOWN):
                checkedLinks = true
                var status = stat()
                if stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK {
                    sockets.append(path)
                }
            default:
                continue
            }
        }
        return (sockets.sorted(), checkedLinks)
    }
}
