import FoundationEssentials
import NIOCore
import NIOHTTP1
import PerfKit
import PerfKitAgent

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Request headers from files and the environment

extension HTTPFeed {
    /// The longest header file or variable read, in bytes.
    public static let maximumHeaderTextBytes = 65_536

    /// Headers perftop sets itself, which a header file may not override.
    static let reservedHeaders: Set<String> = ["host", "content-length", "transfer-encoding", "connection"]

    /// Reads request headers from a file of `Name: value` lines (`--header-file PATH`).
    ///
    /// Secrets such as `Authorization: Bearer …` belong in such a file (mode 0600, see
    /// ``exposureWarning(headerFile:)``) or in the environment
    /// (``headers(fromEnvironmentVariable:environment:)``), never on the command line, where `ps` shows
    /// them. Blank lines and lines starting with `#` are skipped. Cost: one blocking read of at most
    /// ``maximumHeaderTextBytes`` + 1 bytes, even from a pipe or a device that never ends.
    ///
    /// - Throws: ``FeedError`` naming the file and, for a bad line, its number:
    ///   `PATH: no such file or directory`, `PATH: larger than 65536 bytes`,
    ///   `PATH line 2: expected 'Name: value'`.
    public static func headers(fromFile path: String) throws(FeedError) -> HTTPHeaders {
        let text: String
        do {
            text = try ProcFile.read(path, limit: Self.maximumHeaderTextBytes)
        } catch {
            throw FeedError(error.description)
        }
        return try Self.parseHeaders(text, origin: path)
    }

    /// `header file PATH is readable by group or others (chmod 600 PATH)` when the regular file at `path`
    /// lets users other than its owner read it; `nil` otherwise, or when it cannot be inspected.
    ///
    /// Cost: one `stat`. The CLI prints it as a warning before it starts; it does not refuse the file.
    public static func exposureWarning(headerFile path: String) -> String? {
        Self.exposureWarning(secretFile: path, kind: "header file")
    }

    /// `KIND PATH is readable by group or others (chmod 600 PATH)` when the regular file at `path`, which
    /// holds a secret, lets users other than its owner read it; `nil` otherwise. Cost: one `stat`.
    static func exposureWarning(secretFile path: String, kind: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
            status.st_mode & (S_IRGRP | S_IROTH) != 0
        else {
            return nil
        }
        return "\(kind) \(path) is readable by group or others (chmod 600 \(path))"
    }

    /// `headers for URL go over plain http to a non-loopback host; use https` when this feed has
    /// configured headers and its URL is `http` to a host other than `localhost` or a loopback address
    /// (127.0.0.0/8, `::1`), where anyone on the way can read them; `nil` otherwise.
    ///
    /// Cost: parsing the URL; no name is resolved, so a name that resolves to a loopback address (other
    /// than `localhost`) still gets the warning.
    public var cleartextWarning: String? {
        guard !self.headers.isEmpty, let url = URL(string: self.url), url.scheme?.lowercased() == "http",
            let host = url.host?.lowercased(), !Self.isLoopback(host: host)
        else {
            return nil
        }
        return "headers for \(self.url) go over plain http to a non-loopback host; use https"
    }

    /// Whether `host`, a URL's host, is `localhost` or a loopback address (with or without IPv6 brackets).
    private static func isLoopback(host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return bare == "localhost" || ((try? SocketAddress(ipAddress: bare, port: 0))?.isLoopback ?? false)
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
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") {
                continue
            }
            let place = "\(origin) line \(index + 1)"
            guard let colon = line.firstIndex(of: ":") else {
                throw FeedError("\(place): expected 'Name: value'")
            }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingWhitespace()
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
