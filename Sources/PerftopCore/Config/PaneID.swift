extension DashboardSettings {
    /// Which pane a place in the layout holds: one of the built-in panes, or a pane of the config
    /// file's `[[pane]]` tables, by its `name`.
    ///
    /// The one identity of a pane everywhere: the visible list, the layout order and sizes, the focus,
    /// the zoom and the scroll offsets.
    public enum PaneID: Sendable, Hashable {
        /// A built-in pane.
        case builtIn(PaneKind)
        /// A pane of a `[[pane]]` table, by its `name`.
        case custom(String)

        /// The pane of a config name: a built-in pane's name (``PaneKind/rawValue``), else a custom
        /// pane's; nil when `name` is neither a built-in pane nor one of `customNames`.
        public init?(name: String, customNames: some Sequence<String>) {
            if let kind = PaneKind(rawValue: name) {
                self = .builtIn(kind)
            } else if customNames.contains(name) {
                self = .custom(name)
            } else {
                return nil
            }
        }

        /// The name used in the config file: `caches`, or a custom pane's `name`.
        public var name: String {
            switch self {
            case .builtIn(let kind): kind.rawValue
            case .custom(let name): name
            }
        }

        /// The built-in pane, or nil for a custom one.
        public var kind: PaneKind? {
            if case .builtIn(let kind) = self { kind } else { nil }
        }
    }
}
