import PerfKit
import Synchronization

/// Where a replay is: shown in the dashboard's header instead of the live sources' interval.
public struct ReplayStatus: Sendable, Equatable {
    /// The round shown, from 0.
    public var round: Int
    /// The rounds in the record.
    public var rounds: Int
    /// Whether the replay plays on by itself.
    public var isPlaying: Bool
    /// How many recorded seconds pass per second while playing.
    public var speed: Double

    /// Creates a status.
    public init(round: Int, rounds: Int, isPlaying: Bool, speed: Double) {
        self.round = round
        self.rounds = rounds
        self.isPlaying = isPlaying
        self.speed = speed
    }
}

/// What the keys of a replay ask.
public enum PlaybackAction: Sendable, Hashable {
    /// Play, or pause.
    case togglePlay
    /// Step one round, forward (1) or back (-1); pauses.
    case step(Int)
    /// Jump by recorded seconds, forward or back.
    case jump(seconds: Double)
    /// Double (`true`) or halve the speed.
    case changeSpeed(faster: Bool)
    /// The first round.
    case first
    /// The last round.
    case last
}

/// Plays a record back (`perftop replay`): the dashboard model of any round, as live perftop built it
/// then, from the rounds before it.
///
/// The model of round *i* is derived from rounds *i* − ``retention`` + 1 … *i* recorded into a fresh
/// store, the way the collector had them, with the same ``Derivation`` (views, tracker, advisor) and
/// the recording's own times; sources that answered in round *i* are ok, the others stale since their
/// last answer. Playing advances through the record's own time at ``ReplayStatus/speed`` times real
/// time. Thread-safe: the dashboard's thread reads ``model(now:)`` and performs actions.
///
/// Cost: a model is built when the round shown changes: recording up to ``retention`` rounds and one
/// derivation, linear in their samples.
public final class ReplayPlayer: Sendable {
    /// The speeds `<` and `>` step through.
    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]

    /// The record's rounds, oldest first.
    public let rounds: [RecordedRound]
    /// The rounds of history each model is derived from (the live collector's retention).
    public let retention: Int
    private let derivation: Derivation
    private let state: Mutex<State>

    private struct State {
        var index = 0
        var isPlaying = true
        var speedIndex = 2
        /// The recorded time shown, while playing, and the real time it was shown at.
        var anchor: (recorded: Double, real: Duration)?
        var model: (index: Int, model: DashboardModel)?
    }

    /// A player at the first round, playing at 1×.
    ///
    /// - Parameters:
    ///   - rounds: The rounds, oldest first; at least one.
    ///   - derivation: What each round derives (tracker, advisor), as live.
    ///   - retention: Rounds of history per model; the collector's 300 by default.
    public init(rounds: [RecordedRound], derivation: Derivation = Derivation(), retention: Int = 300) {
        precondition(!rounds.isEmpty, "a replay needs at least one round")
        self.rounds = rounds
        self.derivation = derivation
        self.retention = max(2, retention)
        self.state = Mutex(State())
    }

    /// Where the replay is.
    public var status: ReplayStatus {
        self.state.withLockedValue { state in
            ReplayStatus(
                round: state.index,
                rounds: self.rounds.count,
                isPlaying: state.isPlaying,
                speed: Self.speeds[state.speedIndex]
            )
        }
    }

    /// The model of the round to show at `now` (any monotonic time, e.g. the dashboard's uptime):
    /// while playing, the last round recorded at or before the replay's position in recorded time.
    /// The last round pauses the replay.
    public func model(now: Duration) -> DashboardModel {
        let (index, status, cached) = self.state.withLockedValue { state in
            if state.isPlaying {
                self.advance(&state, now: now)
            }
            let status = ReplayStatus(
                round: state.index,
                rounds: self.rounds.count,
                isPlaying: state.isPlaying,
                speed: Self.speeds[state.speedIndex]
            )
            return (state.index, status, state.model?.index == state.index ? state.model?.model : nil)
        }
        var model = cached ?? self.build(index)
        if cached == nil {
            self.state.withLockedValue { $0.model = (index, model) }
        }
        model.replay = status
        return model
    }

    /// Performs a key's action at `now`.
    public func perform(_ action: PlaybackAction, now: Duration) {
        self.state.withLockedValue { state in
            if state.isPlaying {
                self.advance(&state, now: now)
            }
            switch action {
            case .togglePlay:
                state.isPlaying.toggle()
                if state.isPlaying, state.index == self.rounds.count - 1 {
                    state.index = 0
                }
            case .step(let rounds):
                state.isPlaying = false
                state.index = min(max(0, state.index + rounds), self.rounds.count - 1)
            case .jump(let seconds):
                // At least one round, so a gap in the record never holds a jump in place.
                let reached = self.index(atOrBefore: self.rounds[state.index].time + seconds)
                let moved = seconds >= 0 ? max(state.index + 1, reached) : min(state.index - 1, reached)
                state.index = min(max(0, moved), self.rounds.count - 1)
            case .changeSpeed(let faster):
                state.speedIndex = min(max(0, state.speedIndex + (faster ? 1 : -1)), Self.speeds.count - 1)
            case .first:
                state.index = 0
            case .last:
                state.index = self.rounds.count - 1
            }
            state.anchor = (self.rounds[state.index].time, now)
        }
    }

    // MARK: - Position

    /// Moves a playing replay to the round its recorded time has reached at `now`.
    private func advance(_ state: inout State, now: Duration) {
        guard let anchor = state.anchor else {
            state.anchor = (self.rounds[state.index].time, now)
            return
        }
        let position = anchor.recorded + (now - anchor.real).seconds * Self.speeds[state.speedIndex]
        state.index = max(state.index, self.index(atOrBefore: position))
        if state.index == self.rounds.count - 1 {
            state.isPlaying = false
        }
    }

    /// The last round recorded at or before `time`; the first round when all are later.
    private func index(atOrBefore time: Double) -> Int {
        var low = 0
        var high = self.rounds.count
        while low < high {
            let middle = (low + high) / 2
            if self.rounds[middle].time <= time {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return max(0, low - 1)
    }

    // MARK: - Models

    /// The model of round `index`, derived from the rounds before it as live.
    private func build(_ index: Int) -> DashboardModel {
        var store = SeriesStore(retention: self.retention)
        var lastSeen: [String: Double] = [:]
        var order: [String] = []
        let first = max(0, index - self.retention + 1)
        for round in self.rounds[first...index] {
            for source in round.sources {
                store.record(source: source.name, samples: source.samples, at: round.time)
                if lastSeen.updateValue(round.time, forKey: source.name) == nil {
                    order.append(source.name)
                }
            }
        }
        let time = self.rounds[index].time
        let interval = index > 0 ? max(0.001, time - self.rounds[index - 1].time) : 1
        let sources = order.map { name in
            let seen = lastSeen[name] ?? time
            return SourceStatus(
                name: name,
                state: seen == time ? .ok : .stale(age: time - seen, reason: "no answer in the record"),
                lastSuccess: seen
            )
        }
        // A replay binds no targets, so it lists no series to bind (``DashboardModel/bindableSeries``).
        return self.derivation.derive(
            from: store,
            sources: sources,
            timestamp: time,
            interval: interval,
            reusedBindableSeries: []
        )
    }
}
