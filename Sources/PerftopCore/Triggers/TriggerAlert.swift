import PerfKit

/// One firing of a target's ``Trigger``: what crossed the line, when, and what to do about it.
public struct TriggerAlert: Sendable, Equatable {
    /// What happened to the target.
    public enum Event: String, Sendable, Hashable {
        /// The target entered the trigger's condition (missed, or at risk) for its rounds.
        case fired
        /// The target has been met again for the trigger's rounds (only with ``Trigger/recovery``).
        case recovered
    }

    /// Increases by one with each alert of a run, from 1: how the dashboard tells new alerts from
    /// those it has shown.
    public var sequence: Int
    /// The round's time, in seconds since 1970-01-01 UTC.
    public var time: Double
    /// Fired or recovered.
    public var event: Event
    /// The target's name as written, or the custom pane's title.
    public var target: String
    /// The custom pane's name, for a pane's trigger; nil for a tracker target's.
    public var pane: String?
    /// The target's status now.
    public var status: TrackerStatus
    /// The value in base units, if there is one.
    public var value: Double?
    /// The value formatted in the goal's unit, e.g. `72ms`.
    public var formattedValue: String?
    /// The goal as written, e.g. `< 50ms`.
    public var goal: String?
    /// The source the value came from.
    public var source: String?
    /// The series the value came from, e.g. `operation_seconds{op="embed"}`.
    public var series: String?
    /// What to do: bell, notice, command.
    public var trigger: Trigger

    /// Creates an alert.
    public init(
        sequence: Int,
        time: Double,
        event: Event,
        target: String,
        pane: String? = nil,
        status: TrackerStatus,
        value: Double? = nil,
        formattedValue: String? = nil,
        goal: String? = nil,
        source: String? = nil,
        series: String? = nil,
        trigger: Trigger
    ) {
        self.sequence = sequence
        self.time = time
        self.event = event
        self.target = target
        self.pane = pane
        self.status = status
        self.value = value
        self.formattedValue = formattedValue
        self.goal = goal
        self.source = source
        self.series = series
        self.trigger = trigger
    }

    /// One line for the footer or standard error, e.g.
    /// `trigger: 'embed p95' missed: 72ms (goal < 50ms) on demo[41]`; metric text is made safe to print.
    public var message: String {
        let what = self.event == .recovered ? "recovered" : self.status.rawValue
        var line = "trigger: '\(self.target)' \(what)"
        if let value = self.formattedValue {
            line += ": \(value)"
        }
        if let goal = self.goal {
            line += " (goal \(goal))"
        }
        if let source = self.source {
            line += " on \(source)"
        }
        return SafeText.escaped(line)
    }

    /// The variables a trigger's command gets on top of perftop's environment (docs/tracker.md,
    /// "Triggers"). Values are the text as read, with NUL bytes (which no environment can hold)
    /// removed; they never pass through a shell.
    public var environment: [String: String] {
        var variables = [
            "PERFTOP_EVENT": self.event.rawValue,
            "PERFTOP_TARGET": self.target,
            "PERFTOP_STATUS": self.status.rawValue,
            "PERFTOP_TIME": TOMLWriting.dateTime(self.time.rounded(.down)),
        ]
        variables["PERFTOP_PANE"] = self.pane
        variables["PERFTOP_VALUE"] = self.formattedValue
        variables["PERFTOP_VALUE_RAW"] = self.value.map { "\($0)" }
        variables["PERFTOP_GOAL"] = self.goal
        variables["PERFTOP_SOURCE"] = self.source
        variables["PERFTOP_SERIES"] = self.series
        return variables.mapValues { $0.replacing("\0", with: "") }
    }
}
