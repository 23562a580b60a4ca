import Foundation
import NIOHTTP1

// MARK: - Request headers from files and the environment

extension HTTPFeed {
    /// The longest header file or variable read, in bytes.
    public static let maximumHeaderTextBytes = 65_536

    /// Headers perftop sets itself, which a header file may not override.
    static let reservedHeaders: Set<String> = ["host", "content-length", "transfer-encoding", "connection"]

    /// Reads request headers from a file of `Name: value` lines (`--header-file PATH`).
    ///
    /// Secrets such as `Authorization: Bearer …` belong in such a file (mode 0600) or in the environment
    /// (``headers(fromEnvironmentVariable:environment:)``), never on the command line, where `ps` shows
    /// them. Blank lines and lines starting with `#` are skipped. Cost: one read of at most
    /// ``maximumHeaderTextBytes``.
    ///
    /// - Throws: ``FeedError`` naming the file and, for a bad line, its number:
    ///   `PATH line 2: expected 'Name: value'`.
    public static func headers(fromFile path: String) throws(FeedError) -> HTTPHeaders {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FeedError("cannot read \(path)")
        }
        guard data.count <= Self.maximumHeaderTextBytes else {
            throw FeedError("\(path) is larger than \(Self.maximumHeaderTextBytes) bytes")
        }
        return try Self.parseHeaders(String(decoding: data, as: UTF8.self), origin: path)
    }

    /// Reads request headers from an environment variable whose value is `Name: value`, or several such
    /// lines (`--header-env NAME`).
    ///
    /// - Parameters:
    ///   - name: the variable's name.
    ///   - environment: the environment to read; the process's by default.
    /// - Throws: ``FeedError``: `$NAME is not set`, or a bad line as in ``parseHeaders(_:origin:)``.
    public static func headers(
        fromEnvironmentVariable name: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(FeedError) -> HTTPHeaders {
        guard let value = environment[name] else {
            throw FeedError("$\(name) is not set")
        }
        guard value.utf8.count <= Self.maximumHeaderTextBytes else {
            throw FeedError("$\(name) is larger than \(Self.maximumHeaderTextBytes) bytes")
        }
        return try Self.parseHeaders(value, origin: "$" + name)
    }

    /// Parses `Name: value` lines; blank lines and `#` comments are skipped.
    ///
    /// A name must be an HTTP token and not one perftop sets itself (`Host`, `Content-Length`,
    /// `Transfer-Encoding`, `Connection`); the value is trimmed of surrounding blanks and may not hold
    /// control characters.
    ///
    /// - Parameter origin: where the text came from, used in errors (`PATH line 3: …`).
    /// - Throws: ``FeedError`` `ORIGIN line N: expected 'Name: value'`, `… invalid header name 'X'`,
    ///   `… header 'Host' is set by perftop`, `… control character in the value of 'X'`, or
    ///   `ORIGIN holds no header`.
    public static func parseHeaders(_ text: String, origin: String) throws(FeedError) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") {
                continue
            }
            let place = "\(origin) line \(index + 1)"
            guard let colon = line.firstIndex(of: ":") else {
                throw FeedError("\(place): expected 'Name: value'")
            }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isTokenCharacter) else {
                throw FeedError("\(place): invalid header name '\(name)'")
            }
            guard !Self.reservedHeaders.contains(name.lowercased()) else {
                throw FeedError("\(place): header '\(name)' is set by perftop")
            }
            guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw FeedError("\(place): control character in the value of '\(name)'")
            }
            headers.add(name: name, value: value)
        }
        guard !headers.isEmpty else {
            throw FeedError("\(origin) holds no header")
        }
        return headers
    }

    /// Whether `scalar` may appear in an HTTP header name (RFC 9110 `tchar`).
    private static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII
            && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
    }
}
