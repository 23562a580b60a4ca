import FoundationEssentials
import PerfKit

/// The address of a server perftop reads directly, as given to `--endpoint`:
/// `redis://[user@]host[:port][?password-env=VAR|password-file=PATH]`, `rediss://…` (TLS),
/// `memcached://host[:port]` or `postgresql://[user@]host[:port][/database][?password-env=VAR|…]`
/// (also `postgres://`).
///
/// A password never appears in the URL (it would show in `ps` and on screen): the query names the
/// environment variable or the file that holds it, read once when perftop starts.
struct ServerURL: Sendable, Equatable {
    /// The servers perftop reads directly.
    enum Scheme: String, Sendable, CaseIterable {
        case redis
        case rediss
        case memcached
        case postgresql
        case postgres

        /// The server's usual port.
        var defaultPort: Int {
            switch self {
            case .redis, .rediss: 6379
            case .memcached: 11211
            case .postgresql, .postgres: 5432
            }
        }
    }

    /// Where a password comes from.
    enum PasswordSource: Sendable, Equatable {
        /// An environment variable's value.
        case environment(String)
        /// A file's first line.
        case file(String)
    }

    var scheme: Scheme
    var host: String
    var port: Int
    /// The user to authenticate as (a Redis ACL user, a PostgreSQL role); nil for the default user.
    var user: String?
    var password: PasswordSource?
    /// The path without its `/`: the PostgreSQL database; nil when the URL has none.
    var database: String?
    /// Whether the connection is encrypted: `rediss`, or PostgreSQL's `sslmode=require`.
    var usesTLS: Bool

    /// Whether `url` names a server perftop reads directly (its scheme is one of ``Scheme``).
    static func isServer(_ url: String) -> Bool {
        Scheme.allCases.contains { url.lowercased().hasPrefix($0.rawValue + "://") }
    }

    /// Whether `url` names a database server (`postgresql://` or `postgres://`).
    static func isDatabase(_ url: String) -> Bool {
        let lowered = url.lowercased()
        return lowered.hasPrefix("postgresql://") || lowered.hasPrefix("postgres://")
    }

    /// Parses `text`.
    ///
    /// - Throws: ``FeedError`` `not a URL`, `no host`, `bad port`, `a password in the URL shows in ps
    ///   and on screen; use ?password-env=VAR or ?password-file=PATH`, `unknown parameter X`, or
    ///   `memcached takes no password (perftop speaks its text protocol, which has no authentication)`.
    init(_ text: String) throws(FeedError) {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme.flatMap({ Scheme(rawValue: $0.lowercased()) })
        else {
            throw FeedError("not a URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw FeedError("no host")
        }
        guard components.password == nil else {
            throw FeedError(
                "a password in the URL shows in ps and on screen; use ?password-env=VAR or ?password-file=PATH"
            )
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw FeedError("bad port \(port)")
        }
        self.scheme = scheme
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? scheme.defaultPort
        self.user = components.user.flatMap { $0.isEmpty ? nil : $0 }
        let path = components.path.drop { $0 == "/" }
        self.database = path.isEmpty ? nil : String(path)
        guard !(self.user ?? "").contains("\0"), !(self.database ?? "").contains("\0") else {
            throw FeedError("NUL in the user or database name")
        }
        self.password = nil
        self.usesTLS = scheme == .rediss
        let isDatabase = scheme == .postgresql || scheme == .postgres
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("password-env", let name?) where !name.isEmpty:
                self.password = .environment(name)
            case ("password-file", let path?) where !path.isEmpty:
                self.password = .file(path)
            case ("sslmode", let mode?) where isDatabase:
                switch mode {
                case "disable": self.usesTLS = false
                case "require", "verify-ca", "verify-full": self.usesTLS = true
                default:
                    throw FeedError(
                        "sslmode=\(mode) not supported (use require, which verifies the certificate and host name, or disable)"
                    )
                }
            default:
                throw FeedError(
                    "unknown parameter \(item.name) (use password-env or password-file\(isDatabase ? ", sslmode" : ""))"
                )
            }
        }
        if scheme == .memcached, self.password != nil || self.user != nil {
            throw FeedError("memcached takes no user or password (perftop speaks its text protocol, which has none)")
        }
    }

    /// Parses `text` for a feed that reads only the servers of `schemes`.
    ///
    /// - Throws: ``FeedError`` as ``init(_:)`` does, or `not a SCHEMES URL`, e.g. `not a redis:// or
    ///   rediss:// URL`.
    init(_ text: String, accepting schemes: [Scheme]) throws(FeedError) {
        try self.init(text)
        guard schemes.contains(self.scheme) else {
            throw FeedError("not a " + schemes.map { $0.rawValue + "://" }.joined(separator: " or ") + " URL")
        }
    }

    /// The connection to the server, over TLS when ``usesTLS`` (verified against `trustRoots`, else
    /// the system's): from the start, or when the protocol asks for it (`startsTLSAtConnect` false).
    func connection(trustRoots: HTTPFeed.TrustRoots?, startsTLSAtConnect: Bool = true) -> ServerConnection {
        ServerConnection(
            host: self.host,
            port: self.port,
            tlsConfiguration: self.usesTLS ? TLSClientContext.configuration(trustRoots: trustRoots) : nil,
            startsTLSAtConnect: startsTLSAtConnect
        )
    }

    /// The password, read from its variable or file; nil without a ``password``.
    ///
    /// - Throws: ``FeedError`` `$NAME is not set` or the file's problem, e.g.
    ///   `password file /x: no such file or directory`, `password file /x is empty`.
    func readPassword(environment: [String: String] = ProcessInfo.processInfo.environment) throws(FeedError) -> String?
    {
        switch self.password {
        case nil:
            return nil
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw FeedError("$\(name) is not set")
            }
            return value
        case .file(let path):
            let text: String
            do {
                text = try ProcFile.read(path, limit: 4096)
            } catch {
                throw FeedError("password file \(error)")
            }
            guard let line = text.split(separator: "\n", omittingEmptySubsequences: false).first, !line.isEmpty else {
                throw FeedError("password file \(path) is empty")
            }
            return String(line.hasSuffix("\r") ? line.dropLast() : line)
        }
    }
}
