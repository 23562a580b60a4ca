extension DashboardSettings {
    /// How the shown panes are placed (config `[layout]`, docs/configuration.md): their order, a
    /// fixed number of columns, and their relative sizes.
    ///
    /// The default places the built-in panes in their fixed order (``PaneKind/allCases``) followed by
    /// the custom panes in the order of their `[[pane]]` tables, with as many columns as the terminal's
    /// width allows and every pane the same size: the dashboard as it is without a `[layout]` table.
    public struct PaneLayout: Sendable, Equatable {
        /// The largest ``columns`` accepted.
        public static let maximumColumns = 4
        /// The largest relative size accepted.
        public static let maximumWeight = 9

        /// Every pane that can be shown, in layout order (left to right, top to bottom); the visible
        /// panes are placed in this order, and a pane shown again with its key goes back to its place.
        public var order: [PaneID]
        /// A fixed number of columns, 1 to ``maximumColumns`` (fewer when fewer panes are shown); nil
        /// for the width's: three from 150 columns, two from 80, else one.
        public var columns: Int?
        /// Relative sizes, 1 to ``maximumWeight``; a pane not listed has size 1. In a row, each pane's
        /// width is proportional to its size; each row's height to the largest size in it.
        public var sizes: [PaneID: Int]

        /// Creates a layout; by default the built-in panes' fixed order followed by `custom`, with
        /// width-based columns and equal sizes.
        public init(order: [PaneID]? = nil, custom: [String] = [], columns: Int? = nil, sizes: [PaneID: Int] = [:]) {
            self.order = order ?? PaneKind.allCases.map(PaneID.builtIn) + custom.map(PaneID.custom)
            self.columns = columns
            self.sizes = sizes
        }

        /// The size of `pane`: its entry in ``sizes``, else 1.
        public func size(of pane: PaneID) -> Int {
            self.sizes[pane] ?? 1
        }

        /// `panes` (without duplicates) in layout order; a pane ``order`` lacks goes last.
        public func ordered(_ panes: some Collection<PaneID>) -> [PaneID] {
            var shown = Set(panes)
            var ordered = self.order.filter { shown.remove($0) != nil }
            ordered += panes.filter { shown.remove($0) != nil }
            return ordered
        }
    }
}
