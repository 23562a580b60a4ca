import FoundationEssentials
import PerfKit
import PerftopCore

/// The top row: `perftop`, `FROZEN` while frozen, every source with its state, the interval, and
/// what perftop itself costs (collect time, draw time, CPU).
enum HeaderBar {
    /// A piece of text in one style.
    typealias Segment = (text: String, style: Style)

    /// The frozen indicator, shown right after `perftop` so a short row never cuts it.
    static let frozenIndicator = "FROZEN"

    /// A replay's place, e.g. `REPLAY 2026-12-05 17:03:12Z ▶ 2× 121/3600`: the recording's own time of
    /// the round shown, playing (▶) or paused (‖), the speed, and the round of the record.
    static func replay(_ status: ReplayStatus, at time: Double) -> String {
        let date = Date(timeIntervalSince1970: time.rounded(.down))
            .formatted(Date.ISO8601FormatStyle(timeZone: .gmt).dateSeparator(.dash).dateTimeSeparator(.space))
        let speed =
            status.speed >= 1
            ? String(Int(status.speed)) : status.speed == 0.5 ? "½" : status.speed == 0.25 ? "¼" : "\(status.speed)"
        return "REPLAY \(date) \(status.isPlaying ? "▶" : "‖") \(speed)× \(status.round + 1)/\(status.rounds)"
    }

    /// Draws the header into the first row of the canvas; the cost part is right-aligned and
    /// dropped first when the row is short.
    /// - Parameters:
    ///   - model: The model shown.
    ///   - interval: The refresh interval in force; the model's own when nil.
    ///   - isFrozen: Whether the screen is frozen on `model`.
    ///   - canvas: Where to draw.
    static func draw(
        model: DashboardModel,
        interval: Duration? = nil,
        isFrozen: Bool = false,
        into canvas: inout Canvas
    ) {
        let separator = " \(canvas.glyphs.separator) "
        var head: [Segment] = [("perftop", .title)]
        if isFrozen {
            head += [(separator, .border), (self.frozenIndicator, .selected)]
        }
        if let replay = model.replay {
            head += [(separator, .border), (self.replay(replay, at: model.timestamp), .selected)]
        }
        var listed: [Segment] = []
        if model.sources.isEmpty {
            listed += [(separator, .border), ("no sources", .dim)]
        }
        let labels = model.sourceLabels
        for source in model.sources {
            let state = self.state(source.state)
            listed +=
                [(separator, .border), (labels[source.name] ?? source.name, .normal), (" ", .normal), state]
                + self.notes(source)
        }
        let every = interval.map { self.interval($0) } ?? self.interval(model.interval)
        let tail: [Segment] = [(separator, .border), ("every " + every, .dim)]
        let cost = model.selfCost
        var right = self.cost(cost, gap: "  ")
        var rightWidth = Self.width(right)
        if Self.width(head + listed + tail) + 1 + rightWidth > canvas.width {
            right = self.cost(cost, gap: " ")
            rightWidth = Self.width(right)
        }
        // Sources that do not fit beside the rest are counted by state instead; the fleet pane lists them.
        if model.sources.count > 1, Self.width(head + listed + tail) + 1 + rightWidth > canvas.width {
            listed = [(separator, .border)] + self.summary(model.sources)
        }
        let left = head + listed + tail
        let leftWidth = Self.width(left)
        var leftLimit = canvas.width
        if leftWidth + 1 + rightWidth <= canvas.width || canvas.width - rightWidth - 1 >= 24 {
            self.put(right, from: canvas.width - rightWidth, limit: canvas.width, into: &canvas)
            leftLimit = canvas.width - rightWidth - 1
        }
        self.put(left, from: 0, limit: leftLimit, into: &canvas)
    }

    /// The columns `segments` take.
    private static func width(_ segments: [Segment]) -> Int {
        segments.reduce(0) { $0 + $1.text.displayWidth }
    }

    /// `12 sources: 10 ok, 1 stale, 1 down`, the counts coloured by state; states no source is in
    /// are left out.
    static func summary(_ sources: [SourceStatus]) -> [Segment] {
        var counts = (ok: 0, stale: 0, down: 0, pending: 0)
        for source in sources {
            switch source.state {
            case .ok: counts.ok += 1
            case .stale: counts.stale += 1
            case .down: counts.down += 1
            case .pending: counts.pending += 1
            }
        }
        let parts: [Segment] = [
            (counts.ok > 0 ? "\(counts.ok) ok" : "", .good),
            (counts.stale > 0 ? "\(counts.stale) stale" : "", .warning),
            (counts.down > 0 ? "\(counts.down) down" : "", .critical),
            (counts.pending > 0 ? "\(counts.pending) pending" : "", .dim),
        ].filter { !$0.text.isEmpty }
        var segments: [Segment] = [("\(sources.count) sources: ", .normal)]
        for (index, part) in parts.enumerated() {
            segments += index > 0 ? [(", ", .normal), part] : [part]
        }
        return segments
    }

    /// `collect 1.20ms  draw 350µs  cpu 0.8%`, with `gap` between the parts.
    static func cost(_ cost: SelfCost, gap: String) -> [Segment] {
        [
            ("collect ", .dim), (UnitFormat.seconds(cost.collectSeconds), .normal),
            (gap + "draw ", .dim), (UnitFormat.seconds(cost.drawSeconds), .normal),
            (gap + "cpu ", .dim), (UnitFormat.percent(cost.cpuPercent), .normal),
        ]
    }

    /// The state of a source as shown: `ok`, `stale 12s`, `down: reason`, `pending`.
    static func state(_ state: SourceState) -> Segment {
        switch state {
        case .ok:
            ("ok", .good)
        case .pending:
            ("pending", .dim)
        case .stale(let age, _):
            ("stale " + (age.isFinite ? String(Int(saturating: age.rounded())) : "?") + "s", .warning)
        case .down(let reason):
            ("down: " + reason, .critical)
        }
    }

    /// What follows a source's state: `, truncated to N series` and `, retry in Ns` when they apply.
    static func notes(_ source: SourceStatus) -> [Segment] {
        var notes: [Segment] = []
        if let series = source.truncatedToSeries {
            notes.append((", truncated to \(series) series", .warning))
        }
        if let retryIn = source.retryIn, retryIn.isFinite {
            notes.append((", retry in \(Int(saturating: retryIn.rounded(.up)))s", .dim))
        }
        return notes
    }

    /// `1s`, `2s`, `500ms`, `1.50s`.
    static func interval(_ seconds: Double) -> String {
        if seconds >= 1 && seconds == seconds.rounded() && seconds < 1e9 {
            return String(Int(seconds)) + "s"
        }
        return UnitFormat.seconds(seconds)
    }

    /// `1s`, `250ms`: an interval as the header and the footer show it.
    static func interval(_ duration: Duration) -> String {
        self.interval(duration.seconds)
    }

    /// Draws segments left to right, ending in an ellipsis when they run past `limit`.
    private static func put(_ segments: [Segment], from start: Int, limit: Int, into canvas: inout Canvas) {
        var column = start
        for segment in segments {
            let room = limit - column
            guard room > 0 else {
                return
            }
            if segment.text.displayWidth > room {
                let shown = segment.text.truncated(toWidth: room, ellipsis: canvas.glyphs.ellipsis)
                canvas.put(row: 0, column: column, text: shown, style: segment.style)
                return
            }
            column = canvas.put(row: 0, column: column, text: segment.text, style: segment.style)
        }
    }
}
