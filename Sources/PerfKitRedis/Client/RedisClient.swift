import NIOCore
import NIOPosix
import PerfKit
import Synchronization

/// A Redis client with a small pool of pipelined connections, for a cache tier: `GET`, `SET` with an
/// expiry, `DEL`, and pipelines of any commands, each call bounded by its own timeout.
///
/// Calls are spread over ``connectionCount`` connections in turn; on each, calls are pipelined (written
/// without waiting for the replies of those before), so one connection serves many concurrent callers.
/// A connection is opened on first use, and again after it broke (the server closed it or restarted),
/// so a client outlives a Redis restart without help. When a password is given, a new connection
/// authenticates (`AUTH`) before its first call.
///
/// Bounds: each call's connect, write and replies finish within its timeout, or it fails with
/// ``RedisError/Kind/timedOut`` (its replies are read and dropped if they come later); at most
/// ``maximumPendingRequests`` calls wait on one connection, and at most ``maximumReplyBytes`` of replies
/// are buffered per connection.
///
/// Thread-safe.
public final class RedisClient: Sendable {
    /// The server's host name or address.
    public let host: String
    /// The server's TCP port.
    public let port: Int
    /// The most connections the client opens.
    public let connectionCount: Int
    /// The most calls that may wait for replies on one connection; more fail with
    /// ``RedisError/Kind/busy``.
    public let maximumPendingRequests: Int
    /// The most bytes of replies buffered on one connection.
    public let maximumReplyBytes: Int

    private let user: String?
    private let password: String?
    private let eventLoopGroup: any EventLoopGroup
    private let pool: Mutex<Pool>
    private let turn = Atomic<Int>(0)

    private struct Pool {
        var connections: [RedisConnection?]
        var isClosed = false
    }

    /// A client for the server at `host`:`port`; nothing is opened before the first call.
    ///
    /// - Parameters:
    ///   - host: The server's host name or address, e.g. `127.0.0.1`.
    ///   - port: The server's port; 6379 by default.
    ///   - connections: The most connections opened, greater than zero; 2 by default.
    ///   - user: The ACL user `AUTH` names, with `password`; none by default.
    ///   - password: The password new connections send with `AUTH`; none by default.
    ///   - maximumPendingRequests: The most calls waiting on one connection; 1,024 by default.
    ///   - maximumReplyBytes: The most bytes of replies buffered on one connection; 32 MiB by default.
    ///   - eventLoopGroup: The event loops the connections run on; NIO's shared group by default.
    public init(
        host: String,
        port: Int = 6379,
        connections: Int = 2,
        user: String? = nil,
        password: String? = nil,
        maximumPendingRequests: Int = 1024,
        maximumReplyBytes: Int = 32 << 20,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        precondition(connections > 0, "RedisClient needs at least one connection, got \(connections)")
        self.host = host
        self.port = port
        self.connectionCount = connections
        self.user = user
        self.password = password
        self.maximumPendingRequests = maximumPendingRequests
        self.maximumReplyBytes = maximumReplyBytes
        self.eventLoopGroup = eventLoopGroup
        self.pool = Mutex(Pool(connections: Array(repeating: nil, count: connections)))
    }

    // MARK: - Commands

    /// Sends `commands` as one pipeline and returns one reply per command, error replies included
    /// (as ``RESPValue/error(_:)``).
    ///
    /// Cost: one write and the replies' bytes read, on one connection; a connect (and `AUTH`) first
    /// when that connection is not open.
    ///
    /// - Throws: ``RedisError`` (`timedOut`, `connectionClosed`, `unexpectedReply`, `busy`, `closed`,
    ///   or `replyError` when `AUTH` was refused) or `CancellationError`.
    public func pipeline(_ commands: [[[UInt8]]], timeout: Duration) async throws -> [RESPValue] {
        guard !commands.isEmpty else {
            return []
        }
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        let connection = try await self.connection(deadline: deadline)
        return try await connection.send(RESPEncoder.encode(commands), replies: commands.count, deadline: deadline)
    }

    /// `GET key`: the value's bytes, or nil when the key does not exist.
    ///
    /// - Throws: ``RedisError``, as ``pipeline(_:timeout:)``, and `replyError` (e.g. `WRONGTYPE`).
    public func get(_ key: String, timeout: Duration) async throws -> [UInt8]? {
        switch try await self.call(["GET", key].map { Array($0.utf8) }, timeout: timeout) {
        case .bulk(let value):
            return value
        case let other:
            throw RedisError(.unexpectedReply, reason: "GET answered \(other)")
        }
    }

