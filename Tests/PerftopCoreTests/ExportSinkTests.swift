import Foundation
import Testing

@testable import PerftopCore

@Suite("ExportSink")
struct ExportSinkTests {
    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/perftop-sink-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    @Test("a file is replaced only when the export finishes; until then it keeps its old content")
    func atomicReplace() throws {
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/out.csv"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        let sink = try ExportSink.file(atPath: path)
        try sink.write("a,b\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).count == 2)
        try sink.finish()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a,b\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["out.csv"])
    }

    @Test("an export that never finishes leaves the destination untouched and no temporary file")
    func abandoned() throws {
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/out.csv"
        do {
            let sink = try ExportSink.file(atPath: path)
            try sink.write("a,b\n")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test("a missing directory or a directory as the destination is refused up front, naming the path")
    func refused() throws {
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: ExportError.self) { try ExportSink.file(atPath: directory) }
        do {
            _ = try ExportSink.file(atPath: directory + "/missing/out.csv")
            Issue.record("no error")
        } catch {
            #expect("\(error)".hasPrefix("cannot write \(directory)/missing/out.csv: "))
        }
    }

    @Test("a symlink planted at the old predictable temporary name is never followed")
    func plantedSymlink() throws {
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let victim = directory + "/victim"
        try "precious\n".write(toFile: victim, atomically: false, encoding: .utf8)
        // What an attacker who knows perftop's PID could plant before: .NAME.perftop-PID.partial.
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/.out.csv.perftop-\(getpid()).partial",
            withDestinationPath: victim
        )
        let sink = try ExportSink.file(atPath: directory + "/out.csv")
        try sink.write("a,b\n")
        try sink.finish()
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        #expect(try String(contentsOfFile: directory + "/out.csv", encoding: .utf8) == "a,b\n")
    }

    @Test("a rewrite keeps the file's mode; a new file gets the umask's mode, never group-writable by accident")
    func modes() throws {
        let directory = try self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/out.csv"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o640)
        let sink = try ExportSink.file(atPath: path)
        try sink.write("new\n")
        try sink.finish()
        #expect(try Self.mode(path) == 0o640)

        let fresh = directory + "/fresh.csv"
        let second = try ExportSink.file(atPath: fresh)
        try second.finish()
        #expect(try Self.mode(fresh) == 0o666 & ~Self.umask())
    }

    /// The process's umask, read from /proc without changing it (other tests create files meanwhile).
    private static func umask() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Umask:") })
        return try #require(Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8))
    }

    private static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}
