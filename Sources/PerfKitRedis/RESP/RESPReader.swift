import PerfKit

/// A reply of the Redis serialization protocol, version 2 (what a server answers a client that never
/// sent `HELLO 3`).
public enum RESPValue: Equatable, Sendable {
    /// `+OK`.
    case simple(String)
    /// `-ERR …`: the server refused the command.
    case error(String)
    /// `:42`.
    case integer(Int)
    /// `$5 hello`; nil for the null bulk string `$-1`.
    case bulk([UInt8]?)
    /// `*2 …`; nil for the null array `*-1`.
    case array([RESPValue]?)
}

/// Reads RESP2 replies from bytes as they arrive: a reply that is not whole yet reads as nil, so the
/// caller waits for more; bytes that cannot be a reply throw.
///
/// Bounds: arrays nest at most ``maximumDepth`` deep and hold at most ``maximumElements`` elements, a
/// bulk string is at most ``maximumBulkBytes``, a line at most ``maximumLineBytes``; a larger value
/// throws instead of being waited for. Cost: one pass over the bytes of the replies read.
///
/// The Redis source of perftop and PerfKitRedis's ``RedisClient`` both read replies with it.
public struct RESPReader {
    /// The deepest nesting of arrays accepted.
    public static let maximumDepth = 8
    /// The most elements an array may hold.
    public static let maximumElements = 1 << 16
    /// The longest bulk string accepted, in bytes.
    public static let maximumBulkBytes = 16 << 20
    /// The longest line (simple string, error, integer or length) accepted, in bytes.
    public static let maximumLineBytes = 64 << 10

    /// Why bytes are not a RESP reply.
    public struct Malformed: Error, Equatable, CustomStringConvertible {
        /// What was wrong, e.g. `not a Redis reply (starts with "HTTP/1.1 400")`.
        public let description: String

        /// A reason, as ``description`` shows it.
        public init(description: String) {
            self.description = description
        }
    }

    /// The first `count` replies of `bytes`, or nil when they have not all arrived.
    public static func replies(_ count: Int, in bytes: [UInt8]) throws(Malformed) -> [RESPValue]? {
        try Self.prefix(count, of: bytes)?.replies
    }

    /// The first `count` replies of `bytes` and the number of bytes they take, or nil when they have
    /// not all arrived: a connection that pipelines requests reads each request's replies off the
    /// front of what it has received.
    public static func prefix(_ count: Int, of bytes: [UInt8]) throws(Malformed) -> (replies: [RESPValue], length: Int)?
    {
        var reader = RESPReader(bytes: bytes)
        var replies: [RESPValue] = []
        while replies.count < count {
            guard let reply = try reader.value(depth: 0) else {
                return nil
            }
            replies.append(reply)
        }
        return (replies, reader.index)
    }

    private let bytes: [UInt8]
    private var index = 0

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func value(depth: Int) throws(Malformed) -> RESPValue? {
        guard self.index < self.bytes.count else {
            return nil
        }
        let start = self.index
        let type = self.bytes[self.index]
        guard
            [UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "$"), UInt8(ascii: "*")]
                .contains(type)
        else {
            throw Malformed(
                description:
                    "not a Redis reply (starts with \(SafeText.quoted(String(decoding: self.bytes[start...].prefix(64), as: UTF8.self))))"
            )
        }
        self.index += 1
        guard let line = try self.line() else {
            return nil
        }
        switch type {
        case UInt8(ascii: "+"):
            return .simple(Self.text(line))
        case UInt8(ascii: "-"):
            return .error(Self.text(line))
        case UInt8(ascii: ":"):
            return .integer(try Self.integer(line))
        case UInt8(ascii: "$"):
            let length = try Self.integer(line)
            if length == -1 {
                return .bulk(nil)
            }
            guard (0...Self.maximumBulkBytes).contains(length) else {
                throw Malformed(description: "bad bulk string length \(length)")
            }
            guard self.bytes.count - self.index >= length + 2 else {
                return nil
            }
            let body = Array(self.bytes[self.index..<self.index + length])
            guard self.bytes[self.index + length] == UInt8(ascii: "\r"), self.bytes[self.index + length + 1] == 0x0A
            else {
                throw Malformed(description: "bulk string not ended by CRLF")
            }
            self.index += length + 2
            return .bulk(body)
        default:
            let count = try Self.integer(line)
            if count == -1 {
                return .array(nil)
            }
            guard (0...Self.maximumElements).contains(count) else {
                throw Malformed(description: "bad array length \(count)")
            }
            guard depth < Self.maximumDepth else {
                throw Malformed(description: "arrays nested more than \(Self.maximumDepth) deep")
            }
            var elements: [RESPValue] = []
            for _ in 0..<count {
                guard let element = try self.value(depth: depth + 1) else {
                    return nil
                }
                elements.append(element)
            }
            return .array(elements)
        }
    }

    /// The bytes up to the next CRLF, which is passed; nil when it has not arrived.
    private mutating func line() throws(Malformed) -> ArraySlice<UInt8>? {
        var end = self.index
        while end + 1 < self.bytes.count, !(self.bytes[end] == UInt8(ascii: "\r") && self.bytes[end + 1] == 0x0A) {
            end += 1
        }
        guard end + 1 < self.bytes.count else {
            if self.bytes.count - self.index > Self.maximumLineBytes {
                throw Malformed(description: "line longer than \(Self.maximumLineBytes) bytes")
            }
            return nil
        }
        let line = self.bytes[self.index..<end]
        self.index = end + 2
        return line
    }

    private static func integer(_ line: ArraySlice<UInt8>) throws(Malformed) -> Int {
        guard line.count <= 20, let value = Int(Self.text(line)) else {
            throw Malformed(description: "bad integer \(SafeText.quoted(Self.text(line)))")
        }
        return value
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
