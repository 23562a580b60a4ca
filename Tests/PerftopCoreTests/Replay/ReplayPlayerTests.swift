import PerfKit
import Testing

@testable import PerftopCore

/// A record played back: each round's model is the one live perftop derived from the same samples;
/// stepping, jumping, speed and playing through the record's own time.
@Suite("ReplayPlayer")
struct ReplayPlayerTests {
    /// Rounds a second apart from 1,800,000,000: a cache with 7 hits and 3 misses a round, a source
    /// `late` from round 5 on that misses round 8.
    static func rounds(_ count: Int = 20) -> [RecordedRound] {
        (0..<count).map { index in
            var sources: [(name: String, samples: [Sample])] = [
                (
                    "agent",
                    [
                        Sample(
                            name: MetricName.cacheHits,
                            labels: [LabelName.cache: "users"],
                            kind: .counter,
                            value: Double(7 * index)
                        ),
                        Sample(
                            name: MetricName.cacheMisses,
                            labels: [LabelName.cache: "users"],
                            kind: .counter,
                            value: Double(3 * index)
                        ),
                    ]
                )
            ]
            if index >= 5 && index != 8 {
                sources.append(("late", [Sample(name: "node_load1", kind: .gauge, value: Double(index))]))
            }
            return RecordedRound(time: 1_800_000_000 + Double(index), sources: sources)
        }
    }

    @Test("a round's model is what the live derivation makes of the same samples")
    func modelsAsLive() throws {
        let rounds = Self.rounds()
        let player = ReplayPlayer(rounds: rounds)
        player.perform(.step(9), now: .zero)
        let model = player.model(now: .zero)
        var store = SeriesStore(retention: 300)
        for round in rounds[0...9] {
            for source in round.sources {
                store.record(source: source.name, samples: source.samples, at: round.time)
            }
        }
        var live = Derivation().derive(
            from: store,
            sources: [
                SourceStatus(name: "agent", state: .ok, lastSuccess: 1_800_000_009),
                SourceStatus(name: "late", state: .ok, lastSuccess: 1_800_000_009),
            ],
            timestamp: 1_800_000_009,
            interval: 1
        )
        live.replay = ReplayStatus(round: 9, rounds: 20, isPlaying: false, speed: 1)
        #expect(model == live)
        #expect(model.caches.first?.hitRate == 0.7)
    }

    @Test("a source without an answer in the round shown is stale since its last one")
    func staleSources() {
        let player = ReplayPlayer(rounds: Self.rounds())
        player.perform(.step(8), now: .zero)
        let sources = player.model(now: .zero).sources
        #expect(sources.map(\.name) == ["agent", "late"])
        #expect(sources[1].state == .stale(age: 1, reason: "no answer in the record"))
        player.perform(.first, now: .zero)
        #expect(player.model(now: .zero).sources.map(\.name) == ["agent"], "not seen yet")
    }

    @Test("steps, minute jumps, first and last stay inside the record; a step pauses")
    func moving() {
        let player = ReplayPlayer(rounds: Self.rounds(200))
        #expect(player.status.isPlaying)
        player.perform(.step(1), now: .zero)
        #expect(player.status == ReplayStatus(round: 1, rounds: 200, isPlaying: false, speed: 1))
        player.perform(.step(-1), now: .zero)
        player.perform(.step(-1), now: .zero)
        #expect(player.status.round == 0)
        player.perform(.jump(seconds: 60), now: .zero)
        #expect(player.status.round == 60)
        player.perform(.jump(seconds: -60), now: .zero)
        #expect(player.status.round == 0)
        player.perform(.last, now: .zero)
        #expect(player.status.round == 199)
        player.perform(.jump(seconds: 60), now: .zero)
        #expect(player.status.round == 199)
        player.perform(.first, now: .zero)
        #expect(player.model(now: .zero).timestamp == 1_800_000_000)
    }

    @Test("playing moves through the record's own time at the speed chosen, and stops at the end")
    func playing() {
        let player = ReplayPlayer(rounds: Self.rounds())
        #expect(player.model(now: .seconds(100)).replay?.round == 0, "the clock starts at the first look")
        #expect(player.model(now: .seconds(103.5)).replay?.round == 3)
        player.perform(.changeSpeed(faster: true), now: .seconds(103.5))
        #expect(player.status.speed == 2)
        #expect(player.model(now: .seconds(105.5)).replay?.round == 7)
        player.perform(.togglePlay, now: .seconds(105.5))
        #expect(player.model(now: .seconds(200)).replay?.round == 7, "paused")
        player.perform(.togglePlay, now: .seconds(200))
        let end = player.model(now: .seconds(300)).replay
        #expect(end == ReplayStatus(round: 19, rounds: 20, isPlaying: false, speed: 2), "the last round pauses it")
        player.perform(.togglePlay, now: .seconds(300))
        #expect(player.status.round == 0, "play at the end starts again")
        for _ in 0..<20 {
            player.perform(.changeSpeed(faster: false), now: .seconds(300))
        }
        #expect(player.status.speed == 0.25)
    }
}
