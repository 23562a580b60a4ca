/// The dashboard settings a user changes while it runs and that outlive it: the refresh interval,
/// the theme, which panes are shown and how they are laid out. The config file stores them; keys change
/// the interval, the theme and the visible panes.
public struct DashboardSettings: Sendable, Equatable {
    /// The panes, in layout order; the raw value is the name used in the config file.
    public enum PaneKind: String, Sendable, Hashable, CaseIterable {
        case caches, queues, latency, memory, churn, tracker
        /// A database's statements: shown by default only when a database source is watched.
        case queries
        /// One row per source: shown by default only when a fleet (several agents or endpoints, or
        /// an `--attach` directory or pattern) is watched.
        case fleet

        /// The panes shown by default: every pane but ``queries`` and ``fleet``.
        public static let defaultLayout: [PaneKind] = [.caches, .queues, .latency, .memory, .churn, .tracker]

        /// The keys that toggle the panes, for hints: `1-8`.
        public static let toggleKeys = "1-\(Self.allCases.count)"

        /// The digit key that toggles the pane: `1` for caches through `8` for the fleet.
        public var toggleKey: Character {
            Character(String(Self.allCases.firstIndex(of: self)! + 1))
        }

        /// What the pane shows, in a word or two, e.g. `allocation churn`; the help overlay uses it.
        public var displayName: String {
            switch self {
            case .caches: "cache"
            case .queues: "queue"
            case .latency: "latency"
            case .memory: "memory"
            case .churn: "allocation churn"
            case .tracker: "tracker"
            case .queries: "queries"
            case .fleet: "fleet"
            }
        }
    }

    /// The intervals, in seconds, the command line, the config file and `tracker check` accept: from
    /// 50 ms (polling faster measures little but perftop itself) to an hour.
    public static let intervalSeconds: ClosedRange<Double> = 0.05...3600

    /// How often sources are polled.
    public var interval: Duration
    /// The name of the theme in use (a built-in name or a file path).
    public var theme: String
    /// The panes shown, in layout order.
    public var visiblePanes: [PaneID]
    /// The panes' order, columns and sizes.
    public var layout: PaneLayout

    /// Creates settings; the default polls every second with the default theme and the panes of
    /// ``PaneKind/defaultLayout`` in the default ``PaneLayout``.
    public init(
        interval: Duration = .seconds(1),
        theme: String = "default",
        visiblePanes: [PaneID] = PaneKind.defaultLayout.map(PaneID.builtIn),
        layout: PaneLayout = PaneLayout()
    ) {
        self.interval = interval
        self.theme = theme
        self.visiblePanes = visiblePanes
        self.layout = layout
    }
}
