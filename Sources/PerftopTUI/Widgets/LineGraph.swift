import FoundationEssentials
import PerfKit

/// Where a frozen dashboard's cursor is on its graphs: a number of slots back from the newest value.
public struct GraphCursor: Sendable, Equatable {
    /// Slots (intervals) back from the newest value; 0 is the newest.
    public var slotsBack: Int
    /// When the newest value was read, in seconds since 1970-01-01 UTC.
    public var newest: Double

    /// Creates a cursor.
    public init(slotsBack: Int, newest: Double) {
        self.slotsBack = slotsBack
        self.newest = newest
    }
}

/// A multi-row line graph of a series over time, with its top and bottom values labelled on the
/// left and a time axis (`-2m … now`) below.
///
/// With braille glyphs (``Glyphs/brailleGraphs``) every cell holds 2×4 dots, so a cell shows two
/// values at four heights each and steps between neighbours are joined into a line. Otherwise the
/// graph is an area of bars, one value per column, in block elements (`▁▂▃…█`, eight heights per
/// cell) or in ASCII (`_.-=#`). Cell rows take the gradient styles ``Style/graphLow``,
/// ``Style/graphMedium`` and ``Style/graphHigh`` by their height in the graph.
///
/// The newest value sits at the right edge; the graph shows as many of the latest values as it
/// has dot (or bar) columns, and the axis spans that many intervals whether or not the history is
/// that long yet.
public struct LineGraph {
    /// The values, oldest first, one per collection interval.
    public var values: [Double]
    /// The seconds between two values, for the time axis.
    public var interval: Double
    /// How values map to heights; `.fromZero` spans 0 to the largest value shown.
    public var scale: Sparkline.Scale
    /// Formats the top and bottom labels, e.g. ``UnitFormat/seconds(_:)``.
    public var format: (Double?) -> String
    /// The cursor of a frozen dashboard, drawn on the axis row with the time and the value under it;
    /// nil for none.
    public var cursor: GraphCursor?

    /// The narrowest canvas that gets value labels on the left.
    static let labelMinimumWidth = 20
    /// The shortest canvas that gets a time axis.
    static let axisMinimumHeight = 3

    /// Creates a graph.
    /// - Parameters:
    ///   - values: The series, oldest first.
    ///   - interval: Seconds between values; the time axis is drawn only when positive.
    ///   - scale: How values map to heights.
    ///   - format: Formats the top and bottom labels.
    public init(
        values: [Double],
        interval: Double,
        scale: Sparkline.Scale = .fromZero,
        format: @escaping (Double?) -> String
    ) {
        self.values = values
        self.interval = interval
        self.scale = scale
        self.format = format
    }

    // MARK: - Drawing

    /// Draws the graph, labels and axis into the whole canvas.
    ///
    /// Below ``axisMinimumHeight`` rows the axis is left out, below ``labelMinimumWidth`` columns
    /// the labels; the plot takes what is left. Cost: O(width × height).
    public func draw(into canvas: inout Canvas) {
        guard canvas.width > 0 && canvas.height > 0 else {
            return
        }
        let hasAxis = canvas.height >= Self.axisMinimumHeight && self.interval > 0
        let plotHeight = canvas.height - (hasAxis ? 1 : 0)
        let perColumn = canvas.glyphs.brailleGraphs ? 2 : 1
        let hasLabels = canvas.width >= Self.labelMinimumWidth
        var labelWidth = 0
        if hasLabels {
            let widest = self.scale.range(of: Array(self.values.suffix(canvas.width * perColumn)))
            labelWidth =
                max(self.format(widest.upperBound).displayWidth, self.format(widest.lowerBound).displayWidth) + 1
        }
        let plot = Rect(row: 0, column: labelWidth, height: plotHeight, width: canvas.width - labelWidth)
        let shown = Array(self.values.suffix(plot.width * perColumn))
        let range = self.scale.range(of: shown)
        if hasLabels {
            canvas.putRightAligned(row: 0, text: self.format(range.upperBound), style: .dim, endColumn: labelWidth - 1)
            if plotHeight >= 2 {
                let bottom = self.format(range.lowerBound)
                canvas.putRightAligned(row: plotHeight - 1, text: bottom, style: .dim, endColumn: labelWidth - 1)
            }
        }
        canvas.withRegion(plot) { region in
            if region.glyphs.brailleGraphs {
                Self.drawDots(shown, range: range, into: &region)
            } else {
                Self.drawBars(shown, range: range, into: &region)
            }
        }
        if hasAxis, let cursor = self.cursor {
            self.draw(cursor, row: plotHeight, plot: plot, perColumn: perColumn, shown: shown, into: &canvas)
        } else if hasAxis {
            self.drawAxis(row: plotHeight, from: plot.column, slots: plot.width * perColumn, into: &canvas)
        }
    }

    /// The cursor in place of the axis: a mark under its column and, beside it, the time of its slot
    /// and the value there, e.g. `▲ 17:03:12Z 93.4%` (`–` where the series has no value).
    private func draw(
        _ cursor: GraphCursor,
        row: Int,
        plot: Rect,
        perColumn: Int,
        shown: [Double],
        into canvas: inout Canvas
    ) {
        let slots = plot.width * perColumn
        let back = min(max(0, cursor.slotsBack), slots - 1)
        let column = plot.column + (slots - 1 - back) / perColumn
        let value = back < shown.count ? shown[shown.count - 1 - back] : nil
        let label =
            Self.clock(cursor.newest - Double(back) * self.interval) + " "
            + self.format(value.flatMap { $0.isFinite ? $0 : nil })
        canvas.fill(Rect(row: row, column: 0, height: 1, width: canvas.width))
        canvas.put(row: row, column: column, text: String(canvas.glyphs.isUnicode ? "▲" : "^"), style: .selected)
        let start = column + 2 + label.displayWidth <= canvas.width ? column + 2 : column - 1 - label.displayWidth
        canvas.put(row: row, column: max(0, start), text: label, style: .selected)
    }

