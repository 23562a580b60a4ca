import PerfKit

/// A message a PostgreSQL server sends (protocol 3.0): its type letter and its body.
struct PostgresMessage: Equatable, Sendable {
    /// `R` authentication, `Z` ready for query, `T` row description, `D` data row, `E` error, …
    var type: UInt8
    var body: ArraySlice<UInt8>

    /// The authentication request of an `R` message: 0 ok, 3 clear-text password, 5 MD5, 10 SASL,
    /// 11 SASL continue, 12 SASL final; nil for another message.
    var authenticationRequest: Int32? {
        guard self.type == UInt8(ascii: "R"), self.body.count >= 4 else {
            return nil
        }
        return PostgresWire.int32(self.body, at: self.body.startIndex)
    }
}

/// PostgreSQL's wire protocol, the few messages a metrics poll needs: startup, passwords, simple
/// queries in text format, and the server's answers to them.
///
/// Bounds: a server message is at most ``maximumMessageBytes``; anything else (an unknown type
/// letter, a length out of range) is ``Malformed``, so a server that is not PostgreSQL is named as
/// such instead of being waited for.
enum PostgresWire {
    /// The largest server message read: 1 MiB (a data row of ten 200-character statements is 3 KiB).
    static let maximumMessageBytes = 1 << 20

    /// The message types a server sends (PostgreSQL 15 protocol documentation, "Message Formats").
    private static let serverTypes = Set("RSKZTDCEINAGHWdcvnst123".utf8)

    /// Why bytes are not a PostgreSQL server's.
    struct Malformed: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    /// The whole messages at the start of `bytes` (a message still arriving is left out).
    ///
    /// - Throws: ``Malformed`` `not a PostgreSQL reply (starts with '…')` for an unknown type or a
    ///   length out of range.
    static func messages(in bytes: [UInt8]) throws(Malformed) -> [PostgresMessage] {
        var messages: [PostgresMessage] = []
        var index = 0
        while index < bytes.count {
            // An unknown type letter, or a length out of range (`HTTP/1.1` reads as a huge `H` message).
            let notPostgreSQL = { () -> Malformed in
                let start = String(decoding: bytes[index...].prefix(64), as: UTF8.self)
                return Malformed(description: "not a PostgreSQL reply (starts with \(SafeText.quoted(start)))")
            }
            guard Self.serverTypes.contains(bytes[index]) else {
                throw notPostgreSQL()
            }
            guard bytes.count - index >= 5 else {
                break
            }
            let length = Int(Self.int32(bytes[...], at: index + 1))
            guard (4...Self.maximumMessageBytes).contains(length) else {
                throw notPostgreSQL()
            }
            guard bytes.count - index - 1 >= length else {
                break
            }
            messages.append(PostgresMessage(type: bytes[index], body: bytes[(index + 5)..<(index + 1 + length)]))
            index += 1 + length
        }
        return messages
    }

    // MARK: - What perftop sends

    /// The startup message: protocol 3.0, `user`, `database`, and `application_name` perftop.
    static func startup(user: String, database: String) -> [UInt8] {
        var body: [UInt8] = Self.bytes(of: Int32(196_608))
        for (key, value) in [("user", user), ("database", database), ("application_name", "perftop")] {
            body += Array(key.utf8) + [0] + Array(value.utf8) + [0]
        }
        body.append(0)
        return Self.bytes(of: Int32(body.count + 4)) + body
    }

    /// A message of `type` with `body`: the type letter, the length, the body.
    static func message(_ type: Character, _ body: [UInt8]) -> [UInt8] {
        [type.asciiValue ?? 0] + Self.bytes(of: Int32(body.count + 4)) + body
    }

    /// A simple query (`Q`): `sql`, NUL-terminated.
    static func query(_ sql: String) -> [UInt8] {
        Self.message("Q", Array(sql.utf8) + [0])
    }

    /// `Terminate` (`X`): the polite way to close.
    static let terminate = Self.message("X", [])

    // MARK: - What the server sends

    /// A query's outcome: its rows in text format (nil for SQL NULL), or the error it ended with.
    enum QueryResult: Equatable, Sendable {
        case rows([[String?]])
        case failed(PostgresError)
    }

    /// The results of the simple queries answered in `messages`, one per `ReadyForQuery` (`Z`).
    ///
    /// - Throws: ``Malformed`` for a data row that is not well formed.
    static func results(_ messages: [PostgresMessage]) throws(Malformed) -> [QueryResult] {
        var results: [QueryResult] = []
        var rows: [[String?]] = []
        var failure: PostgresError?
        for message in messages {
            switch message.type {
            case UInt8(ascii: "D"):
                rows.append(try Self.dataRow(message.body))
            case UInt8(ascii: "E"):
                failure = PostgresError(message.body)
            case UInt8(ascii: "Z"):
                results.append(failure.map { .failed($0) } ?? .rows(rows))
                rows = []
                failure = nil
            default:
                continue
            }
        }
        return results
    }

    /// The columns of a `DataRow`, as text.
    private static func dataRow(_ body: ArraySlice<UInt8>) throws(Malformed) -> [String?] {
        guard body.count >= 2 else {
            throw Malformed(description: "short data row")
        }
        let count = Int(Self.int16(body, at: body.startIndex))
        guard count >= 0 else {
            throw Malformed(description: "negative column count")
        }
        var index = body.startIndex + 2
        var columns: [String?] = []
        for _ in 0..<count {
            guard body.endIndex - index >= 4 else {
                throw Malformed(description: "short data row")
            }
            let length = Int(Self.int32(body, at: index))
            index += 4
            if length == -1 {
                columns.append(nil)
                continue
            }
            guard length >= 0, body.endIndex - index >= length else {
                throw Malformed(description: "short data row")
            }
            columns.append(String(decoding: body[index..<index + length], as: UTF8.self))
            index += length
        }
        return columns
    }

    // MARK: - Integers

    static func bytes(of value: Int32) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    static func int32(_ bytes: ArraySlice<UInt8>, at index: Int) -> Int32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            value = value << 8 | UInt32(bytes[index + offset])
        }
        return Int32(bitPattern: value)
    }

    static func int16(_ bytes: ArraySlice<UInt8>, at index: Int) -> Int16 {
        Int16(bitPattern: UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
    }
}

/// An `ErrorResponse`: its SQLSTATE code and message.
struct PostgresError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The SQLSTATE, e.g. `28P01` (wrong password) or `42P01` (no such table).
    var code: String
    /// The primary message, e.g. `password authentication failed for user "perftop"`.
    var message: String

    init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// Reads the fields of an `ErrorResponse` body (a type byte and a NUL-terminated string each).
    init(_ body: ArraySlice<UInt8>) {
        var code = ""
        var message = ""
        var index = body.startIndex
        while index < body.endIndex, body[index] != 0 {
            let field = body[index]
            let start = index + 1
            let end = body[start...].firstIndex(of: 0) ?? body.endIndex
            let value = String(decoding: body[start..<end], as: UTF8.self)
            if field == UInt8(ascii: "C") {
                code = value
            } else if field == UInt8(ascii: "M") {
                message = value
            }
            index = end + 1
        }
        self.code = code
        self.message = message
    }

    var description: String {
        "postgresql: " + SafeText.escaped(self.message, limit: 160) + " (" + SafeText.escaped(self.code, limit: 8) + ")"
    }
}
