/// Where the header, the footer and every pane go at one terminal size.
///
/// Panes sit in a grid below a one-row header and above a one-row footer: three columns from
/// ``wideWidth`` columns, two from ``mediumWidth``, one (stacked, with title rules instead of
/// boxes) below that, or a fixed number of columns (config `[layout] columns`). The grid holds only
/// the panes shown (hidden panes leave no hole; a last row with fewer panes shares the whole width),
/// and a zoomed pane is a grid of one. Panes may have relative sizes (config `[layout] sizes`): in a
/// row, widths are proportional to them, and each row's height to the largest in it. Below
/// ``minimumWidth`` × ``minimumHeight`` nothing fits and the dashboard shows
/// ``tooSmallMessage(width:height:)`` instead.
public struct DashboardLayout: Sendable, Hashable {
    /// The narrowest terminal the dashboard draws in.
    public static let minimumWidth = 60
    /// The shortest terminal the dashboard draws in.
    public static let minimumHeight = 16
    /// From this width, panes go three to a row.
    public static let wideWidth = 150
    /// From this width, panes go two to a row.
    public static let mediumWidth = 80

    /// How the panes are arranged.
    public enum Arrangement: Sendable, Hashable {
        /// The terminal is below the minimum size; only a message is shown.
        case tooSmall
        /// Panes fill a grid row by row.
        case grid(columns: Int, rows: Int)
        /// Every pane is hidden: header, footer and an empty body.
        case noPanes
    }

    /// The terminal width the layout is for.
    public let width: Int
    /// The terminal height the layout is for.
    public let height: Int
    /// How the panes are arranged.
    public let arrangement: Arrangement
    /// The header row; empty when too small.
    public let header: Rect
    /// The footer row; empty when too small.
    public let footer: Rect
    /// One rectangle per pane, in pane order; empty when too small.
    public let panes: [Rect]
    /// The frame every pane gets: boxes side by side, title rules when stacked.
    public let frame: PaneFrame.Kind

    /// The rows between header and footer; empty when too small.
    public var body: Rect {
        guard self.arrangement != .tooSmall else {
            return Rect(row: 0, column: 0, height: 0, width: 0)
        }
        return Rect(row: 1, column: 0, height: self.height - 2, width: self.width)
    }

    /// Lays out `paneCount` panes in a terminal of `width` × `height`. Cost: O(paneCount).
    /// - Parameters:
    ///   - width: The terminal's columns.
    ///   - height: The terminal's rows.
    ///   - paneCount: The panes to place.
    ///   - columns: Panes per row (at most `paneCount`); nil for the width's (three, two or one).
    ///   - sizes: Each pane's relative size (at least 1), in pane order; nil for equal sizes.
    public init(width: Int, height: Int, paneCount: Int = 6, columns: Int? = nil, sizes: [Int]? = nil) {
        self.width = max(0, width)
        self.height = max(0, height)
        guard width >= Self.minimumWidth && height >= Self.minimumHeight else {
            self.arrangement = .tooSmall
            self.header = Rect(row: 0, column: 0, height: 0, width: 0)
            self.footer = Rect(row: 0, column: 0, height: 0, width: 0)
            self.panes = []
            self.frame = .rule
            return
        }
        self.header = Rect(row: 0, column: 0, height: 1, width: width)
        self.footer = Rect(row: height - 1, column: 0, height: 1, width: width)
        let widthColumns = width >= Self.wideWidth ? 3 : width >= Self.mediumWidth ? 2 : 1
        let columns = min(paneCount, max(1, columns ?? widthColumns))
        self.frame = width >= Self.mediumWidth || columns > 1 ? .box : .rule
        guard paneCount > 0 else {
            self.arrangement = .noPanes
            self.panes = []
            return
        }
        let rows = (paneCount + columns - 1) / columns
        self.arrangement = .grid(columns: columns, rows: rows)
        let weights = (0..<paneCount).map { index in max(1, sizes.flatMap { index < $0.count ? $0[index] : nil } ?? 1) }
        let rowWeights = (0..<rows).map { row in
            weights[(row * columns)..<min(paneCount, (row + 1) * columns)].max() ?? 1
        }
        let rowSpans = Self.split(height - 2, by: rowWeights, from: 1)
        self.panes = (0..<rows).flatMap { row in
            let members = (row * columns)..<min(paneCount, (row + 1) * columns)
            let columnSpans = Self.split(width, by: Array(weights[members]), from: 0)
            return columnSpans.map { span in
                Rect(row: rowSpans[row].start, column: span.start, height: rowSpans[row].length, width: span.length)
            }
        }
    }

    /// The message shown when the terminal is below the minimum size.
    public static func tooSmallMessage(width: Int, height: Int) -> String {
        "terminal too small: need \(Self.minimumWidth)×\(Self.minimumHeight), have \(width)×\(height)"
    }

    /// `total` cells split into one span per weight, each as near to its share of the total weight as
    /// whole cells allow; the cells left over by rounding down go one each to the first spans.
    private static func split(_ total: Int, by weights: [Int], from origin: Int) -> [(start: Int, length: Int)] {
        let sum = weights.reduce(0, +)
        let lengths = weights.map { total * $0 / max(1, sum) }
        let leftover = total - lengths.reduce(0, +)
        var spans: [(start: Int, length: Int)] = []
        var start = origin
        for (part, length) in lengths.enumerated() {
            let length = length + (part < leftover ? 1 : 0)
            spans.append((start, length))
            start += length
        }
        return spans
    }
}
