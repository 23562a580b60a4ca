import PerfKit
import Synchronization

/// Decides, round after round, which targets' ``Trigger``s fire: the state machine of
/// docs/tracker.md, "Triggers" (rounds in a row, hysteresis, cooldown). It only decides; the caller
/// rings, shows and runs (``TriggerCommandRunner``).
///
/// Thread-safe: one lock around the state; ``observe(_:at:settled:)`` is called by the round loop and
/// ``recentAlerts`` read by the UI thread. Memory: one small state per target with a trigger, and the
/// last ``maximumRecentAlerts`` alerts.
public final class TriggerEngine: Sendable {
    /// How many of the latest alerts ``recentAlerts`` keeps.
    public static let maximumRecentAlerts = 16

    /// One target's trigger state.
    private struct TargetState {
        /// Whether the trigger can fire; false from a firing until the target has been met again.
        var isArmed = true
        /// Rounds in a row in the trigger's condition.
        var roundsInCondition = 0
        /// Rounds in a row met.
        var roundsMet = 0
        /// When the trigger last fired (cooldown), in seconds since 1970.
        var lastFired: Double?
    }

    private struct State {
        var targets: [String: TargetState] = [:]
        var sequence = 0
        var recent: [TriggerAlert] = []
        var suppressed = 0
    }

    private let state = Mutex(State())

    /// Creates an engine with every trigger armed.
    public init() {}

    /// Takes one round's tracker results and returns the alerts they fire, in the tracker's order;
    /// ``observe(_:at:settled:)-(TriggerSubject)`` with each tracked target that has a trigger.
    public func observe(_ results: [TrackerResult], at time: Double, settled: Bool = false) -> [TriggerAlert] {
        self.observe(TriggerSubject.targets(results), at: time, settled: settled)
    }

    /// Takes one round's subjects (tracker targets, custom panes) and returns the alerts they fire, in
    /// their order.
    ///
    /// A subject whose trigger is armed fires when it has been in the trigger's condition for the
    /// trigger's rounds in a row; it is re-armed (and fires a recovery, if asked) once it has been met
    /// for as many rounds in a row. Any other status (at risk for a `missed` trigger, no data) breaks
    /// both runs. A firing within the trigger's cooldown of the last one is counted in
    /// ``suppressedCount`` instead of returned. Cost: O(subjects).
    ///
    /// - Parameters:
    ///   - subjects: What the round judged, each with its trigger.
    ///   - time: The round's time, in seconds since 1970.
    ///   - settled: True for a verdict over a whole window (`tracker check`): one round is enough.
    public func observe(_ subjects: [TriggerSubject], at time: Double, settled: Bool = false) -> [TriggerAlert] {
        self.state.withLockedValue { state in
            var alerts: [TriggerAlert] = []
            for subject in subjects {
                let trigger = subject.trigger
                var target = state.targets[subject.key] ?? TargetState()
                defer { state.targets[subject.key] = target }
                if trigger.condition.holds(for: subject.status) {
                    target.roundsInCondition += 1
                    target.roundsMet = 0
                } else if subject.status == .met {
                    target.roundsMet += 1
                    target.roundsInCondition = 0
                } else {
                    target.roundsInCondition = 0
                    target.roundsMet = 0
                }
                let needed = settled ? 1 : trigger.rounds
                let event: TriggerAlert.Event
                if target.isArmed, target.roundsInCondition >= needed {
                    target.isArmed = false
                    event = .fired
                } else if !target.isArmed, target.roundsMet >= needed {
                    target.isArmed = true
                    guard trigger.recovery else {
                        continue
                    }
                    event = .recovered
                } else {
                    continue
                }
                if let last = target.lastFired, time - last < trigger.cooldown {
                    state.suppressed += 1
                    continue
                }
                target.lastFired = time
                state.sequence += 1
                alerts.append(
                    TriggerAlert(sequence: state.sequence, time: time, event: event, subject: subject)
                )
            }
            state.recent.append(contentsOf: alerts)
            if state.recent.count > Self.maximumRecentAlerts {
                state.recent.removeFirst(state.recent.count - Self.maximumRecentAlerts)
            }
            return alerts
        }
    }

    /// The latest alerts, oldest first, at most ``maximumRecentAlerts``. Cost: a copy of that array.
    public var recentAlerts: [TriggerAlert] {
        self.state.withLockedValue { $0.recent }
    }

    /// How many firings the cooldown has held back so far.
    public var suppressedCount: Int {
        self.state.withLockedValue { $0.suppressed }
    }
}

/// Something a ``Trigger`` watches, as one round judged it: a tracker target or a custom pane.
public struct TriggerSubject: Sendable, Equatable {
    /// Tells the subject's state from the others' across rounds: `target:INDEX:NAME` or `pane:NAME`.
    public var key: String
    /// The target's name, or the pane's title.
    public var name: String
    /// The pane's name, for a custom pane; nil for a tracker target.
    public var pane: String?
    /// The status this round.
    public var status: TrackerStatus
    /// The value in base units, if there is one.
    public var value: Double?
    /// The value as shown, e.g. `72ms`.
    public var formattedValue: String?
    /// The goal as shown, e.g. `< 50ms`.
    public var goal: String?
    /// The source the value came from.
    public var source: String?
    /// The series (or selector) the value came from.
    public var series: String?
    /// The trigger.
    public var trigger: Trigger

    /// Creates a subject.
    public init(
        key: String,
        name: String,
        pane: String? = nil,
        status: TrackerStatus,
        value: Double? = nil,
        formattedValue: String? = nil,
        goal: String? = nil,
        source: String? = nil,
        series: String? = nil,
        trigger: Trigger
    ) {
        self.key = key
        self.name = name
        self.pane = pane
        self.status = status
        self.value = value
        self.formattedValue = formattedValue
        self.goal = goal
        self.source = source
        self.series = series
        self.trigger = trigger
    }

    /// The tracked targets of `results` that have a trigger, in order.
    public static func targets(_ results: [TrackerResult]) -> [TriggerSubject] {
        results.enumerated().compactMap { index, result in
            guard let trigger = result.target.trigger, result.target.tracked else {
                return nil
            }
            return TriggerSubject(
                key: "target:\(index):\(result.target.name)",
                name: result.target.name,
                status: result.status,
                value: result.value,
                formattedValue: result.formattedValue,
                goal: result.formattedGoal,
                source: result.reading?.source,
                series: result.reading.map { "\($0.series)" },
                trigger: trigger
            )
        }
    }

    /// The custom panes of `views` that have a trigger, in order.
    public static func panes(_ views: [CustomPaneView]) -> [TriggerSubject] {
        views.compactMap { view in
            guard let trigger = view.definition.trigger else {
                return nil
            }
            return TriggerSubject(
                key: "pane:\(view.definition.name)",
                name: view.definition.title,
                pane: view.definition.name,
                status: view.status,
                value: view.value,
                formattedValue: view.value.map { view.format($0) },
                goal: view.definition.goal?.description,
                source: view.source,
                series: view.definition.metric.description,
                trigger: trigger
            )
        }
    }
}
