/// What perftop does when a tracker target's status crosses a line: ring the terminal bell, show a
/// notice, and/or run a command (docs/tracker.md, "Triggers").
///
/// A trigger fires when its target has been in the ``Condition`` for ``rounds`` rounds in a row,
/// then stays quiet until the target has been met for ``rounds`` rounds in a row (hysteresis: an
/// at-risk target neither fires nor re-arms a `missed` trigger), and fires at most once per
/// ``cooldown``.
public struct Trigger: Sendable, Hashable {
    /// The status that fires the trigger.
    public enum Condition: String, Sendable, Hashable, CaseIterable {
        /// The target is missed.
        case missed
        /// The target is at risk or missed.
        case atRisk = "at risk"

        /// Whether `status` is in the condition.
        public func holds(for status: TrackerStatus) -> Bool {
            switch self {
            case .missed: status == .missed
            case .atRisk: status == .missed || status == .atRisk
            }
        }
    }

    /// The most rounds ``rounds`` may ask for.
    public static let maximumRounds = 1000
    /// The most arguments a command may have.
    public static let maximumArguments = 64

    /// The status that fires the trigger; `missed` by default.
    public var condition: Condition
    /// Rounds in a row the condition must hold before the trigger fires, and the target must be met
    /// before it fires again; 1 to ``maximumRounds``, 1 by default.
    public var rounds: Int
    /// Whether the dashboard rings the terminal bell.
    public var bell: Bool
    /// Whether the dashboard shows a notice in its footer (and an export run writes it on standard
    /// error).
    public var notice: Bool
    /// The program and its arguments, run without a shell with the alert in `PERFTOP_*` environment
    /// variables; empty for none.
    public var command: [String]
    /// Whether the trigger fires again when the target recovers (is met for ``rounds`` rounds).
    public var recovery: Bool
    /// The least time between two firings of this trigger, in seconds; a firing within it is counted
    /// but does nothing. 60 by default.
    public var cooldown: Double

    /// Creates a trigger.
    public init(
        condition: Condition = .missed,
        rounds: Int = 1,
        bell: Bool = false,
        notice: Bool = true,
        command: [String] = [],
        recovery: Bool = false,
        cooldown: Double = 60
    ) {
        self.condition = condition
        self.rounds = rounds
        self.bell = bell
        self.notice = notice
        self.command = command
        self.recovery = recovery
        self.cooldown = cooldown
    }
}

// MARK: - TOML

extension Trigger {
    /// The keys of a `trigger` table.
    static let keys = ["when", "rounds", "bell", "notice", "command", "recovery", "cooldown"]

    /// Reads a `trigger` table: `{ when = "missed", rounds = 3, bell = true, command = ["notify-send", "perftop"] }`.
    ///
    /// - Throws: A message naming the key at fault (the caller adds the file and line) and the key.
    init(toml table: TOMLTable) throws(TriggerTOMLError) {
        self.init()
        for key in table.keys where !Self.keys.contains(key) {
            throw TriggerTOMLError(
                key: key,
                message: "unknown key '\(key)' (expected \(Self.keys.joined(separator: ", ")))"
            )
        }
        if let value = table["when"] {
            guard let text = value.string, let condition = Condition(rawValue: text) else {
                throw TriggerTOMLError(key: "when", message: "expected when to be \"missed\" or \"at risk\"")
            }
            self.condition = condition
        }
        if let value = table["rounds"] {
            guard let rounds = value.int, (1...Self.maximumRounds).contains(rounds) else {
                throw TriggerTOMLError(
                    key: "rounds",
                    message: "expected rounds to be a whole number from 1 to \(Self.maximumRounds)"
                )
            }
            self.rounds = rounds
        }
        self.bell = try Self.flag(table, "bell") ?? self.bell
        self.notice = try Self.flag(table, "notice") ?? self.notice
        self.recovery = try Self.flag(table, "recovery") ?? self.recovery
        if let value = table["command"] {
            let message =
                "expected command to be a non-empty list of strings, the program first: [\"notify-send\", \"perftop\"]"
            guard let elements = value.array, !elements.isEmpty, elements.count <= Self.maximumArguments else {
                throw TriggerTOMLError(key: "command", message: message)
            }
            self.command = try elements.map { (element) throws(TriggerTOMLError) -> String in
                // A NUL cannot reach exec; refuse it rather than cut the argument short.
                guard let text = element.string, !text.contains("\0") else {
                    throw TriggerTOMLError(key: "command", message: message)
                }
                return text
            }
            guard !self.command[0].isEmpty else {
                throw TriggerTOMLError(key: "command", message: message)
            }
        }
        if let value = table["cooldown"] {
            guard let seconds = value.double ?? value.int.map(Double.init), seconds.isFinite, seconds >= 0 else {
                throw TriggerTOMLError(
                    key: "cooldown",
                    message: "expected cooldown to be a number of seconds, 0 or more"
                )
            }
            self.cooldown = seconds
        }
        if !self.bell, !self.notice, self.command.isEmpty {
            throw TriggerTOMLError(key: "notice", message: "a trigger with no bell, notice or command does nothing")
        }
    }

    private static func flag(_ table: TOMLTable, _ key: String) throws(TriggerTOMLError) -> Bool? {
        guard let value = table[key] else {
            return nil
        }
        guard let flag = value.bool else {
            throw TriggerTOMLError(key: key, message: "expected \(key) to be true or false")
        }
        return flag
    }

    /// The trigger as a TOML inline table with the keys that differ from the defaults (``init(toml:)``
    /// reads it back to an equal trigger).
    var tomlText: String {
        let defaults = Trigger()
        var pairs: [String] = []
        if self.condition != defaults.condition {
            pairs.append("when = \(TOMLWriting.string(self.condition.rawValue))")
        }
        if self.rounds != defaults.rounds {
            pairs.append("rounds = \(self.rounds)")
        }
        if self.bell != defaults.bell {
            pairs.append("bell = \(self.bell)")
        }
        if self.notice != defaults.notice {
            pairs.append("notice = \(self.notice)")
        }
        if !self.command.isEmpty {
            pairs.append("command = [\(self.command.map(TOMLWriting.string).joined(separator: ", "))]")
        }
        if self.recovery != defaults.recovery {
            pairs.append("recovery = \(self.recovery)")
        }
        if self.cooldown != defaults.cooldown {
            pairs.append("cooldown = \(TOMLWriting.number(self.cooldown))")
        }
        return pairs.isEmpty ? "{}" : "{ " + pairs.joined(separator: ", ") + " }"
    }
}

/// Why a `trigger` table was refused: the key at fault and the message.
struct TriggerTOMLError: Error {
    var key: String
    var message: String
}
