import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Ownership

extension AgentFeed {
    /// Whether a socket owned by, or an agent running as, `uid` may be read: this process's effective
    /// uid, root (0), or one of `trustedOwners`.
    static func trusts(uid: UInt32, trustedOwners: Set<UInt32>) -> Bool {
        uid == geteuid() || uid == 0 || trustedOwners.contains(uid)
    }

    /// `not you or root`, or `not you, root or an allowed owner` when the caller trusts more uids.
    static func trustedOwnersText(_ trustedOwners: Set<UInt32>) -> String {
        trustedOwners.isEmpty ? "not you or root" : "not you, root or an allowed owner"
    }

    /// Checks that the process at the other end of `channel`, a connected Unix domain socket, runs as a
    /// trusted uid: the socket file's owner says who bound it, but a file can be replaced between the
    /// check and the connect, while the peer's credentials (`SO_PEERCRED`, fixed by the kernel when the
    /// agent called `listen`) cannot be forged.
    ///
    /// Cost: one `getsockopt` on the channel's event loop. On systems without `SO_PEERCRED` it checks
    /// nothing.
    ///
    /// - Returns: a future on the channel's event loop that fails with ``FeedError`` `agent on PATH runs
    ///   as uid N, not you or root`, or `cannot read the credentials of the agent on PATH` when the
    ///   system does not say.
    static func checkPeer(
        of channel: any Channel,
        path: String,
        trustedOwners: Set<UInt32>
    ) -> EventLoopFuture<Void> {
        #if os(Linux)
            let unreadable = FeedError("cannot read the credentials of the agent on \(path)")
            guard let provider = channel as? any SocketOptionProvider else {
                return channel.eventLoop.makeFailedFuture(unreadable)
            }
            return provider.unsafeGetSocketOption(
                level: SocketOptionLevel(SOL_SOCKET),
                name: SocketOptionName(SO_PEERCRED)
            )
            .flatMapErrorThrowing { _ -> PeerCredentials in throw unreadable }
            .flatMapThrowing { (credentials: PeerCredentials) in
                guard Self.trusts(uid: credentials.uid, trustedOwners: trustedOwners) else {
                    throw FeedError(
                        "agent on \(path) runs as uid \(credentials.uid), \(Self.trustedOwnersText(trustedOwners))"
                    )
                }
            }
        #else
            return channel.eventLoop.makeSucceededVoidFuture()
        #endif
    }
}

#if os(Linux)
    /// `struct ucred` of `<sys/socket.h>`, which the Glibc module does not export: what `SO_PEERCRED`
    /// returns, with the same layout (three 32-bit fields).
    struct PeerCredentials {
        var pid: Int32
        var uid: UInt32
        var gid: UInt32
    }
#endif
