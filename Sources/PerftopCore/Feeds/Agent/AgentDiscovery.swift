/// The agents of `--attach` directories and glob patterns, looked for again every round, so that an
/// agent whose socket appears is watched from the next round and one whose socket is gone is
/// dropped with its series.
///
/// A socket named by its own path is never dropped: it is watched as when perftop started (down
/// while no agent listens, back when one does). Cost per round: a `stat` of each directory, listed
/// again only when it changed (``SocketDirectory``), and a `glob(3)` per glob pattern with a `stat`
/// per match.
public struct AgentDiscovery: Sendable {
    /// The most agents watched at once: each costs a connection, a poll a round and up to the
    /// store's series cap, so a directory that fills with sockets must not grow perftop without
    /// bound. Sockets beyond it are not attached until others go.
    public static let maximumAgents = 1_000

    /// The directories and glob patterns looked at.
    public let patterns: [String]
    /// Sockets named by their own paths, never dropped.
    public let fixedPaths: Set<String>
    /// uids whose sockets and agents are read besides this process's user and root.
    public let trustedOwners: Set<UInt32>
    /// The patterns that named a directory at the start, each with its last listing.
    private let directories: [String: SocketDirectory]

    /// The discovery of the `--attach` arguments `attach`, or `nil` when none is a directory or a
    /// glob pattern (the agents are then fixed).
    public init?(attach: [String], trustedOwners: Set<UInt32>) {
        let patterns = attach.filter(Self.isPattern)
        guard !patterns.isEmpty else {
            return nil
        }
        self.patterns = patterns
        self.fixedPaths = Set(attach.filter { !Self.isPattern($0) })
        self.trustedOwners = trustedOwners
        self.directories = Dictionary(
            patterns.filter(AgentFeed.isDirectory).map { ($0, SocketDirectory(path: $0)) },
            uniquingKeysWith: { first, _ in first }
        )
    }

    /// Whether `attach` names a directory or holds a glob character (`*`, `?`, `[`), so that the
    /// sockets it names can change.
    public static func isPattern(_ attach: String) -> Bool {
        attach.contains { "*?[".contains($0) } || AgentFeed.isDirectory(attach)
    }

    /// `current` without the agents whose sockets are gone from the patterns, then a new
    /// ``AgentFeed`` for each socket found that no feed reads yet, in path order, while fewer than
    /// ``maximumAgents`` agents are watched. Every other feed is kept as it is, in its place.
    public func feeds(replacing current: [any Feed]) -> [any Feed] {
        var found = Set<String>()
        for pattern in self.patterns {
            if let sockets = self.directories[pattern]?.sockets() {
                found.formUnion(sockets)
                continue
            }
            // A directory that is empty or gone names no socket now; that is not an error here.
            found.formUnion((try? AgentFeed.socketPaths(matching: pattern, trustedOwners: self.trustedOwners)) ?? [])
        }
        var feeds: [any Feed] = []
        var watched = Set<String>()
        for feed in current {
            if let agent = feed as? AgentFeed {
                guard found.contains(agent.path) || self.fixedPaths.contains(agent.path) else {
                    continue
                }
                watched.insert(agent.path)
            }
            feeds.append(feed)
        }
        for path in found.subtracting(watched).sorted().prefix(max(0, Self.maximumAgents - watched.count)) {
            feeds.append(AgentFeed(path: path, trustedOwners: self.trustedOwners))
        }
        return feeds
    }
}
