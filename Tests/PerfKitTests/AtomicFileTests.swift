import Foundation
import Testing

@testable import PerfKit

@Suite("AtomicFile")
struct AtomicFileTests {
    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/perfkit-atomic-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    private static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("the temporary file has an unpredictable name, mode 0600, and sits next to the destination")
    func temporaryFile() throws {
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try AtomicFile(replacing: directory + "/config.toml")
        let second = try AtomicFile(replacing: directory + "/config.toml")
        #expect(first.temporaryPath != second.temporaryPath)
        #expect(first.temporaryPath.hasPrefix(directory + "/.config.toml."))
        #expect(first.temporaryPath.hasSuffix(".partial"))
        #expect(try Self.mode(first.temporaryPath) == 0o600)
        #expect(!first.temporaryPath.contains("\(getpid())"))
    }

    @Test("commit replaces the file with the new bytes and keeps its mode; a discarded writer leaves nothing")
    func commitAndDiscard() throws {
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/baseline.toml"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o604)
        do {
            let abandoned = try AtomicFile(replacing: path)
            try abandoned.write(Array("never".utf8))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["baseline.toml"])
        let file = try AtomicFile(replacing: path)
        try file.write(Array("new".utf8))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        try file.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        #expect(try Self.mode(path) == 0o604)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["baseline.toml"])
    }

    @Test("a symlink at the destination is replaced, not followed")
    func destinationSymlink() throws {
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let victim = directory + "/victim"
        try "precious".write(toFile: victim, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: directory + "/out", withDestinationPath: victim)
        let file = try AtomicFile(replacing: directory + "/out")
        try file.write(Array("new".utf8))
        try file.commit()
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        #expect(try String(contentsOfFile: directory + "/out", encoding: .utf8) == "new")
    }

    @Test("a directory that does not exist is an error naming the file")
    func missingDirectory() throws {
        #expect {
            _ = try AtomicFile(replacing: "/nonexistent-perfkit/x")
        } throws: { error in
            "\(error)" == "cannot write /nonexistent-perfkit/x: No such file or directory"
        }
    }
}