    /// `SET key value`, with `PX` milliseconds when `expiry` is given (at least 1 ms).
    ///
    /// - Throws: ``RedisError``, as ``pipeline(_:timeout:)``, and `replyError` (e.g. `OOM`).
    public func set(_ key: String, to value: [UInt8], expiry: Duration? = nil, timeout: Duration) async throws {
        var command = [Array("SET".utf8), Array(key.utf8), value]
        if let expiry {
            let milliseconds = max(
                1,
                expiry.components.seconds * 1000 + expiry.components.attoseconds / 1_000_000_000_000_000
            )
            command += [Array("PX".utf8), Array(String(milliseconds).utf8)]
        }
        let reply = try await self.call(command, timeout: timeout)
        guard reply == .simple("OK") else {
            throw RedisError(.unexpectedReply, reason: "SET answered \(reply)")
        }
    }

    /// `DEL key…`: the number of keys that existed and were removed.
    ///
    /// - Throws: ``RedisError``, as ``pipeline(_:timeout:)``.
    @discardableResult
    public func delete(_ keys: [String], timeout: Duration) async throws -> Int {
        guard !keys.isEmpty else {
            return 0
        }
        let reply = try await self.call([Array("DEL".utf8)] + keys.map { Array($0.utf8) }, timeout: timeout)
        guard case .integer(let removed) = reply else {
            throw RedisError(.unexpectedReply, reason: "DEL answered \(reply)")
        }
        return removed
    }

    /// Closes every connection; calls after this fail with ``RedisError/Kind/closed``, calls waiting
    /// fail with `connectionClosed`.
    public func close() {
        let connections = self.pool.withLockedValue { pool in
            pool.isClosed = true
            defer { pool.connections = Array(repeating: nil, count: pool.connections.count) }
            return pool.connections
        }
        for connection in connections {
            connection?.close()
        }
    }

    // MARK: - Connections

    /// One command's reply; an error reply is thrown as ``RedisError/Kind/replyError``.
    private func call(_ command: [[UInt8]], timeout: Duration) async throws -> RESPValue {
        let replies = try await self.pipeline([command], timeout: timeout)
        guard let reply = replies.first else {
            throw RedisError(.unexpectedReply, reason: "no reply")
        }
        if case .error(let message) = reply {
            throw RedisError(.replyError, reason: message)
        }
        return reply
    }

    /// The next connection in turn, opened (and authenticated) if it is not open.
    private func connection(deadline: NIODeadline) async throws -> RedisConnection {
        let slot = self.turn.wrappingAdd(1, ordering: .relaxed).oldValue.magnitude % UInt(self.connectionCount)
        let index = Int(slot)
        let existing = try self.pool.withLockedValue { pool throws(RedisError) in
            guard !pool.isClosed else {
                throw RedisError(.closed)
            }
            return pool.connections[index]
        }
        if let existing, existing.isActive {
            return existing
        }
        let opened = try await RedisConnection.connect(
            host: self.host,
            port: self.port,
            group: self.eventLoopGroup,
            deadline: deadline,
            maximumPending: self.maximumPendingRequests,
            maximumReplyBytes: self.maximumReplyBytes
        )
        do {
            try await self.authenticate(opened, deadline: deadline)
        } catch {
            opened.close()
            throw error
        }
        let (kept, surplus) = self.pool.withLockedValue { pool -> (RedisConnection?, RedisConnection?) in
            guard !pool.isClosed else {
                return (nil, opened)
            }
            // Another call may have opened this slot meanwhile: keep the open one, close the other.
            if let current = pool.connections[index], current.isActive {
                return (current, opened)
            }
            let replaced = pool.connections[index]
            pool.connections[index] = opened
            return (opened, replaced)
        }
        surplus?.close()
        guard let kept else {
            throw RedisError(.closed)
        }
        return kept
    }

    private func authenticate(_ connection: RedisConnection, deadline: NIODeadline) async throws {
        guard let password = self.password else {
            return
        }
        let command = ["AUTH"] + (self.user.map { [$0] } ?? []) + [password]
        let replies = try await connection.send(RESPEncoder.encode([command]), replies: 1, deadline: deadline)
        if case .error(let message) = replies.first {
            throw RedisError(.replyError, reason: message)
        }
    }
}
