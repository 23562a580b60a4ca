import Foundation
import PerfKit
import Synchronization
import Testing

@testable import PerftopCore

#if canImport(Glibc)
    import Glibc
#endif

/// An `--attach` directory listed again only when it changed, on real sockets and a real directory.
@Suite("Socket directory")
struct SocketDirectoryTests {
    /// A directory with sockets bound in it, removed with them at the end.
    private final class Directory {
        let path: String
        private var descriptors: [Int32] = []

        init() throws {
            self.path = try TestListener.makeTemporaryDirectory()
        }

        deinit {
            self.descriptors.forEach { close($0) }
            try? FileManager.default.removeItem(atPath: self.path)
        }

        @discardableResult
        func bind(_ name: String) throws -> String {
            let path = self.path + "/" + name
            self.descriptors.append(try TestListener.bindSocket(at: path))
            return path
        }

        /// The directory's modification time.
        var modified: timespec {
            var status = stat()
            stat(self.path, &status)
            return status.st_mtim
        }

        /// Sets the directory's modification time (its access time too).
        func setModified(_ time: timespec) {
            var times = [time, time]
            utimensat(AT_FDCWD, self.path, &times, 0)
        }

        /// Sets the modification time an hour back, out of the listing's racy window.
        func age() {
            var time = self.modified
            time.tv_sec -= 3_600
            self.setModified(time)
        }
    }

    @Test func listsTheSocketsAndLinksToSocketsButNotFilesOrDirectories() throws {
        let directory = try Directory()
        let elsewhere = try Directory()
        let socket = try directory.bind("b.sock")
        let target = try elsewhere.bind("target.sock")
        symlink(target, directory.path + "/a.link")
        symlink(directory.path + "/none", directory.path + "/dangling.link")
        #expect(FileManager.default.createFile(atPath: directory.path + "/file.sock", contents: Data()))
        mkdir(directory.path + "/sub.sock", 0o700)

        let listing = try #require(SocketDirectory.list(directory.path))
        #expect(listing.sockets == [directory.path + "/a.link", socket])
        #expect(listing.checkedLinks)
        #expect(SocketDirectory.list(directory.path + "/none") == nil)
        #expect(SocketDirectory(path: socket).sockets() == nil, "a socket is not a directory")
    }

    @Test func keepsTheListingWhileTheDirectoryIsUnchanged() throws {
        let directory = try Directory()
        let first = try directory.bind("a.sock")
        directory.age()
        // A clock that stands still: the listing never reaches its reuse bound here.
        let sockets = SocketDirectory(path: directory.path, now: { 0 })
        #expect(sockets.sockets() == [first])

        // A socket whose directory shows no change is not seen: the listing stands.
        let unchanged = directory.modified
        let second = try directory.bind("b.sock")
        directory.setModified(unchanged)
        #expect(sockets.sockets() == [first])

        // Any change of the modification time lists again.
        directory.age()
        #expect(sockets.sockets() == [first, second])
        unlink(first)
        #expect(sockets.sockets() == [second])
    }

    /// On a filesystem that does not update the directory's modification time, a new socket is seen
    /// once the listing is ``SocketDirectory/maximumReuse`` seconds old, not only at the next change.
    @Test func listsAgainOnceTheListingIsOldEvenIfTheDirectoryLooksUnchanged() throws {
        let directory = try Directory()
        let first = try directory.bind("a.sock")
        directory.age()
        let clock = Mutex(100.0)
        let sockets = SocketDirectory(path: directory.path, now: { clock.withLockedValue { $0 } })
        #expect(sockets.sockets() == [first])

        let unchanged = directory.modified
        let second = try directory.bind("b.sock")
        directory.setModified(unchanged)
        clock.withLockedValue { $0 += SocketDirectory.maximumReuse - 0.5 }
        #expect(sockets.sockets() == [first], "still within the reuse bound")
        clock.withLockedValue { $0 += 0.5 }
        #expect(sockets.sockets() == [first, second])
    }

    @Test func listsAgainWhileTheChangeIsRecentOrALinkIsThere() throws {
        let directory = try Directory()
        let first = try directory.bind("a.sock")
        let sockets = SocketDirectory(path: directory.path)
        #expect(sockets.sockets() == [first])

        // The last change is less than the racy window old: a change stamped with the same time is seen.
        let recent = directory.modified
        let second = try directory.bind("b.sock")
        directory.setModified(recent)
        #expect(sockets.sockets() == [first, second])

        // A link's target can come and go while the directory stays the same.
        let elsewhere = try Directory()
        let link = directory.path + "/c.link"
        symlink(elsewhere.path + "/target.sock", link)
        directory.age()
        let aged = directory.modified
        #expect(sockets.sockets() == [first, second])
        try elsewhere.bind("target.sock")
        directory.setModified(aged)
        #expect(sockets.sockets() == [first, second, link])
    }

    @Test func aDirectoryReplacedOrGoneIsListedAgain() throws {
        let directory = try Directory()
        let path = directory.path + "/agents"
        mkdir(path, 0o700)
        let socket = path + "/a.sock"
        let descriptor = try TestListener.bindSocket(at: socket)
        defer { close(descriptor) }
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        utimensat(AT_FDCWD, path, &times, 0)
        let sockets = SocketDirectory(path: path)
        #expect(sockets.sockets() == [socket])

        // Another directory in its place, with the same modification time.
        rename(path, directory.path + "/old")
        mkdir(path, 0o700)
        utimensat(AT_FDCWD, path, &times, 0)
        #expect(sockets.sockets() == [])
        rmdir(path)
        #expect(sockets.sockets() == nil)
    }
}