    /// A time of day in UTC, e.g. `17:03:12Z`.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else {
            return "–"
        }
        let date = Date(timeIntervalSince1970: seconds.rounded(.down))
        return date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt).time(includingFractionalSeconds: false)) + "Z"
    }

    /// `-60s` under the left edge of the plot, `now` at the right, and the midpoint between them
    /// when there is room.
    private func drawAxis(row: Int, from column: Int, slots: Int, into canvas: inout Canvas) {
        let width = canvas.width - column
        let span = Double(max(slots - 1, 0)) * self.interval
        let left = Self.ago(span)
        canvas.putRightAligned(row: row, text: "now", style: .dim)
        guard left.displayWidth + 4 <= width else {
            return
        }
        canvas.put(row: row, column: column, text: left, style: .dim)
        let middle = Self.ago(span / 2)
        let middleColumn = column + width / 2 - middle.displayWidth / 2
        if width >= 30 && middleColumn > column + left.displayWidth + 1 {
            canvas.put(row: row, column: middleColumn, text: middle, style: .dim)
        }
    }

    /// A time before now, short: `-45s`, `-2.5s`, `-12m`, `-1.5h`.
    static func ago(_ seconds: Double) -> String {
        guard seconds.isFinite && seconds > 0 else {
            return "now"
        }
        if seconds < 120 {
            return "-" + Self.oneDecimal(seconds) + "s"
        }
        if seconds < 7_200 {
            return "-" + Self.oneDecimal(seconds / 60) + "m"
        }
        return "-" + Self.oneDecimal(seconds / 3_600) + "h"
    }

    /// A value with at most one decimal, the decimal left out when it is zero or the value is 10 or more.
    private static func oneDecimal(_ value: Double) -> String {
        guard value < 10 else {
            return String(Int(saturating: value.rounded()))
        }
        let tenths = Int(saturating: (value * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
    }

    // MARK: - Plots

    /// The braille dot of the column `x` (0 or 1) and row `y` (0 at the top, up to 3) of a cell.
    private static let dotBits: [[UInt32]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Two values per cell, four heights per cell row, each value joined to the one before it.
    static func drawDots(_ shown: [Double], range: ClosedRange<Double>, into canvas: inout Canvas) {
        let width = canvas.width
        let height = canvas.height
        guard width > 0 && height > 0 else {
            return
        }
        let dotRows = height * 4
        var bits = [UInt32](repeating: 0, count: width * height)
        let start = width * 2 - shown.count
        var previous: Int?
        for (index, value) in shown.enumerated() {
            guard let level = Sparkline.Scale.step(of: value, in: range, steps: dotRows) else {
                previous = nil
                continue
            }
            let x = start + index
            for dot in min(level, previous ?? level)...max(level, previous ?? level) {
                let fromTop = dotRows - 1 - dot
                bits[(fromTop / 4) * width + x / 2] |= Self.dotBits[x % 2][fromTop % 4]
            }
            previous = level
        }
        for row in 0..<height {
            let style = Self.gradient(row: row, height: height)
            for column in 0..<width where bits[row * width + column] != 0 {
                let character = Character(Unicode.Scalar(0x2800 + bits[row * width + column])!)
                canvas.put(row: row, column: column, text: String(character), style: style)
            }
        }
    }

    /// One value per column as a bar of ``Glyphs/sparkLevels``, full cells below its partial top;
    /// the lowest value still shows the lowest level.
    static func drawBars(_ shown: [Double], range: ClosedRange<Double>, into canvas: inout Canvas) {
        let levels = canvas.glyphs.sparkLevels
        guard canvas.width > 0 && canvas.height > 0, let full = levels.last else {
            return
        }
        let start = canvas.width - shown.count
        for (index, value) in shown.enumerated() {
            guard let level = Sparkline.Scale.step(of: value, in: range, steps: canvas.height * levels.count) else {
                continue
            }
            let units = level + 1
            for rowFromBottom in 0..<canvas.height {
                let filled = min(levels.count, units - rowFromBottom * levels.count)
                guard filled > 0 else {
                    break
                }
                let row = canvas.height - 1 - rowFromBottom
                let character = filled == levels.count ? full : levels[filled - 1]
                canvas.put(
                    row: row,
                    column: start + index,
                    text: String(character),
                    style: Self.gradient(row: row, height: canvas.height)
                )
            }
        }
    }

    /// The gradient third of a cell row: high at the top, low at the bottom; plain graph style for a
    /// one-row graph.
    static func gradient(row: Int, height: Int) -> Style {
        guard height > 1 else {
            return .graph
        }
        let fromBottom = Double(height - row) - 0.5
        let share = fromBottom / Double(height)
        if share >= 2.0 / 3 {
            return .graphHigh
        }
        return share >= 1.0 / 3 ? .graphMedium : .graphLow
    }
}
