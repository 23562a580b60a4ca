import Foundation
import NIOCore
import NIOPosix

/// A real server from Debian's packages (`redis-server`, `memcached`, PostgreSQL) started for a test
/// on a free port of 127.0.0.1 with a temporary directory of its own, and killed by ``stop()``.
///
/// Tests that need one skip, saying why, when the program is not installed (`.ci/run` installs them
/// when it runs as root).
// @unchecked Sendable: `process` (not Sendable) and `command` are used only by `init`, `kill()`,
// `restart()` and `stop()`, which a test calls from its own task one after the other; the other
// properties are constants, and `send` and `psql` use connections and processes of their own.
public final class ServerTestProcess: @unchecked Sendable {
    private var process = Process()
    /// The server's command line, kept for ``restart()``.
    private var command: [String] = []
    /// The server's working directory, removed by ``stop()``.
    public let directory: URL
    /// The port the server listens on.
    public let port: Int

    /// Whether the program at `path` is installed.
    public static func isInstalled(_ path: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: path)
    }

    /// Starts `path` with the arguments `arguments(port, directory)` makes, and returns once it accepts
    /// connections. `prepare(directory)` runs first (e.g. `initdb`).
    init(
        _ path: String,
        prepare: (_ directory: String) async throws -> Void = { _ in },
        arguments: (_ port: Int, _ directory: String) -> [String]
    ) async throws {
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("perftop-server-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        try await prepare(self.directory.path)
        self.port = try await Self.freePort()
        self.command = Self.asServerUser(path, arguments(self.port, self.directory.path))
        do {
            try await self.launch()
        } catch {
            self.stop()
            throw error
        }
    }

    /// Runs the server's command and waits until it accepts connections.
    private func launch() async throws {
        self.process = Process()
        self.process.executableURL = URL(fileURLWithPath: self.command[0])
        self.process.arguments = Array(self.command.dropFirst())
        self.process.currentDirectoryURL = self.directory
        self.process.standardOutput = FileHandle.nullDevice
        self.process.standardError = FileHandle.nullDevice
        try self.process.run()
        try await Self.waitUntilListening(port: self.port)
    }

    /// Kills the server as a crash would (SIGKILL), keeping its directory and port for ``restart()``.
    /// Not safe to call concurrently with the other methods.
    public func kill() {
        Glibc.kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
    }

    /// Starts the killed server again on the same port, and returns once it accepts connections.
    public func restart() async throws {
        try await self.launch()
    }

    /// A `redis-server` without persistence; `password` sets `requirepass`, `maxmemory` its bound
    /// (with `allkeys-lru` eviction), `tls` a PEM certificate and key to serve TLS with.
    public static func redis(
        password: String? = nil,
        maxmemory: String? = nil,
        tls: (certificate: String, key: String)? = nil
    ) async throws -> ServerTestProcess {
        try await ServerTestProcess("/usr/bin/redis-server") { port, directory in
            // With `tls`, the port speaks TLS only (clients are not asked for a certificate).
            let ports =
                tls.map {
                    [
                        "--port", "0", "--tls-port", "\(port)", "--tls-cert-file", $0.certificate, "--tls-key-file",
                        $0.key, "--tls-ca-cert-file", $0.certificate, "--tls-auth-clients", "no",
                    ]
                } ?? ["--port", "\(port)"]
            return ports + ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory]
                + (password.map { ["--requirepass", $0] } ?? [])
                + (maxmemory.map { ["--maxmemory", $0, "--maxmemory-policy", "allkeys-lru"] } ?? [])
        }
    }

    /// A `memcached` of `megabytes` MiB, TCP only.
    public static func memcached(megabytes: Int = 16) async throws -> ServerTestProcess {
        try await ServerTestProcess("/usr/bin/memcached") { port, _ in
            ["-l", "127.0.0.1", "-p", "\(port)", "-U", "0", "-m", "\(megabytes)", "-u", "nobody"]
        }
    }

    // MARK: - Prometheus

    /// Debian's Prometheus server.
    public static let prometheusPath = "/usr/bin/prometheus"

    /// A Prometheus server that scrapes `targets` (`host:port` of agents serving `/metrics`) as job
    /// `demo` every `scrapeInterval`, with its TSDB in the temporary directory. It listens at once but
    /// answers queries only when ready; ``waitForPrometheus(scrapes:)`` waits for that and for data.
    public static func prometheus(scraping targets: [String], scrapeInterval: String = "1s") async throws
        -> ServerTestProcess
    {
        try await ServerTestProcess(
            Self.prometheusPath,
            prepare: { directory in
                let list = targets.map { "'\($0)'" }.joined(separator: ", ")
                let config = """
                    global:
                      scrape_interval: \(scrapeInterval)
                      scrape_timeout: \(scrapeInterval)
                    scrape_configs:
                      - job_name: demo
                        static_configs:
                          - targets: [\(list)]

                    """
                try config.write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
            },
            arguments: { port, directory in
                [
                    "--config.file=" + directory + "/prometheus.yml", "--storage.tsdb.path=" + directory + "/data",
                    "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
                ]
            }
        )
    }

    /// `http://127.0.0.1:PORT`: the server's base URL.
    public var baseURL: String {
        "http://127.0.0.1:\(self.port)"
    }

    /// Returns once every target Prometheus scrapes has been scraped successfully at least `scrapes`
    /// times, asking every 200 ms for at most `limit`.
    public func waitForPrometheus(scrapes: Int, targets: Int, limit: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now.advanced(by: limit)
        let query = "count(count_over_time(up[5m]) >= \(scrapes) and up == 1)"
        while ContinuousClock.now < deadline {
            if let answer = try? await self.prometheusQuery(query), answer.contains("\"\(targets)\"]") {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw CocoaError(.executableLoad)
    }

    /// The JSON text of the instant query `promQL`, asked of this Prometheus server over a plain
    /// HTTP/1.0 request (the answer ends with the connection).
    public func prometheusQuery(_ promQL: String) async throws -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = promQL.addingPercentEncoding(withAllowedCharacters: allowed) ?? promQL
        return try await Self.httpGet(port: self.port, path: "/api/v1/query?query=\(encoded)")
    }

    /// The body of `GET path` from 127.0.0.1:`port`, asked over HTTP/1.0 (the answer ends with the
    /// connection), e.g. an agent's `/metrics`.
    public static func httpGet(port: Int, path: String) async throws -> String {
        let answer = try await Self.send(
            "GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
            toPort: port,
            until: { _ in false }
        )
        guard let body = answer.range(of: "\r\n\r\n").map({ String(answer[$0.upperBound...]) }) else {
            throw CocoaError(.executableLoad)
        }
        return body
    }

    // MARK: - PostgreSQL

    /// PostgreSQL's programs: the newest version of Debian's `postgresql-N` installed.
    static let postgresBin: String = {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let newest = versions.compactMap(Int.init).sorted().last.map(String.init) ?? "15"
        return "/usr/lib/postgresql/\(newest)/bin"
    }()

    /// The user PostgreSQL runs as when the tests run as root (it refuses root): Debian's `postgres`.
    static var postgresUser: (uid: uid_t, gid: gid_t)? {
        getpwnam("postgres").map { ($0.pointee.pw_uid, $0.pointee.pw_gid) }
    }

    /// Whether `initdb` and `postgres` are installed, and, as root, the `postgres` user exists.
    public static var isPostgresInstalled: Bool {
        Self.isInstalled(Self.postgresBin + "/initdb") && (geteuid() != 0 || Self.postgresUser != nil)
    }

    /// A PostgreSQL cluster made by `initdb` (superuser `perftop` with `password`, `md5` in pg_hba.conf,
    /// which logs a role whose password is stored as SCRAM in with SCRAM-SHA-256), without fsync; `pg_stat_statements` is preloaded when `statements` is true.
    /// With `tls` (a PEM certificate and its unencrypted key), the server also accepts TLS.
    public static func postgres(
        password: String,
        statements: Bool = true,
        tls: (certificate: String, key: String)? = nil
    ) async throws -> ServerTestProcess {
        let server = try await ServerTestProcess(
            Self.postgresBin + "/postgres",
            prepare: { directory in
                try Self.handOver(directory)
                let file = directory + "/password"
                try password.write(toFile: file, atomically: true, encoding: .utf8)
                try Self.handOver(file)
                try await Self.run(
                    Self.asServerUser(
                        Self.postgresBin + "/initdb",
                        [
                            "-D", directory + "/data", "-U", "perftop", "--pwfile=" + file, "--auth=md5",
                            "-E", "UTF8", "--no-sync",
                        ]
                    )
                )
                if let tls {
                    for (source, name) in [(tls.certificate, "server.crt"), (tls.key, "server.key")] {
                        let target = directory + "/data/" + name
                        try FileManager.default.copyItem(atPath: source, toPath: target)
                        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
                        try Self.handOver(target)
                    }
                }
            },
            arguments: { port, directory in
                [
                    "-D", directory + "/data", "-p", "\(port)", "-k", directory, "-c", "listen_addresses=127.0.0.1",
                    "-c", "fsync=off",
                ] + (statements ? ["-c", "shared_preload_libraries=pg_stat_statements"] : [])
                    + (tls == nil
                        ? [] : ["-c", "ssl=on", "-c", "ssl_cert_file=server.crt", "-c", "ssl_key_file=server.key"])
            }
        )
        // It accepts connections before it accepts logins ("the database system is starting up").
        for attempt in 1...100 {
            do {
                try await Self.run([Self.postgresBin + "/pg_isready", "-q", "-h", "127.0.0.1", "-p", "\(server.port)"])
                break
            } catch  where attempt < 100 {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        return server
    }

    /// Runs `sql` with `psql` as `user` against database `postgres`, and returns its unaligned output
    /// (read once psql exits: a few lines, well within a pipe's buffer).
    public func psql(_ sql: String, user: String = "perftop", password: String) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [
            "-h", "127.0.0.1", "-p", "\(self.port)", "-U", user, "-d", "postgres", "-X", "-q", "-A", "-t",
            "-v", "ON_ERROR_STOP=1", "-c", sql,
        ]
        process.environment = ["PGPASSWORD": password, "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        await Self.exit(of: process)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad)
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `command` run as PostgreSQL's user when this process is root (`setpriv` execs, so the server is
    /// the child this object kills), as it is otherwise.
    private static func asServerUser(_ path: String, _ arguments: [String]) -> [String] {
        guard geteuid() == 0, path.hasPrefix(Self.postgresBin), let (uid, gid) = Self.postgresUser else {
            return [path] + arguments
        }
        return ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "--", path] + arguments
    }

    /// Gives `path` to PostgreSQL's user when this process is root.
    private static func handOver(_ path: String) throws {
        if geteuid() == 0, let (uid, gid) = Self.postgresUser {
            try FileManager.default.setAttributes(
                [.ownerAccountID: uid, .groupOwnerAccountID: gid],
                ofItemAtPath: path
            )
        }
    }

    private static func run(_ command: [String]) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        await Self.exit(of: process)
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad)
        }
    }

    /// Returns once `process` has exited, polling every 5 ms: `waitUntilExit()` would hold one of
    /// the two threads Swift concurrency has on this machine for the whole run (`initdb` takes
    /// seconds), starving every other test's timers and continuations.
    private static func exit(of process: Process) async {
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    // MARK: - Traffic

    /// Sends `text` on a new connection and returns what the server answered once `isComplete` says the
    /// answer is whole: how a test drives known traffic through the server.
    public func send(_ text: String, until isComplete: @escaping @Sendable (String) -> Bool) async throws -> String {
        try await Self.send(text, toPort: self.port, until: isComplete)
    }

    /// Sends `text` on a new connection to `port` of 127.0.0.1 and returns the answer once
    /// `isComplete` says it is whole, or the server closed the connection.
    public static func send(
        _ text: String,
        toPort port: Int,
        until isComplete: @escaping @Sendable (String) -> Bool
    ) async throws -> String {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: text))
            var answer = ""
            for try await buffer in inbound {
                answer += String(buffer: buffer)
                if isComplete(answer) {
                    break
                }
            }
            return answer
        }
    }

    /// A port no one listens on now, borrowed from the kernel; the race with another process taking
    /// it before the server does is acceptable in a test.
    public static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    /// Tries to connect every 50 ms, at most 100 times: servers say nothing on a pipe when ready.
    public static func waitUntilListening(port: Int) async throws {
        var attempts = 0
        while true {
            do {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: port)
                    .get()
                try await channel.close()
                return
            } catch {
                attempts += 1
                guard attempts < 100 else {
                    throw error
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// Kills the server and removes its directory.
    public func stop() {
        Glibc.kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
        try? FileManager.default.removeItem(at: self.directory)
    }
}

/// A TCP server on 127.0.0.1 that accepts connections and never answers: a hung server.
public final class SilentTCPServer: Sendable {
    private let channel: any Channel
    /// The port it listens on.
    public let port: Int

    public init() async throws {
        self.channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        self.port = self.channel.localAddress?.port ?? 0
    }

    public func stop() async {
        try? await self.channel.close()
    }
}
