import Foundation
import Testing

@testable import PerftopCore

@Suite("Gzip")
struct GzipTests {
    static let text = Array(String(repeating: "{\"metric\":\"cache_hits_total\",\"value\":42}\n", count: 500).utf8)

    @Test("members compress, and several read back as one text, as zcat reads them")
    func roundTrip() {
        let first = Gzip.compress(Self.text)
        let second = Gzip.compress(Array("second\n".utf8))
        #expect(first.starts(with: Gzip.magic))
        #expect(first.count < Self.text.count / 10)
        #expect(Gzip.decompress(first + second, limit: 1 << 20) == .init(bytes: Self.text + Array("second\n".utf8)))
        #expect(Gzip.decompress([], limit: 1 << 20) == .init(bytes: []))
    }

    @Test("gunzip reads what it writes")
    func gunzipReadsIt() async throws {
        let base = FileManager.default.temporaryDirectory.path + "/perftop-gzip-\(UInt32.random(in: 0...UInt32.max))"
        defer {
            try? FileManager.default.removeItem(atPath: base + ".gz")
            try? FileManager.default.removeItem(atPath: base + ".out")
        }
        try Data(Gzip.compress(Self.text) + Gzip.compress(Array("x\n".utf8))).write(
            to: URL(fileURLWithPath: base + ".gz")
        )
        // Not Foundation's Process: its pipe would block a cooperative thread until every process that
        // inherited the pipe (a server another test started meanwhile) ends.
        let pid = try ChildProcess.spawn(["gzip", "-dc", base + ".gz"], standardOutput: base + ".out").get()
        var exit = ChildProcess.exitStatus(pid)
        while exit == nil {
            try await Task.sleep(for: .milliseconds(5))
            exit = ChildProcess.exitStatus(pid)
        }
        #expect(exit == .status(0))
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: base + ".out"))) == Self.text + Array("x\n".utf8))
    }

    @Test("a member cut short keeps the whole ones before it and says so")
    func cutShort() {
        let whole = Gzip.compress(Array("one\n".utf8))
        let cut = Array(Gzip.compress(Self.text).prefix(40))
        let result = Gzip.decompress(whole + cut, limit: 1 << 20)
        #expect(result.bytes == Array("one\n".utf8))
        #expect(
            result.damage == "the last gzip member is cut short at byte \(whole.count + 40) (a crash while writing it)"
        )
    }

    @Test("damaged data and trailing garbage are named with the member's place")
    func damaged() {
        let whole = Gzip.compress(Array("one\n".utf8))
        var flipped = Gzip.compress(Self.text)
        flipped[20] ^= 0xFF
        let result = Gzip.decompress(whole + flipped, limit: 1 << 20)
        #expect(result.bytes == Array("one\n".utf8))
        #expect(result.damage?.hasPrefix("damaged gzip data in the member at byte \(whole.count): ") == true)
        let garbage = Gzip.decompress(whole + Array("not gzip".utf8), limit: 1 << 20)
        #expect(garbage.bytes == Array("one\n".utf8))
        #expect(garbage.damage?.hasPrefix("damaged gzip data in the member at byte \(whole.count)") == true)
    }

    @Test("a text over the limit stops there (a gzip bomb)")
    func limit() {
        let bomb = Gzip.compress([UInt8](repeating: 0x41, count: 8 << 20))
        #expect(bomb.count < 64 << 10)
        let result = Gzip.decompress(bomb, limit: 1 << 20)
        #expect(result.bytes.isEmpty)
        #expect(result.damage == "more than 1 MiB of text")
    }
}
