import PerfKitRedis
import Testing

/// RESP2 replies read as they arrive: whole, partial (nil until the rest comes) and malformed.
struct RESPReaderTests {
    private static func replies(_ text: String, count: Int = 1) throws -> [RESPValue]? {
        try RESPReader.replies(count, in: Array(text.utf8))
    }

    @Test func readsEveryType() throws {
        let text = "+OK\r\n-ERR no\r\n:42\r\n$5\r\nhello\r\n$-1\r\n*2\r\n:1\r\n$0\r\n\r\n*-1\r\n"
        #expect(
            try Self.replies(text, count: 7) == [
                .simple("OK"), .error("ERR no"), .integer(42), .bulk(Array("hello".utf8)), .bulk(nil),
                .array([.integer(1), .bulk([])]), .array(nil),
            ]
        )
    }

    @Test func waitsForTheRestOfAReply() throws {
        let whole = "*2\r\n$5\r\nhello\r\n:7\r\n"
        for cut in 0..<whole.utf8.count {
            #expect(try RESPReader.replies(1, in: Array(whole.utf8.prefix(cut))) == nil, "cut at \(cut)")
        }
        #expect(try Self.replies(whole) == [.array([.bulk(Array("hello".utf8)), .integer(7)])])
        #expect(try Self.replies("+OK\r\n", count: 2) == nil, "the second reply has not come")
    }

    @Test(arguments: [
        ("HTTP/1.1 400 Bad Request\r\n", "not a Redis reply (starts with 'HTTP/1.1 400 Bad Reques…')"),
        (":12x\r\n", "bad integer '12x'"),
        ("$-5\r\n", "bad bulk string length -5"),
        ("$3\r\nabcde\r\n", "bulk string not ended by CRLF"),
        ("*999999999\r\n", "bad array length 999999999"),
        ("\u{1B}[2J", #"not a Redis reply (starts with '\u{1B}[2J')"#),
    ])
    func refusesWhatIsNotAReply(text: String, reason: String) {
        #expect(throws: RESPReader.Malformed(description: reason)) { try Self.replies(text) }
    }

    @Test func boundsNestingAndLineLength() {
        let nested = String(repeating: "*1\r\n", count: RESPReader.maximumDepth + 1) + ":1\r\n"
        #expect(throws: RESPReader.Malformed(description: "arrays nested more than 8 deep")) {
            try Self.replies(nested)
        }
        let endless = "+" + String(repeating: "a", count: RESPReader.maximumLineBytes + 1)
        #expect(throws: RESPReader.Malformed(description: "line longer than 65536 bytes")) { try Self.replies(endless) }
    }
}
