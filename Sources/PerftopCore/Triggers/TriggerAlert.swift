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
    /// What crossed the line, as the round judged it: its name, status, value, goal, source and trigger.
    public var subject: TriggerSubject

    /// Creates an alert.
    public init(sequence: Int, time: Double, event: Event, subject: TriggerSubject) {
        self.sequence = sequence
        self.time = time
        self.event = event
        self.subject = subject
    }

    /// What to do: bell, notice, command.
    public var trigger: Trigger {
        self.subject.trigger
    }

    /// One line for the footer or standard error, e.g.
    /// `trigger: 'embed p95' missed: 72ms (goal < 50ms) on demo[41]`; metric text is made safe to print.
    public var message: String {
        let subject = self.subject
        let what = self.event == .recovered ? "recovered" : subject.status.rawValue
        var line = "trigger: '\(subject.name)' \(what)"
        if let value = subject.formattedValue {
            line += ": \(value)"
        }
        if let goal = subject.goal {
            line += " (goal \(goal))"
        }
        if let source = subject.source {
            line += " on \(source)"
        }
        return SafeText.escaped(line)
    }

    /// The variables a trigger's command gets on top of perftop's environment (docs/tracker.md,
    /// "Triggers"). Values are the text as read, with NUL bytes (which no environment can hold)
    /// removed; they never pass through a shell.
    public var environment: [String: String] {
        let subject = self.subject
        var variables = [
            "PERFTOP_EVENT": self.event.rawValue,
            "PERFTOP_TARGET": subject.name,
            "PERFTOP_STATUS": subject.status.rawValue,
            "PERFTOP_TIME": TOMLWriting.dateTime(self.time.rounded(.down)),
        ]
        variables["PERFTOP_PANE"] = subject.pane
        variables["PERFTOP_VALUE"] = subject.formattedValue
        variables["PERFTOP_VALUE_RAW"] = subject.value.map { "\($0)" }
        variables["PERFTOP_GOAL"] = subject.goal
        variables["PERFTOP_SOURCE"] = subject.source
        variables["PERFTOP_SERIES"] = subject.series
        return variables.mapValues { $0.replacing("\0", with: "") }
    }
}
